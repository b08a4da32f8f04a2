"""Commitments get computed statuses, scorecards with empirical-Bayes intervals, and a matrix."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.reliability import (
    STATUSES,
    capability_matrix,
    commitment_reliability,
    commitment_status,
)
from broadfront.exceptions import ValidationError


def test_an_incomplete_commitment_not_yet_due_is_open_and_not_scored():
    codes = commitment_status([10, 10], [5, 10], ["2024-06-30", "2024-06-30"],
                              ["2024-06-01", "2024-06-01"], as_of="2024-06-15")
    assert [STATUSES[c] for c in codes] == ["open", "kept"]
    r = commitment_reliability(["A", "A"], ["doors", "doors"], [10, 10], [5, 10],
                               ["2024-06-30"] * 2, ["2024-06-01"] * 2, as_of="2024-06-15")
    card = r.scorecards[0]
    assert card.commitments == 1 and card.open == 1 and card.kept == 1


def test_a_delivery_without_its_date_is_refused():
    with pytest.raises(ValidationError) as err:
        commitment_status([10], [4], ["2024-01-01"], [""])
    assert err.value.parameter == "delivered_on"


def test_kept_rates_are_the_conjugate_posterior_under_the_fitted_prior():
    rng = np.random.default_rng(1)
    partners = np.repeat([f"p{i}" for i in range(8)], 10)
    promised = np.full(partners.size, 10.0)
    delivered = np.where(rng.random(partners.size) < np.repeat(rng.uniform(0.3, 1, 8), 10),
                         10.0, 4.0)
    due = np.full(partners.size, "2024-05-01")
    r = commitment_reliability(partners, ["doors"] * partners.size, promised, delivered, due,
                               due, level=0.8)
    a, b = r.kept_prior.alpha, r.kept_prior.beta
    for card in r.scorecards:
        assert card.kept_rate == pytest.approx((a + card.kept) / (a + b + card.commitments))
        assert card.kept_low <= card.kept_rate <= card.kept_high
        assert card.delivered_ratio == pytest.approx(
            (r.ratio_prior.alpha + card.kept + 0.4 * card.partly_kept)
            / (r.ratio_prior.concentration + card.commitments))


def test_small_records_say_so_in_plain_words():
    r = commitment_reliability(["A", "B"], ["doors", "doors"], [10, 10], [10, 0],
                               ["2024-05-01"] * 2, ["2024-05-01", ""])
    assert all("only 1 commitment scored" in c.note for c in r.scorecards)


def test_the_capability_matrix_matches_the_scorecards():
    r = commitment_reliability(["A", "A", "B"], ["doors", "calls", "doors"], [10, 20, 30],
                               [10, 5, 30], ["2024-05-01"] * 3, ["2024-05-01"] * 3)
    m = capability_matrix(r, [10, 20, 30])
    for card in r.scorecards:
        i, j = m.partners.index(card.partner), m.units.index(card.unit)
        assert m.kept_rate[i, j] == card.kept_rate and m.delivered[i, j] == card.delivered
        assert m.count_on[i, j] == pytest.approx(card.ratio_low * m.typical_promise[i, j])
    assert np.isnan(m.kept_rate[m.partners.index("B"), m.units.index("calls")])
    np.testing.assert_allclose(np.nansum(m.share, axis=0), 1.0)
    assert m.best_unit == ("calls", "doors")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from(["doors", "calls"]),
                          st.integers(1, 50), st.integers(0, 60), st.integers(0, 60),
                          st.integers(-10, 10), st.booleans()),
                min_size=1, max_size=40))
def test_statuses_partition_every_scored_commitment(rows):
    partners = [r[0] for r in rows]
    units = [r[1] for r in rows]
    promised = [r[2] for r in rows]
    delivered = [r[3] for r in rows]
    base = np.datetime64("2024-05-01")
    due = [base + r[4] for r in rows]
    on = [base + r[4] + r[5] if r[3] > 0 else np.datetime64("NaT") for r in rows]
    as_of = base + 30 if rows[0][6] else None
    r = commitment_reliability(partners, units, promised, delivered, due, on, as_of=as_of)
    total_scored = 0
    for c in r.scorecards:
        assert c.kept + c.kept_late + c.partly_kept + c.broken == c.commitments
        assert 0 <= c.kept_low <= c.kept_rate <= c.kept_high <= 1
        assert 0 <= c.ratio_low <= c.delivered_ratio <= c.ratio_high <= 1
        total_scored += c.commitments + c.open
    assert total_scored == len(rows)

"""Deciding together: ballots, tallies, cooling-off enforced on the server, reviews."""

from __future__ import annotations

import datetime as dt

import pytest

from broadfront import clock
from broadfront.exceptions import ConflictError, PermissionDeniedError, ValidationError
from broadfront.web.decisions import services
from broadfront.web.decisions.models import Decision

pytestmark = pytest.mark.django_db


def _options(decision):
    return {o.label: o.pk for o in decision.options.all()}


def test_members_and_leaders_rank_and_both_must_agree(world):
    d = services.do_create_decision(world.ana, organization=world.northside,
                                    question="Which candidate do we endorse?",
                                    options=["Rivera", "Chen"], rule="instant-runoff")
    o = _options(d)
    services.do_cast_ballot(world.ana, d, role="leader", ranking=[o["Chen"], o["Rivera"]])
    services.do_cast_ballot(world.ben, d, role="member", ranking=[o["Chen"], o["Rivera"]])
    result = services.tally(d)
    assert (result.members.winner, result.leaders.winner, result.winner) == ("Chen", "Chen", "Chen")


def test_a_viewer_cannot_cast_a_leaders_ballot(world):
    d = services.do_create_decision(world.ana, organization=world.northside, question="Q",
                                    options=["Yes"], rule="consent")
    with pytest.raises(PermissionDeniedError):
        services.do_cast_ballot(world.ben, d, role="leader", positions={str(_options(d)["Yes"]): "agree"})


def test_a_ballot_is_counted_once_and_recasting_replaces_it(world):
    d = services.do_create_decision(world.ana, organization=world.northside, question="Q",
                                    options=["A", "B"], rule="majority")
    o = _options(d)
    services.do_cast_ballot(world.ana, d, choice=o["A"])
    services.do_cast_ballot(world.ana, d, choice=o["B"])
    assert d.ballots.count() == 1
    assert services.tally(d).members.counts["B"] == 1


def test_a_block_stops_a_consent_decision(world):
    d = services.do_create_decision(world.ana, organization=world.northside,
                                    question="Do we walk out of the table?", options=["Walk out"])
    key = str(_options(d)["Walk out"])
    services.do_cast_ballot(world.ana, d, positions={key: "agree"})
    services.do_cast_ballot(world.ben, d, positions={key: "block"}, reason="We lose the budget seat")
    result = services.tally(d)
    assert result.winner is None
    assert result.combined.outcome == "blocked"


def test_ballots_name_unknown_options_and_duplicates(world):
    d = services.do_create_decision(world.ana, organization=world.northside, question="Q",
                                    options=["A", "B"], rule="instant-runoff")
    o = _options(d)
    with pytest.raises(ValidationError) as err:
        services.do_cast_ballot(world.ana, d, ranking=[o["A"], o["A"]])
    assert err.value.parameter == "ranking"
    with pytest.raises(ValidationError) as err:
        services.do_cast_ballot(world.ana, d, ranking=[999999])
    assert err.value.parameter == "ranking"
    with pytest.raises(ValidationError):
        services.do_cast_ballot(world.ana, d, choice=o["A"])


def test_a_triggered_decision_cannot_close_during_cooling_off(world):
    d = services.do_create_decision(world.ana, organization=world.northside,
                                    question="Do we pull our endorsement after the betrayal?",
                                    options=["Pull it"], triggered_by="betrayal")
    services.do_cast_ballot(world.ana, d, positions={str(_options(d)["Pull it"]): "agree"})
    assert "Are we deciding on the trigger" in services.cooling_off_message(d)
    with pytest.raises(ConflictError) as err:
        services.do_close_decision(world.ana, d)
    assert err.value.code == "cooling_off"
    d.refresh_from_db()
    assert d.state == Decision.State.OPEN
    later = clock.now() + dt.timedelta(hours=49)
    assert services.cooling_off_message(d, now=later) is None
    services.do_close_decision(world.ana, d, now=later)
    d.refresh_from_db()
    assert d.state == Decision.State.CLOSED and d.outcome.label == "Pull it"


def test_an_untriggered_decision_closes_at_once_and_then_refuses_ballots(world):
    d = services.do_create_decision(world.ana, organization=world.northside, question="Q",
                                    options=["A"], rule="majority")
    services.do_close_decision(world.ana, d)
    with pytest.raises(ConflictError):
        services.do_cast_ballot(world.ana, d, choice=_options(d)["A"])


def test_impacts_are_validated_and_summarized(world):
    d = services.do_create_decision(world.ana, organization=world.northside, question="Q",
                                    options=["Strike", "Wait"], rule="majority")
    strike = d.options.get(label="Strike")
    with pytest.raises(ValidationError) as err:
        services.do_set_impact(world.ana, strike, "Our members", downside_likelihood=1.5)
    assert err.value.parameter == "downside_likelihood"
    services.do_set_impact(world.ana, strike, "Our members", upside=10, upside_likelihood=0.5,
                           downside=4, downside_likelihood=0.5)
    services.do_set_impact(world.ana, strike, "Neighbors", downside=6, downside_likelihood=1)
    summary = services.impact_summary(d)
    by = summary.option("Strike")
    assert by.expected_net == pytest.approx(5 - 2 - 6)
    assert by.worst_off == ("Neighbors",)


def test_reviews_come_due_and_are_recorded(world, today):
    d = services.do_create_decision(world.ana, organization=world.northside, question="Q",
                                    options=["A"], rule="majority", review_due=today)
    services.do_close_decision(world.ana, d)
    assert services.reviews_due(world.ana, today) == [d]
    assert services.reviews_due(world.grace, today) == []
    services.do_record_review(world.ana, d, reviewed_on=today,
                              actual={"Our members": {"gained": 3, "lost": 0}})
    assert services.reviews_due(world.ana, today) == []

"""Power of stored bodies, checked by hand on bodies of three to nine seats."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from itertools import combinations
from typing import Any

import pytest

from broadfront.exceptions import ValidationError
from broadfront.web.bodies import services
from broadfront.web.bodies.forms import WhatIfForm
from broadfront.web.landscape.models import Body, VotingRule

from .conftest import make_body


def report(body: Body, user: Any, issue: Any = None) -> services.PowerReport:
    return services.body_power(user, body, issue=issue)


def test_three_seats_weighing_3_2_2_with_quota_4_share_power_equally(world: Any, equal_body: Body) -> None:
    r = report(equal_body, world.ana)
    assert [m.swings for m in r.members] == [2, 2, 2]
    assert [m.banzhaf for m in r.members] == pytest.approx([1 / 3] * 3)
    assert [m.shapley_shubik for m in r.members] == pytest.approx([1 / 3] * 3)
    assert [m.weight_share for m in r.members] == pytest.approx([3 / 7, 2 / 7, 2 / 7])
    assert r.method == "exact" and r.no_power == () and r.veto == ()
    assert r.pivotal == tuple(r.members)  # all three equally pivotal
    assert "at least 4 of 7" in r.rule_words
    assert {m.member.key for m in r.disproportionate} == {"A", "B", "C"}


def test_a_member_whose_vote_never_decides_has_no_power(world: Any, null_body: Body) -> None:
    r = report(null_body, world.ana)
    assert [m.swings for m in r.members] == [2, 2, 0]
    assert r.no_power == ("C MemberNull",)
    assert r.veto == ("A MemberNull", "B MemberNull")


def test_a_simple_majority_needs_more_than_half_of_the_weight(world: Any) -> None:
    game = services.build_game(services.members_of(world.ana, make_body("four", [1, 1, 1, 1],
                                                                   kind="simple_majority")),
                               services.Rule("simple_majority"))
    assert game.quota == 3  # 2 of 4 is a tie, not a majority


def test_a_supermajority_of_60_percent_of_1000_delegates_needs_600(world: Any) -> None:
    body = make_body("conv", [105, 180, 150, 210, 95, 140, 60, 60], kind="supermajority",
                     threshold="0.6", body_kind="convention")
    r = report(body, world.ana)
    assert "at least 60% of the 1,000 weight (600)" in r.rule_words
    assert sum(m.shapley_shubik for m in r.members) == pytest.approx(1)


def test_fractional_weights_are_exact_to_the_thousandth(world: Any) -> None:
    body = make_body("frac", ["0.5", "0.25", "0.25"], quota="0.5")
    game = services.build_game(services.members_of(world.ana, body), services.rule_of(body))
    assert list(game.weights) == [2, 1, 1] and game.quota == 2  # in units of 0.25


def test_a_quota_above_the_total_names_the_quota(world: Any) -> None:
    body = make_body("toohigh", [1, 1], quota="3")
    with pytest.raises(ValidationError) as err:
        report(body, world.ana)
    assert err.value.parameter == "quota" and "total weight 2" in str(err.value)


def test_a_double_majority_counts_seats_and_second_weight_together(world: Any) -> None:
    """Two of three seats and 65% of the population (60, 30, 10): A is in every majority.

    Winning: AB (90), AC (70), ABC; BC has 40. Swings: A 3 (with B, with C, with BC),
    B 1 (with A), C 1 (with A): Banzhaf 3/5, 1/5, 1/5.
    """
    body = make_body("double", [1, 1, 1], kind="double_majority", threshold="0.65",
                     second=[60, 30, 10])
    r = report(body, world.ana)
    assert [m.swings for m in r.members] == [3, 1, 1]
    assert r.veto == ("A MemberDouble",)
    assert "and at least 65% of the 100 second weight" in r.rule_words


def test_a_double_majority_without_second_weights_names_the_field(world: Any) -> None:
    body = make_body("nosecond", [1, 1, 1], kind="double_majority")
    with pytest.raises(ValidationError) as err:
        report(body, world.ana)
    assert err.value.parameter == "second_weight"


def test_our_side_is_read_from_the_latest_stances_of_plus_one_or_more(
        world: Any, council: Any) -> None:
    body, issue = council
    r = report(body, world.ana, issue)
    mj = r.majority
    assert mj is not None
    assert [n[0] for n in mj.members] == list("ABCDEF")  # H's latest is -1, G is neutral
    assert mj.winning and mj.weight == 6
    assert (mj.size, mj.count) == (2, 15)  # any 2 of the 6 defecting leaves 4 of 9
    assert mj.critical == ()


def test_a_bare_majority_has_every_member_critical(world: Any, council: Any) -> None:
    body, issue = council
    members = services.members_of(world.ana, body)
    r = services.analyse(members, services.rule_of(body), ours={"A", "B", "C", "D", "E"})
    mj = r.majority
    assert mj is not None and (mj.size, mj.count) == (1, 5)
    assert [n[0] for n in mj.critical] == list("ABCDE")
    assert [m.critical for m in r.members] == [True] * 5 + [False] * 4


def test_a_losing_side_names_who_would_complete_it(world: Any, council: Any) -> None:
    body, _ = council
    members = services.members_of(world.ana, body)
    r = services.analyse(members, services.rule_of(body), ours={"A", "B", "C", "D"})
    mj = r.majority
    assert mj is not None and not mj.winning
    assert mj.shortfall == 1 and len(mj.completers) == 5  # any of E..I makes 5 of 9


def test_an_organization_outside_the_coalition_does_not_see_its_stances(
        world: Any, council: Any) -> None:
    body, issue = council
    mj = report(body, world.omar, issue).majority
    assert mj is not None and [n[0] for n in mj.members] == ["I"]  # Westfield's own view only


def posted(user: Any, body: Body, data: dict[str, str], issue: Any = None) -> services.WhatIf:
    """The what-if panel's path: the form parses what was posted, the service decides."""
    changes = WhatIfForm(services.members_of(user, body), data).changes()
    return services.what_if(user, body, changes, issue=issue)


def test_what_if_moves_a_bloc_changes_a_weight_and_the_rule(world: Any, council: Any) -> None:
    body, issue = council
    seats = {m.key: m for m in services.members_of(world.ana, body)}
    w = posted(world.ana, body, {"move_bloc": "Centrist", "to": "us",
                                 f"w_{seats['I'].seat_id}": "3",
                                 "rule": "supermajority", "threshold": "75"}, issue=issue)
    # weights 1 x 8 and 3: total 11, 75% -> 8.25 -> 9; our side A-H has 8: one short
    assert w.report.majority is not None and not w.report.majority.winning
    assert w.report.majority.shortfall == 1
    assert "rule: supermajority, 75%" in w.changes
    assert any("weight 1 → 3" in c for c in w.changes)
    assert sum(1 for c in w.changes if "moved to our side" in c) == 2  # G and H (F was ours)
    assert w.delta("I") > 0  # the heavier seat gains power


def test_the_what_if_service_takes_typed_values(world: Any, council: Any) -> None:
    body, issue = council
    seats = {m.key: m for m in services.members_of(world.ana, body)}
    typed = services.WhatIfChanges(
        weights={seats["I"].seat_id: Decimal(3)}, move_bloc="Centrist", to="us",
        rule="supermajority", threshold=Decimal("0.75"))
    w = services.what_if(world.ana, body, typed, issue=issue)
    assert w.changes == posted(world.ana, body, {
        "move_bloc": "Centrist", "to": "us", f"w_{seats['I'].seat_id}": "3",
        "rule": "supermajority", "threshold": "75"}, issue=issue).changes
    assert services.what_if(world.ana, body, issue=issue).changes == ()  # nothing changed


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"rule": "dictatorship"}, "rule", "rule must be one of simple_majority, supermajority, "
                                       "quota, double_majority, got 'dictatorship'"),
    ({"threshold": "150"}, "threshold", "threshold must be above 0% and at most 100%, "
                                        "got 150%"),
    ({"rule": "quota", "quota": "-2"}, "quota", "quota must be positive, got -2"),
    ({"rule": "quota", "quota": "99"}, "quota", "quota must not exceed the total weight 9, "
                                                "got 99"),
    ({"move_bloc": "Centrist", "to": "sideways"}, "to", "to must be 'us' or 'them', "
                                                        "got 'sideways'"),
    ({"move": "sideways|Centrist"}, "to", "to must be 'us' or 'them', got 'sideways'"),
    ({"move_bloc": "Whigs", "to": "us"}, "move_bloc", "no bloc named 'Whigs' in this body"),
])
def test_what_if_errors_name_the_field(world: Any, council: Any, data: dict[str, str],
                                        field: str, message: str) -> None:
    body, issue = council
    with pytest.raises(ValidationError) as err:
        posted(world.ana, body, data, issue=issue)
    assert err.value.parameter == field and str(err.value) == message


@pytest.mark.parametrize(("raw", "message"), [
    ("lots", "must be a number, got 'lots'"),
    ("1e309", "must be between 0 and 1,000,000,000, got 1e309"),
    ("NaN", "must be a number, got 'NaN'"),
    ("-1", "must be between 0 and 1,000,000,000, got -1"),
])
def test_what_if_a_weight_out_of_bounds_names_the_seat(world: Any, council: Any, raw: str,
                                                        message: str) -> None:
    body, _ = council
    seat = services.members_of(world.ana, body)[0]
    with pytest.raises(ValidationError) as err:
        posted(world.ana, body, {f"w_{seat.seat_id}": raw})
    assert err.value.parameter == f"w_{seat.seat_id}"
    assert str(err.value) == f"the weight of {seat.name} {message}"


def _ss_brute(weights: list[int], quota: int) -> list[Fraction]:
    from itertools import permutations

    n, counts = len(weights), [0] * len(weights)
    perms = list(permutations(range(n)))
    for order in perms:
        total = 0
        for i in order:
            total += weights[i]
            if total >= quota:
                counts[i] += 1
                break
    return [Fraction(c, len(perms)) for c in counts]


def test_a_disciplined_bloc_is_compared_with_its_delegates_voting_apart(world: Any) -> None:
    """Blocs of 400, 300, 200 and 100 delegates at 60% (600).

    As stored, the 100-bloc (10%) completes a majority in 1/12 of the orders (brute force);
    voting one by one, its delegates are checked against a brute force over the blocs with
    a few delegates.
    """
    body = make_body("blocs", [400, 300, 200, 100], kind="supermajority", threshold="0.6",
                     body_kind="convention")
    members = services.members_of(world.ana, body)
    d = services.disciplined_bloc(members, services.rule_of(body))
    assert d is not None and d.member.key == "D" and d.delegates == 100
    assert d.as_bloc[1] == pytest.approx(float(_ss_brute([400, 300, 200, 100], 600)[3]))
    assert d.textbook_bloc == 100 and d.method == "exact"
    assert 0 <= d.apart[1] <= 1 and 0 <= d.textbook[1] <= 1


def test_a_bloc_split_apart_matches_a_brute_force_on_a_small_convention(world: Any) -> None:
    """Blocs 5 and 4 and a 3-delegate bloc at quota 7 of 12; the 3 delegates apart: weights
    5, 4, 1, 1, 1 (brute force over 120 orders)."""
    body = make_body("small", [5, 4, 3], kind="quota", quota="7", body_kind="convention")
    d = services.disciplined_bloc(services.members_of(world.ana, body), services.rule_of(body),
                                  key="C")
    assert d is not None and d.member.key == "C"
    assert d.as_bloc[1] == pytest.approx(float(_ss_brute([5, 4, 3], 7)[2]))
    assert d.apart[1] == pytest.approx(float(sum(_ss_brute([5, 4, 1, 1, 1], 7)[2:])))


def test_rule_of_a_body_without_a_rule_is_a_simple_majority(world: Any) -> None:
    body = Body.objects.create(name="Bare", slug="bare", kind="board")
    assert services.rule_of(body) == services.Rule(VotingRule.Kind.SIMPLE_MAJORITY)


def test_every_coalition_of_the_small_bodies_agrees_with_the_rule(world: Any) -> None:
    """The scaled integer game wins exactly when the stored weights reach the quota."""
    body = make_body("odd", ["2.5", "1.75", "1", "0.75"], quota="3.25")
    members = services.members_of(world.ana, body)
    game = services.build_game(members, services.rule_of(body))
    for k in range(5):
        for coal in combinations(range(4), k):
            stored = sum((members[i].weight for i in coal), Decimal(0)) >= Decimal("3.25")
            assert game.is_winning(list(coal)) == stored, coal

"""Shared decision rules, checked against textbook examples, brute force and properties."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.tradeoffs import Ballot, Quorum, tally_ballots
from broadfront.exceptions import ValidationError


def ranked(counts, role="member"):
    """Ballots from {ranking: number of voters}."""
    return [Ballot(role, ranking=tuple(r)) for r, n in counts.items() for _ in range(n)]


# The Tennessee capital example: voters in Memphis (42%), Nashville (26%), Chattanooga (15%)
# and Knoxville (17%) rank the cities by distance. Plurality elects Memphis, instant runoff
# Knoxville, and Nashville is the Condorcet winner. Source: Wikipedia, "Instant-runoff voting"
# and "Condorcet method", the Tennessee example in each (the standard teaching profile).
TENNESSEE = {
    ("Memphis", "Nashville", "Chattanooga", "Knoxville"): 42,
    ("Nashville", "Chattanooga", "Knoxville", "Memphis"): 26,
    ("Chattanooga", "Knoxville", "Nashville", "Memphis"): 15,
    ("Knoxville", "Chattanooga", "Nashville", "Memphis"): 17,
}
CITIES = ["Memphis", "Nashville", "Chattanooga", "Knoxville"]


def test_instant_runoff_can_defeat_the_plurality_winner_tennessee():
    r = tally_ballots(CITIES, ranked(TENNESSEE), "instant-runoff")
    assert r.members.counts == {"Memphis": 42, "Nashville": 26, "Chattanooga": 15,
                                "Knoxville": 17}  # Memphis leads on first preferences...
    assert r.winner == "Knoxville"  # ...but loses the runoff 42 to 58
    assert r.members.eliminated == (("Chattanooga",), ("Nashville",), ("Memphis",))


def test_the_condorcet_winner_of_the_tennessee_example_is_nashville():
    r = tally_ballots(CITIES, ranked(TENNESSEE), "condorcet")
    assert r.winner == "Nashville"
    assert r.members.margins["Nashville"] == {"Memphis": 16, "Chattanooga": 36,
                                              "Knoxville": 36}
    assert r.members.smith_set == ("Nashville",)
    assert r.members.counts["Nashville"] == 3


def test_a_condorcet_winner_that_borda_misses_taylor_and_pacelli():
    # Taylor and Pacelli, Mathematics and Politics, 2nd ed. (2008), ch. 1, proof that the Borda
    # count fails the Condorcet winner criterion: voters 1-3 rank a b c, voters 4-5 b c a.
    # a beats b and c 3 to 2 each (Borda would elect b).
    bs = ranked({("a", "b", "c"): 3, ("b", "c", "a"): 2})
    r = tally_ballots(["a", "b", "c"], bs, "condorcet")
    assert r.winner == "a"
    assert r.members.margins["a"] == {"b": 1, "c": 1}
    assert r.members.margins["b"]["c"] == 5
    assert tally_ballots(["a", "b", "c"], bs, "instant-runoff").winner == "a"  # 3 of 5 firsts


def test_the_condorcet_paradox_is_a_cycle_with_no_winner():
    # Condorcet, Essai sur l'application de l'analyse... (1785); Taylor and Pacelli,
    # Mathematics and Politics (2008), ch. 1 (social choice): A > B > C, B > C > A, C > A > B, one voter each.
    bs = ranked({("A", "B", "C"): 1, ("B", "C", "A"): 1, ("C", "A", "B"): 1})
    r = tally_ballots(["A", "B", "C"], bs, "condorcet")
    assert r.winner is None
    assert r.members.outcome == "cycle"
    assert r.members.smith_set == ("A", "B", "C")
    assert r.members.margins["A"]["B"] == 1 and r.members.margins["B"]["C"] == 1
    assert r.members.margins["C"]["A"] == 1


def test_a_head_to_head_tie_is_no_condorcet_winner_but_not_a_cycle():
    bs = ranked({("A", "B"): 1, ("B", "A"): 1})
    r = tally_ballots(["A", "B"], bs, "condorcet")
    assert (r.winner, r.members.outcome, r.members.tied) == (None, "no Condorcet winner",
                                                              ("A", "B"))


def test_options_left_off_a_ranking_rank_below_the_ones_ranked():
    bs = [Ballot(ranking=("A",)), Ballot(ranking=("B",)), Ballot(ranking=("A", "B"))]
    r = tally_ballots(["A", "B", "C"], bs, "condorcet")
    assert r.winner == "A"
    assert r.members.margins["A"] == {"B": 1, "C": 2}


def test_an_exhausted_ranking_drops_out_of_the_runoff():
    # Round 1: A 2, B 2, C 1 -> C out; its ballot ranks nobody else; A and B tie.
    bs = ranked({("A",): 2, ("B",): 2, ("C",): 1})
    r = tally_ballots(["A", "B", "C"], bs, "instant-runoff")
    assert (r.winner, r.members.outcome, r.members.tied) == (None, "tie", ("A", "B"))


def test_majority_needs_more_than_half_of_the_votes_cast():
    r = tally_ballots(["yes", "no"], [Ballot(choice="yes")] * 2 + [Ballot(choice="no")] * 2,
                      "majority")
    assert (r.winner, r.members.outcome) == (None, "no majority")  # exactly half fails
    bs = [Ballot(choice="yes")] * 3 + [Ballot(choice="no")] * 2 + [Ballot(choice=None)] * 4
    assert tally_ballots(["yes", "no"], bs, "majority").winner == "yes"  # abstentions aside


def test_a_plurality_is_not_a_majority_among_three_options():
    bs = [Ballot(choice="A")] * 4 + [Ballot(choice="B")] * 3 + [Ballot(choice="C")] * 2
    r = tally_ballots(["A", "B", "C"], bs, "majority")
    assert r.winner is None and r.members.counts == {"A": 4, "B": 3, "C": 2}


def test_a_two_thirds_vote_is_reached_at_exactly_two_thirds():
    # Robert's Rules: a two-thirds vote means at least two thirds of the votes cast.
    six_of_nine = [Ballot(choice="yes")] * 6 + [Ballot(choice="no")] * 3
    assert tally_ballots(["yes", "no"], six_of_nine, "supermajority").winner == "yes"
    five_of_eight = [Ballot(choice="yes")] * 5 + [Ballot(choice="no")] * 3
    assert tally_ballots(["yes", "no"], five_of_eight, "supermajority").winner is None
    assert tally_ballots(["yes", "no"], six_of_nine, "supermajority",
                         threshold="3/4").winner is None


def test_approval_elects_the_most_approved_option_and_reports_ties():
    bs = [Ballot(approve=("A", "B")), Ballot(approve=("B",)), Ballot(approve=("C", "A")),
          Ballot(approve=())]
    r = tally_ballots(["A", "B", "C"], bs, "approval")
    assert r.members.counts == {"A": 2, "B": 2, "C": 1}
    assert (r.winner, r.members.tied) == (None, ("A", "B"))
    assert tally_ballots(["A", "B", "C"], [*bs, Ballot(approve=("B",))], "approval").winner == "B"


def test_score_voting_adds_the_scores_and_unscored_options_get_the_lowest():
    bs = [Ballot(scores={"A": 5, "B": 3}), Ballot(scores={"B": 4, "C": 5}),
          Ballot(scores={"A": 1, "B": 2, "C": 0})]
    r = tally_ballots(["A", "B", "C"], bs, "score")
    assert r.members.counts == {"A": 6, "B": 9, "C": 5}
    assert r.winner == "B"


def test_scores_are_counted_from_the_bottom_of_a_shifted_range():
    bs = [Ballot(scores={"A": 1}), Ballot(scores={"B": 0})]
    r = tally_ballots(["A", "B"], bs, "score", score_range=(-1, 1))
    assert r.members.counts == {"A": 0, "B": -1} and r.winner == "A"


def test_a_single_block_stops_a_proposal_and_objections_are_recorded_with_reasons():
    bs = [Ballot(voter="ana", position="agree"),
          Ballot(voter="ben", position="object", reason="the date clashes with the vigil"),
          Ballot(voter="cy", position="abstain")]
    passed = tally_ballots(["march"], bs, "consent")
    assert passed.winner == "march"
    assert [(o.voter, o.position, o.reason) for o in passed.members.objections] == [
        ("ben", "object", "the date clashes with the vigil")]
    blocked = tally_ballots(["march"], [*bs, Ballot("leader", voter="dee", position="block",
                                                    reason="breaks our word to the union")],
                            "consent")
    assert blocked.winner is None
    assert blocked.leaders.blocked == ("march",) and blocked.combined.outcome == "blocked"
    assert [o.voter for o in blocked.combined.objections] == ["ben", "dee"]


def test_a_block_stops_a_proposal_even_when_the_blocking_group_is_weighted_low():
    bs = [Ballot(position="agree")] * 20 + [Ballot("leader", position="block")]
    r = tally_ballots(["march"], bs, "consent", combine="weighted",
                      role_weights={"member": 0.99, "leader": 0.01})
    assert r.winner is None and r.combined.blocked == ("march",)


def test_consent_among_several_options_picks_the_unblocked_one_most_agree_with():
    bs = [Ballot(voter="a", option="X", position="agree"),
          Ballot(voter="a", option="Y", position="agree"),
          Ballot(voter="b", option="X", position="agree"),
          Ballot(voter="b", option="Y", position="block"),
          Ballot(voter="c", option="Z", position="agree")]
    r = tally_ballots(["X", "Y", "Z"], bs, "consent")
    assert r.members.blocked == ("Y",) and r.members.counts == {"X": 2, "Y": 1, "Z": 1}
    assert r.winner == "X"


def test_under_both_an_option_members_block_is_out_for_leaders_too():
    # members block the strike and agree to the vigil; leaders prefer the strike but also
    # agree to the vigil: the strike is out for everyone, so both groups choose the vigil
    bs = [Ballot(voter="m1", option="strike", position="block", reason="we are not ready"),
          Ballot(voter="m1", option="vigil", position="agree"),
          Ballot(voter="m2", option="vigil", position="agree"),
          Ballot("leader", voter="l1", option="strike", position="agree"),
          Ballot("leader", voter="l2", option="strike", position="agree"),
          Ballot("leader", voter="l1", option="vigil", position="agree")]
    r = tally_ballots(["strike", "vigil"], bs, "consent")
    assert r.leaders.winner == "strike"  # the leaders' own count is shown as they voted
    assert (r.winner, r.combined.outcome, r.combined.blocked) == ("vigil", "winner", ("strike",))
    # if leaders agreed only to the strike, nothing both groups can live with is left
    only_strike = [b for b in bs if not (b.role == "leader" and b.option == "vigil")]
    r = tally_ballots(["strike", "vigil"], only_strike, "consent")
    assert (r.winner, r.combined.outcome) == (None, "blocked")
    # a block by leaders stops an option members want, the same way
    flipped = [Ballot(voter="m", option="strike", position="agree"),
               Ballot(voter="m", option="vigil", position="agree"),
               Ballot("leader", voter="l", option="strike", position="block"),
               Ballot("leader", voter="l", option="vigil", position="agree")]
    assert tally_ballots(["strike", "vigil"], flipped, "consent").winner == "vigil"


def test_under_both_without_blocks_consent_groups_can_still_disagree():
    bs = [Ballot(voter="m", option="A", position="agree"),
          Ballot("leader", voter="l", option="B", position="agree")]
    r = tally_ballots(["A", "B"], bs, "consent")
    assert (r.winner, r.combined.outcome) == (None, "groups disagree")


def test_a_group_below_its_quorum_decides_nothing():
    bs = [Ballot(choice="yes")] * 2
    r = tally_ballots(["yes", "no"], bs, "majority", quorum={"member": 3})
    assert (r.members.quorum_required, r.members.quorum_met) == (3, False)
    assert r.members.winner is None and r.members.outcome == "quorum not met"
    assert r.members.counts == {"yes": 2, "no": 0}  # still shown
    assert r.winner is None


def test_a_quorum_can_be_a_share_of_eligible_voters_and_abstentions_count_towards_it():
    quorum = {"member": Quorum(eligible=7, fraction=0.5)}  # ceil(3.5) = 4
    bs = [Ballot(choice="yes")] * 3 + [Ballot(choice=None)]
    r = tally_ballots(["yes", "no"], bs, "majority", quorum=quorum)
    assert r.members.quorum_required == 4 and r.members.quorum_met and r.winner == "yes"
    assert tally_ballots(["yes", "no"], bs[:3], "majority", quorum=quorum).winner is None


def test_a_leaders_quorum_with_no_leader_ballots_stops_the_combined_result():
    bs = [Ballot(choice="yes")] * 5
    r = tally_ballots(["yes", "no"], bs, "majority", quorum={"leader": 2})
    assert r.members.winner == "yes"
    assert r.leaders.outcome == "quorum not met" and r.combined.outcome == "quorum not met"
    assert r.winner is None


def test_both_groups_must_pass_the_same_option_under_the_both_rule():
    members = [Ballot(choice="strike")] * 6 + [Ballot(choice="wait")] * 4
    leaders_agree = [Ballot("leader", choice="strike")] * 2 + [Ballot("leader", choice="wait")]
    leaders_split = [Ballot("leader", choice="wait")] * 2 + [Ballot("leader", choice="strike")]
    assert tally_ballots(["strike", "wait"], members + leaders_agree, "majority").winner \
        == "strike"
    r = tally_ballots(["strike", "wait"], members + leaders_split, "majority")
    assert (r.members.winner, r.leaders.winner) == ("strike", "wait")
    assert r.winner is None and r.combined.outcome == "groups disagree"


def test_a_group_that_casts_no_ballots_and_has_no_quorum_does_not_veto():
    r = tally_ballots(["A", "B"], [Ballot(choice="A")], "majority")
    assert r.leaders.outcome == "no ballots" and r.winner == "A"


def test_weighted_combination_gives_each_group_its_share_however_many_turn_out():
    # 10 members: 6 strike, 4 wait; 2 leaders: both wait. Equal weights: strike has
    # 0.5 * 6/10 = 0.3, wait 0.5 * 4/10 + 0.5 = 0.7. Pooled: strike 6 of 12, no majority.
    bs = ([Ballot(choice="strike")] * 6 + [Ballot(choice="wait")] * 4
          + [Ballot("leader", choice="wait")] * 2)
    w = tally_ballots(["strike", "wait"], bs, "majority", combine="weighted")
    assert w.combined.counts == {"strike": 0.3, "wait": 0.7} and w.winner == "wait"
    assert w.combined.ballots == 12
    p = tally_ballots(["strike", "wait"], bs, "majority", combine="pooled")
    assert p.combined.counts == {"strike": 6, "wait": 6} and p.winner is None
    members_only = tally_ballots(["strike", "wait"], bs, "majority", combine="weighted",
                                 role_weights={"member": 1, "leader": 0})
    assert members_only.winner == "strike"


def test_weighted_instant_runoff_uses_fractional_ballots():
    # Members (3): B A C, B A C, C A B; leaders (1): A. Equal weights: first preferences
    # A 1/2, B 1/3, C 1/6 -> C out, its 1/6 goes to A: A 2/3 wins.
    bs = ranked({("B", "A", "C"): 2, ("C", "A", "B"): 1}) + [Ballot("leader", ranking=("A",))]
    r = tally_ballots(["A", "B", "C"], bs, "instant-runoff", combine="weighted")
    assert r.combined.counts == pytest.approx({"A": 0.5, "B": 1 / 3, "C": 1 / 6})
    assert r.winner == "A"
    assert r.members.winner == "B"


@pytest.mark.parametrize("rule, ballot, location, message", [
    ("instant-runoff", Ballot(ranking=("A", "D")), "ballots[1].ranking", "unknown option 'D'"),
    ("instant-runoff", Ballot(ranking=("A", "B", "A")), "ballots[1].ranking", "more than once"),
    ("instant-runoff", Ballot(choice="A"), "ballots[1].ranking", "needs 'ranking'"),
    ("approval", Ballot(approve=("Q",)), "ballots[1].approve", "unknown option 'Q'"),
    ("majority", Ballot(choice="Q"), "ballots[1].choice", "unknown option 'Q'"),
    ("score", Ballot(scores={"A": 9}), "ballots[1].scores", "between 0 and 5"),
    ("consent", Ballot(position="veto", option="A"), "ballots[1].position", "veto"),
    ("consent", Ballot(position="agree"), "ballots[1].option", "name its option"),
    ("majority", Ballot("treasurer", choice="A"), "ballots[1].role", "treasurer"),
])
def test_a_bad_ballot_is_refused_naming_its_place(rule, ballot, location, message):
    first = {"instant-runoff": Ballot(ranking=("A",)), "approval": Ballot(approve=("A",)),
             "majority": Ballot(choice="A"), "score": Ballot(scores={"A": 1}),
             "consent": Ballot(position="agree", option="A")}[rule]
    with pytest.raises(ValidationError, match=message) as err:
        tally_ballots(["A", "B", "C"], [first, ballot], rule)
    assert err.value.location == location
    assert str(err.value).startswith(location)


def test_a_voter_is_counted_once():
    bs = [Ballot(voter="ana", choice="A"), Ballot(voter="ben", choice="B"),
          Ballot("leader", voter="ana", choice="B")]
    with pytest.raises(ValidationError, match="'ana' already voted in ballots\\[0\\]") as err:
        tally_ballots(["A", "B"], bs, "majority")
    assert err.value.location == "ballots[2].voter"


def test_under_consent_a_voter_takes_one_position_per_option():
    bs = [Ballot(voter="ana", option="A", position="agree"),
          Ballot(voter="ana", option="B", position="block")]
    assert tally_ballots(["A", "B"], bs, "consent").winner == "A"
    with pytest.raises(ValidationError, match="on option 'A'"):
        tally_ballots(["A", "B"], [*bs, Ballot(voter="ana", option="A", position="block")],
                      "consent")


@pytest.mark.parametrize("kwargs, parameter", [
    ({"rule": "borda"}, "rule"),
    ({"combine": "either"}, "combine"),
    ({"rule": "majority", "threshold": 0.6}, "threshold"),
    ({"rule": "supermajority", "threshold": 0.4}, "threshold"),
    ({"rule": "supermajority", "threshold": "two thirds"}, "threshold"),
    ({"role_weights": {"member": -1}}, "role_weights"),
    ({"role_weights": {"chair": 1}}, "role_weights"),
    ({"quorum": {"member": Quorum(eligible=4)}}, "quorum"),
    ({"score_range": (5, 0), "rule": "score"}, "score_range"),
])
def test_bad_settings_are_refused_naming_the_parameter(kwargs, parameter):
    args = {"rule": "majority"} | kwargs
    rule = args.pop("rule")
    with pytest.raises(ValidationError) as err:
        tally_ballots(["A", "B"], [], rule, **args)
    assert err.value.parameter == parameter


def test_no_ballots_means_no_winner():
    r = tally_ballots(["A", "B"], [], "instant-runoff")
    assert r.winner is None and r.combined.outcome == "no ballots"


# ---------------------------------------------------------------- brute force and properties

OPTS = ["A", "B", "C", "D"]


def irv_by_hand(rankings, weights, options):
    """Instant runoff written out: drop every option tied for fewest first preferences."""
    left = set(options)
    while True:
        firsts = dict.fromkeys(left, 0)
        for r, w in zip(rankings, weights, strict=True):
            top = next((o for o in r if o in left), None)
            if top is not None:
                firsts[top] += w
        total = sum(firsts.values())
        best = max(firsts.values())
        if total == 0:
            return sorted(left)
        low = min(firsts.values())
        if low == best:
            return sorted(left)
        left -= {o for o, v in firsts.items() if v == low}
        if len(left) == 1:
            return sorted(left)


def condorcet_by_hand(rankings, options):
    def prefers(r, a, b):
        pos = {o: k for k, o in enumerate(r)}
        return pos.get(a, len(r)) < pos.get(b, len(r))

    for a in options:
        if all(sum(prefers(r, a, b) for r in rankings) > sum(prefers(r, b, a) for r in rankings)
               for b in options if b != a):
            return a
    return None


profiles = st.lists(
    st.permutations(OPTS).flatmap(lambda p: st.integers(1, 4).map(lambda k: tuple(p[:k]))),
    min_size=1, max_size=9)


@settings(max_examples=60, deadline=None)
@given(profiles)
def test_instant_runoff_agrees_with_a_count_by_hand(rankings):
    r = tally_ballots(OPTS, [Ballot(ranking=x) for x in rankings], "instant-runoff")
    expected = irv_by_hand(rankings, [1] * len(rankings), OPTS)
    got = [r.winner] if r.winner is not None else list(r.members.tied)
    assert got == expected


@settings(max_examples=60, deadline=None)
@given(profiles)
def test_the_condorcet_winner_agrees_with_every_head_to_head_count_by_hand(rankings):
    r = tally_ballots(OPTS, [Ballot(ranking=x) for x in rankings], "condorcet")
    assert r.winner == condorcet_by_hand(rankings, OPTS)
    if r.winner is not None:
        assert r.members.smith_set == (r.winner,)


@settings(max_examples=40, deadline=None)
@given(profiles, st.randoms(use_true_random=False))
def test_the_order_of_the_ballots_does_not_matter(rankings, rnd):
    shuffled = list(rankings)
    rnd.shuffle(shuffled)
    for rule in ("instant-runoff", "condorcet"):
        a = tally_ballots(OPTS, [Ballot(ranking=x) for x in rankings], rule)
        b = tally_ballots(OPTS, [Ballot(ranking=x) for x in shuffled], rule)
        assert (a.winner, a.members.tied) == (b.winner, b.members.tied)


@settings(max_examples=40, deadline=None)
@given(profiles, profiles)
def test_equal_groups_with_equal_weights_decide_as_if_pooled(members, leaders):
    n = min(len(members), len(leaders))
    bs = ([Ballot("member", ranking=x) for x in members[:n]]
          + [Ballot("leader", ranking=x) for x in leaders[:n]])
    for rule in ("instant-runoff", "condorcet"):
        w = tally_ballots(OPTS, bs, rule, combine="weighted")
        p = tally_ballots(OPTS, bs, rule, combine="pooled")
        assert (w.winner, w.combined.tied) == (p.winner, p.combined.tied)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(OPTS), min_size=1, max_size=12))
def test_a_majority_winner_is_also_the_runoff_and_condorcet_winner(tops):
    # Put each voter's choice first in a ranking; a strict majority of first choices wins all.
    rankings = [(t, *[o for o in OPTS if o != t]) for t in tops]
    maj = tally_ballots(OPTS, [Ballot(choice=t) for t in tops], "majority").winner
    if maj is not None:
        for rule in ("instant-runoff", "condorcet"):
            assert tally_ballots(OPTS, [Ballot(ranking=r) for r in rankings], rule).winner == maj


def test_brute_force_helpers_agree_on_every_two_voter_profile_of_three_options():
    # A cheap exhaustive check of the test's own reference against pref_voting.
    orders = list(itertools.permutations(["A", "B", "C"]))
    for a, b in itertools.product(orders, repeat=2):
        r = tally_ballots(["A", "B", "C"], [Ballot(ranking=a), Ballot(ranking=b)],
                          "instant-runoff")
        got = [r.winner] if r.winner else list(r.members.tied)
        assert got == irv_by_hand([a, b], [1, 1], ["A", "B", "C"])

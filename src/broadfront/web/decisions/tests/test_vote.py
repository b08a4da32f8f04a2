"""Voting on the web: a form that matches the rule, the result by group, the reasons given."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from broadfront.web.decisions import services
from broadfront.web.decisions.models import Ballot

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _decision(world: Any, rule: str, options: list[str], **kw: Any) -> tuple[Any, dict[str, int]]:
    d = services.do_create_decision(world.ana, organization=world.northside,
                                    question=f"A {rule} question", options=options, rule=rule,
                                    **kw)
    return d, {o.label: o.pk for o in d.options.all()}


def test_ranked_ballots_are_cast_with_select_boxes_and_counted_by_instant_runoff(world):
    d, o = _decision(world, "instant-runoff", ["March", "Sit-in", "Wait"])
    ana, ben = _client(world.ana), _client(world.ben)
    form = ana.get(f"/decisions/{d.pk}/").content.decode()
    assert form.count('<select name="rank_') == 3 and 'value="leader" checked' in form
    r = ana.post(f"/decisions/{d.pk}/ballot/", {"role": "leader", "rank_1": o["Sit-in"],
                                               "rank_2": o["March"], "rank_3": ""})
    assert r.status_code == 302
    ben.post(f"/decisions/{d.pk}/ballot/", {"role": "member", "rank_1": o["Sit-in"],
                                           "rank_2": o["Wait"]})
    ballot = Ballot.objects.get(decision=d, voter=world.ana)
    assert (ballot.role, ballot.ranking) == ("leader", [o["Sit-in"], o["March"]])
    result = ben.get(f"/decisions/{d.pk}/").context["p"].result
    assert (result.members.winner, result.leaders.winner, result.winner) == ("Sit-in",) * 3
    # Ana's form remembers her ranking.
    again = ana.get(f"/decisions/{d.pk}/").content.decode()
    assert f'<option value="{o["Sit-in"]}" selected>Sit-in</option>' in again


def test_a_ranking_that_repeats_an_option_is_refused_with_the_reason(world):
    d, o = _decision(world, "condorcet", ["A", "B"])
    r = _client(world.ben).post(f"/decisions/{d.pk}/ballot/",
                                {"rank_1": o["A"], "rank_2": o["A"]})
    assert r.status_code == 400
    assert "ranking lists an option twice" in r.content.decode()
    assert not Ballot.objects.filter(decision=d).exists()


def test_approval_ballots_use_checkboxes(world):
    d, o = _decision(world, "approval", ["Rally", "Petition", "Boycott"])
    _client(world.ana).post(f"/decisions/{d.pk}/ballot/",
                            {"role": "member", "approve": [o["Rally"], o["Petition"]]})
    _client(world.ben).post(f"/decisions/{d.pk}/ballot/", {"approve": [o["Petition"]]})
    page = _client(world.ana).get(f"/decisions/{d.pk}/")
    result = page.context["p"].result
    assert result.members.counts == {"Rally": 1, "Petition": 2, "Boycott": 0}
    assert result.winner == "Petition"
    html = page.content.decode()
    assert f'name="approve" value="{o["Rally"]}" checked' in html
    assert f'name="approve" value="{o["Boycott"]}">' in html


def test_score_ballots_give_each_option_a_score_from_0_to_5(world):
    d, o = _decision(world, "score", ["North", "South"])
    _client(world.ana).post(f"/decisions/{d.pk}/ballot/",
                            {"role": "member", f"score_{o['North']}": "5",
                             f"score_{o['South']}": "1"})
    _client(world.ben).post(f"/decisions/{d.pk}/ballot/",
                            {f"score_{o['North']}": "0", f"score_{o['South']}": "3"})
    result = _client(world.ana).get(f"/decisions/{d.pk}/").context["p"].result
    assert result.members.counts == {"North": 5, "South": 4} and result.winner == "North"
    bad = _client(world.ben).post(f"/decisions/{d.pk}/ballot/", {f"score_{o['North']}": "9"})
    assert bad.status_code == 400 and "a score must be between 0 and 5" in bad.content.decode()


def test_a_majority_ballot_is_one_choice_and_recasting_replaces_it(world):
    d, o = _decision(world, "majority", ["Yes", "No"])
    ben = _client(world.ben)
    ben.post(f"/decisions/{d.pk}/ballot/", {"choice": o["Yes"], "reason": "We promised."})
    ben.post(f"/decisions/{d.pk}/ballot/", {"choice": o["No"], "reason": "Changed my mind."})
    assert Ballot.objects.filter(decision=d).count() == 1
    page = ben.get(f"/decisions/{d.pk}/")
    assert page.context["p"].result.members.counts == {"Yes": 0, "No": 1}
    html = page.content.decode()
    assert f'name="choice" value="{o["No"]}" checked' in html
    assert "Changed my mind." in html and "chose No" in html
    assert "Change my ballot" in html


def test_consent_positions_per_option_with_reasons_and_a_block_listed(world):
    d, o = _decision(world, "consent", ["Walk out", "Stay at the table"])
    _client(world.ana).post(f"/decisions/{d.pk}/ballot/", {
        "role": "leader", f"position_{o['Walk out']}": "agree",
        f"position_{o['Stay at the table']}": "object",
        "reason": "Staying looks like we accept the cut."})
    _client(world.ben).post(f"/decisions/{d.pk}/ballot/", {
        f"position_{o['Walk out']}": "block", f"position_{o['Stay at the table']}": "agree",
        "reason": "We lose the budget seat if we walk."})
    page = _client(world.ben).get(f"/decisions/{d.pk}/")
    p = page.context["p"]
    # Members: "Walk out" is blocked, so "Stay at the table" (1 agree); leaders, as they
    # voted: "Walk out" (1 agree against an objection). Both groups must pass the decision,
    # and a block stops an option for everyone: among the rest, leaders only objected to
    # "Stay at the table", and an objection is recorded but does not stop it.
    assert (p.result.members.winner, p.result.leaders.winner) == ("Stay at the table",
                                                                  "Walk out")
    assert p.result.combined.blocked == ("Walk out",)
    assert p.result.winner == "Stay at the table" and p.result.combined.outcome == "winner"
    assert [(x.voter, x.position, x.option) for x in p.objections] == [
        ("ben", "block", "Walk out"), ("ana", "object", "Stay at the table")]
    html = page.content.decode()
    assert ('<span class="badge broken">block</span> on <strong>Walk out</strong> by ben '
            '(member): “We lose the budget seat if we walk.”') in html
    assert f'name="position_{o["Walk out"]}" value="block" checked' in html


def test_a_viewer_cannot_cast_a_leaders_ballot(world):
    d, o = _decision(world, "majority", ["Yes"])
    ben = _client(world.ben)
    assert 'name="role" value="leader"' not in ben.get(f"/decisions/{d.pk}/").content.decode()
    r = ben.post(f"/decisions/{d.pk}/ballot/", {"role": "leader", "choice": o["Yes"]})
    assert r.status_code == 403 and "organizer role" in r.content.decode()


def test_a_closed_decision_has_no_ballot_form_and_refuses_ballots(world):
    d, o = _decision(world, "majority", ["Yes"])
    services.do_close_decision(world.ana, d)
    ben = _client(world.ben)
    assert 'id="vote"' not in ben.get(f"/decisions/{d.pk}/").content.decode()
    r = ben.post(f"/decisions/{d.pk}/ballot/", {"choice": o["Yes"]})
    assert r.status_code == 409 and "not open for ballots" in r.content.decode()


def test_a_quorum_not_met_decides_nothing(world):
    d, o = _decision(world, "majority", ["Yes", "No"], quorum=2)
    _client(world.ben).post(f"/decisions/{d.pk}/ballot/", {"choice": o["Yes"]})
    page = _client(world.ben).get(f"/decisions/{d.pk}/")
    members = page.context["p"].result.members
    assert (members.quorum_required, members.quorum_met, members.winner) == (2, False, None)
    assert "quorum 2 not met" in page.content.decode()

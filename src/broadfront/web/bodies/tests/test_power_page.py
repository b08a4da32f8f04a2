"""The body page's power sections and the HTMX what-if panel."""

from __future__ import annotations

import re
from typing import Any

from broadfront.web.landscape.models import Body, Seat

from .conftest import make_body


def text(response: Any) -> str:
    html = re.sub(r"<script.*?</script>|<style.*?</style>", "", response.content.decode(),
                  flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_equal_power_despite_unequal_weights_is_said_in_words(client: Any, world: Any,
                                                             equal_body: Body) -> None:
    client.force_login(world.ana)
    page = client.get(f"/bodies/{equal_body.slug}/?issue=none")
    p = page.context["power"]
    assert [m.swings for m in p.members] == [2, 2, 2]
    body = text(page)
    assert "not proportional to weight" in body
    assert "A MemberThree holds 42.9% of the weight but 33.3% of the power" in body
    assert "Both are computed exactly" in body
    assert "No power at all" not in body


def test_a_member_with_no_power_is_named_in_a_sentence(client: Any, world: Any,
                                                      null_body: Body) -> None:
    client.force_login(world.ana)
    body = text(client.get(f"/bodies/{null_body.slug}/"))
    assert ("No power at all: C MemberNull holds seats with weight but can never change the "
            "outcome") in body
    assert "Veto: A MemberNull, B MemberNull can block every decision alone" in body


def test_our_majority_on_an_issue_shows_how_it_breaks(client: Any, world: Any,
                                                     council: Any) -> None:
    body, issue = council
    client.force_login(world.ana)
    page = text(client.get(f"/bodies/{body.slug}/?issue={issue.slug}"))
    assert "Our majority on Transit" in page
    assert "with 6 of the 9 weight. A decision needs 5 weight" in page
    assert "Our side wins. It breaks if 2 members defect: there are 15 such sets" in page


def test_an_unknown_issue_is_not_found(client: Any, world: Any, council: Any) -> None:
    body, _ = council
    client.force_login(world.ana)
    assert client.get(f"/bodies/{body.slug}/?issue=nope").status_code == 404


def test_the_what_if_panel_recomputes_in_place_with_htmx(client: Any, world: Any,
                                                        council: Any) -> None:
    body, issue = council
    client.force_login(world.ana)
    seats = {s.label: s.pk for s in Seat.objects.filter(body=body)}
    response = client.post(f"/bodies/{body.slug}/what-if/", {
        "issue": issue.slug, f"side_{seats['B']}": "them", f"side_{seats['C']}": "them",
        "move": "them|Centrist"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.templates[0].name == "bodies/_whatif.html"  # the panel only
    page = text(response)
    assert "B MemberNine moved to the other side" in page
    # A, D, E remain (F, a centrist, moved with its bloc): 3 of 9, two short
    assert "Our side (3 weight) does not win. Short by 2." in page


def test_the_what_if_rule_change_shows_the_new_power(client: Any, world: Any,
                                                     equal_body: Body) -> None:
    client.force_login(world.ana)
    response = client.post(f"/bodies/{equal_body.slug}/what-if/",
                           {"issue": "none", "rule": "quota", "quota": "5"},
                           HTTP_HX_REQUEST="true")
    wf = response.context["wf"]
    # quota 5 of 3, 2, 2: A with either B or C wins, B+C (4) loses -> A 3/5, B 1/5, C 1/5
    assert [r["p"].swings for r in wf["rows"]] == [3, 1, 1]
    assert "rule: quota of weight, quota 5" in text(response)
    assert "+26.7 pts" in text(response)  # A: 33.3% -> 60%


def test_a_bad_what_if_value_is_shown_in_place_naming_the_field(client: Any, world: Any,
                                                               equal_body: Body) -> None:
    client.force_login(world.ana)
    response = client.post(f"/bodies/{equal_body.slug}/what-if/",
                           {"issue": "none", "rule": "quota", "quota": "50"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # HTMX swaps only 2xx: the error shows in the panel
    assert response.context["wf"]["error_field"] == "quota"
    assert "quota must not exceed the total weight 7, got 50" in text(response)
    assert 'name="quota" id="wf-quota" size="8" value="50" aria-invalid="true"' in (
        response.content.decode())


def test_without_javascript_the_what_if_form_returns_the_whole_page(client: Any, world: Any,
                                                                   equal_body: Body) -> None:
    client.force_login(world.ana)
    ok = client.post(f"/bodies/{equal_body.slug}/what-if/",
                     {"issue": "none", "rule": "quota", "quota": "5"})
    assert ok.status_code == 200 and "bodies/body.html" in [t.name for t in ok.templates]
    assert ok.context["wf"]["w"].changes
    bad = client.post(f"/bodies/{equal_body.slug}/what-if/", {"issue": "none", "quota": "x"})
    assert bad.status_code == 400 and bad.context["wf"]["error_field"] == "quota"


def test_the_what_if_panel_needs_a_post_and_a_login(client: Any, world: Any,
                                                   equal_body: Body) -> None:
    assert client.post(f"/bodies/{equal_body.slug}/what-if/").status_code == 302  # to login
    client.force_login(world.ana)
    assert client.get(f"/bodies/{equal_body.slug}/what-if/").status_code == 405


def test_a_private_seat_holder_is_not_named_in_the_power_sections(client: Any,
                                                                  world: Any) -> None:
    body = make_body("private", [2, 1, 1], kind="simple_majority")
    seat = Seat.objects.get(body=body, label="A")
    seat.holder = world.ana_person  # a Northside member: private to Northside
    seat.save()
    client.force_login(world.omar)
    page = text(client.get(f"/bodies/{body.slug}/"))
    assert "Dolores" not in page and "A (a private person)" in page
    client.force_login(world.ana)
    assert "Dolores Northmember" in text(client.get(f"/bodies/{body.slug}/"))


def test_a_convention_shows_how_much_power_a_disciplined_bloc_holds(client: Any,
                                                                   world: Any) -> None:
    body = make_body("conv", [400, 300, 200, 100], kind="supermajority", threshold="0.6",
                     body_kind="convention")
    client.force_login(world.ana)
    page = client.get(f"/bodies/{body.slug}/")
    d = page.context["discipline"]
    assert d.member.key == "D"
    assert "D MemberConv casts 100 of the 1,000 delegates (10.0%) as one disciplined bloc" in (
        text(page))
    other = client.get(f"/bodies/{body.slug}/?bloc=B").context["discipline"]
    assert other.member.key == "B"

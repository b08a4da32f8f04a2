"""Who is moving: positions from recorded votes, distance from an anchor, movers flagged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from broadfront.web.common.tests.factories import Scene, build_scene
from broadfront.web.landscape.alignment import body_alignment
from broadfront.web.landscape.models import Body, Motion, Seat, Vote
from broadfront.web.organizations.models import Person

COUNCIL = "riverton-city-council"


@pytest.fixture
def demo(db: Any, fixed_clock: Any) -> Any:
    """The demo on its story's own day (27 Nov 2026): the council's votes fall in 2025-2026."""
    from django.contrib.auth.models import User

    from broadfront.demo import load_demo

    load_demo(scale="small", seed=0)
    return User.objects.get(username="ana")


def _member(name: str) -> Person:
    given, family = name.split()
    return Person.objects.get(given_name=given, family_name=family, owner__isnull=True)


def test_on_the_demo_council_the_progressive_bloc_separates_from_the_centrists(
        demo: Any, client: Any) -> None:
    # Anchored on Marisol Eastwick, a centrist close to the mayor (the demo's cast places the
    # five progressives at +0.8..+1.6 and the three centrists at -0.1..-0.6 on its own axis).
    body = Body.objects.get(slug=COUNCIL)
    anchor = _member("Marisol Eastwick")
    a = body_alignment(demo, body, anchor.pk)
    rows = {m.bloc: [] for m in a.members}  # type: dict[str, list[Any]]
    for m in a.members:
        rows[m.bloc].append(m)
    progressives, centrists = rows["progressive"], rows["centrist"]
    assert len(progressives) == 5 and len(centrists) == 3
    # every progressive's 95% interval lies on the far side of every centrist's
    assert max(m.upper for m in progressives) < min(m.lower for m in centrists)
    # and every progressive votes farther from the anchor than any centrist
    assert min(m.distance for m in progressives) > max(m.distance for m in centrists)
    assert next(m for m in a.members if m.is_anchor).distance == 0.0
    assert a.fit is not None and a.fit.correct_classification > 0.85
    assert a.n_motions == 40 and a.realignment is not None
    assert a.realignment.periods == ("2025", "2026")

    client.force_login(demo)
    page = client.get(f"/landscape/bodies/{COUNCIL}/alignment/?anchor={anchor.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Distance from Marisol Eastwick" in html and "Halima Brightwell" in html
    assert "Who is moving" in html


def _vote(body: Body, ident: str, day: dt.date, row: list[int], people: list[Person]) -> None:
    motion = Motion.objects.create(body=body, identifier=ident, title=ident, date=day)
    Vote.objects.bulk_create([Vote(motion=motion, voter=p, option="yes" if v else "no")
                              for p, v in zip(people, row, strict=True)])


def test_a_member_who_starts_voting_with_the_other_side_is_flagged(world: Any) -> None:
    # Eight members in a line: rank r votes yes on "left" vote k when r < k and on "right"
    # vote k when r >= k. In 2026 Cy (rank 2) votes exactly like Gus (rank 6).
    names = ["Ann", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal"]
    people = [Person.objects.create(given_name=n, family_name="Member") for n in names]
    body = Body.objects.create(name="Line council", slug="line", kind="council")
    for i, p in enumerate(people):
        Seat.objects.create(body=body, label=f"Seat {i}", holder=p)
    year1 = [[int(r < k) for k in range(1, 8)] + [int(r >= k) for k in range(2, 7)]
             for r in range(8)]
    year2 = [row[:] for row in year1]
    year2[2] = year1[6][:]
    for year, matrix in ((2025, year1), (2026, year2)):
        for j in range(len(matrix[0])):
            _vote(body, f"{year}-{j}", dt.date(year, 3, 1) + dt.timedelta(days=j),
                  [row[j] for row in matrix], people)
    a = body_alignment(world.ana, body, people[-1].pk)
    assert [m.name for m in a.movers] == ["Cy Member"]
    (cy,) = a.movers
    assert cy.change > 0  # toward Hal, the anchor's side
    assert cy.before < 0 < cy.after


def test_the_alignment_page_404s_for_an_unknown_body_and_names_a_bad_anchor(
        client: Any, world: Any) -> None:
    scene: Scene = build_scene(world)
    client.force_login(world.ana)
    assert client.get("/landscape/bodies/nope/alignment/").status_code == 404
    page = client.get(f"/landscape/bodies/{scene.body.slug}/alignment/?anchor=999999")
    assert page.status_code == 400
    assert "anchor 999999 is not a member" in page.content.decode()
    ok = client.get(f"/landscape/bodies/{scene.body.slug}/alignment/")
    assert ok.status_code == 200
    assert "All recorded votes fall in one year" in ok.content.decode()


def test_a_private_voter_is_never_named(client: Any, world: Any) -> None:
    # A body where one voter is Faith's private member: Ana sees a placeholder.
    body = Body.objects.create(name="Tenant board", slug="tenant-board", kind="board")
    voters = [world.grace_person, world.mayor]
    _vote(body, "b-1", dt.date(2026, 2, 1), [1, 0], voters)
    client.force_login(world.ana)
    html = client.get("/landscape/bodies/tenant-board/alignment/").content.decode()
    assert "Faithmember" not in html and "Private member" in html
    client.force_login(world.grace)
    assert "Ezra Faithmember" in client.get("/landscape/bodies/tenant-board/alignment/"
                                            ).content.decode()

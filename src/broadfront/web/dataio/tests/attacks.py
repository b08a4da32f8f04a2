"""The four reproductions of issue 13 (H1) as files, and a snapshot of the rows they target.

Omar organizes Westfield Business Alliance, an opponent at no table with Northside. Each file
tries to rewrite a record that is not Westfield's: Northside's own organization row, a
precinct's expected attendance, a council member's recorded vote, and (Popolo) a public
figure's name plus a council seat for Omar's own candidate. Shared by the service tests and
the CLI tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[5] / "docs" / "examples" / "data"
PRECINCT = "ocd-division/country:us/state:mn/place:minneapolis/precinct:w9-p1"
CITY = "ocd-division/country:us/state:mn/place:minneapolis"
COUNCIL = "riverton-city-council"


def make_operator() -> Any:
    """Olga runs the installation (a superuser of no organization)."""
    from django.contrib.auth.models import User

    return User.objects.create_superuser("olga", "olga@example.org", "a long test password")


def make_admin(world: Any) -> Any:
    """Nadia is an admin of Northside: she reads its audit log."""
    from django.contrib.auth.models import User

    from broadfront.web.organizations.models import OrganizationRole

    nadia = User.objects.create_user("nadia", "nadia@example.org", "a long test password")
    OrganizationRole.objects.create(user=nadia, organization=world.northside, role="admin")
    return nadia


def load_landscape(world: Any, operator: Any) -> None:
    """The operator loads the example divisions and the Riverton council (Popolo)."""
    from broadfront.web.dataio.services import do_import

    do_import(operator, world.westfield, EXAMPLES / "divisions.csv", format="csv",
              kind="divisions")
    do_import(operator, world.westfield, EXAMPLES / "popolo_council.json", format="popolo")


def grant(organization: Any, *, body: str | None = None, division: str | None = None) -> Any:
    from broadfront.web.landscape.models import Body
    from broadfront.web.organizations.models import Curation, Division

    return Curation.objects.create(
        organization=organization,
        body=Body.objects.get(slug=body) if body else None,
        division=Division.objects.get(ocd_id=division) if division else None)


def organizations_file(folder: Path) -> Path:
    f = folder / "orgs.csv"
    f.write_text("slug,name,kind\nnorthside,Northside Sellouts,chapter\n")
    return f


def divisions_file(folder: Path) -> Path:
    f = folder / "divisions.csv"
    f.write_text("ocd_id,name,level,parent,party_vote,expected_attendance\n"
                 f"{PRECINCT},Ward 9 Precinct 1,precinct,{CITY},812,99999\n")
    return f


def rollcalls_file(folder: Path) -> Path:
    f = folder / "rollcalls.csv"
    f.write_text("body,motion,title,date,result,voter,option\n"
                 f"{COUNCIL},2026-14,Rent stabilization ordinance,2026-03-12,pass,"
                 "popolo:ocd-person/ben,yes\n")
    return f


def popolo_file(folder: Path) -> Path:
    """Renames Ada Ames and seats Felix Bizmember (Westfield's person) in her ward."""
    doc = json.loads((EXAMPLES / "popolo_council.json").read_text())
    doc["persons"][0]["name"] = doc["persons"][0]["given_name"] = "Puppet"
    doc["persons"].append({"id": "ocd-person/felix", "name": "Felix Bizmember",
                           "given_name": "Felix", "family_name": "Bizmember"})
    doc["memberships"][0]["person_id"] = "ocd-person/felix"
    f = folder / "council.json"
    f.write_text(json.dumps(doc))
    return f


#: kind, file maker, CSV/Popolo format, row and field each refusal names
ATTACKS = {
    "organizations": (organizations_file, "csv", 2, "slug"),
    "divisions": (divisions_file, "csv", 2, "ocd_id"),
    "rollcalls": (rollcalls_file, "csv", 2, "option"),
    "popolo": (popolo_file, "popolo", "/persons/0", "name"),
}


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row the attacks aim at, plus the audit log: compare before and after."""
    from broadfront.web.common.models import AuditEntry
    from broadfront.web.landscape.models import Body, Motion, Seat, Vote
    from broadfront.web.organizations.models import Division, Organization, Person

    def rows(model: Any, *fields: str) -> list[tuple[Any, ...]]:
        return sorted(model.objects.values_list("pk", *fields), key=repr)

    return {
        "organizations": rows(Organization, "slug", "name", "kind", "parent_id", "base_size"),
        "divisions": rows(Division, "ocd_id", "name", "parent_id", "party_vote",
                          "expected_attendance"),
        "bodies": rows(Body, "slug", "name", "division_id"),
        "seats": rows(Seat, "body_id", "label", "holder_id", "start_date"),
        "motions": rows(Motion, "body_id", "identifier", "title", "result"),
        "votes": rows(Vote, "motion_id", "voter_id", "option"),
        "people": rows(Person, "owner_id", "given_name", "family_name", "identifiers"),
        "audit": rows(AuditEntry, "action", "organization_id", "subject_organization_id"),
    }

"""Who may create, change and delete each kind of record: the one write rule.

Reads are decided by :mod:`broadfront.web.common.tenancy`; writes are decided here. Every
record falls in one of these groups (``RULES`` maps each model to its group):

``owned``
    A record of one organization (a person, an event, a commitment, a decision, ...): the
    organizers of that organization write it (a ballot: any member with a role, viewers
    included). Found through ``path``, the attribute chain leading to the organization.
``organization``
    An :class:`~broadfront.web.organizations.models.Organization` row. Changed by its own
    admins (role ``admin``); deleted by site operators only. A *new* row may be created by
    anyone who organizes some organization, as a plain landscape actor (a union, a chamber of
    commerce, a party) that nobody controls: creating it grants no role in it, so afterwards
    only site operators may change it. A row may be made a chapter of a federation (``parent``)
    only by that federation's admins.
``administered``
    Roles in an organization: its admins.
``coordinated``
    Coalitions, their memberships and coordinators: the coalition's coordinators; a new
    coalition: site operators (the coalition pages create them through their own service).
``personal``
    A user's own records (API tokens, two-step sign-in authenticators): that user.
``shared``
    Public records every organization reads (divisions, bodies, voting rules, seats, motions,
    recorded votes, public figures, issues): site operators, or the organizers of an
    organization granted curation (:class:`~broadfront.web.organizations.models.Curation`) of
    the place the record lies in. A division's curation covers the division, its descendants
    and the bodies seated in them; a body's covers its seats, voting rules, motions and votes.
    A public figure lies where they hold a seat or cast a recorded vote. A record in no curated
    place (an issue, a new top-level division) is written by site operators only; a new public
    figure by site operators or any curating organization.
``operator``
    Everything else (curation grants, users, API tokens of others, unknown models): site
    operators only. The audit log is append-only for everyone.

Three refinements of ``owned`` rows are data in the table too: ``table`` lets organizers of
any organization at the record's coalition table write it as well (a partner phones in a
caucus-night result); ``raised`` asks for a higher role when a field has a value (a leader's
ballot needs an organizer); ``reviewers`` lets the coordinators of a coalition *review* the
record (action ``review``: a coordinator verifies a partner's claimed contribution). One
check the table cannot hold is written beside it (:data:`_PLACE_CHECKS`): an attendance is
recorded only at an event of the person's organization or one shared with a coalition that
organization sits at.

Site operators (superusers) may write everything except the audit log. A record to be created
is passed unsaved, with the fields it will have; a change is checked against both the record
as it will be and as it is stored, so moving a seat to another body needs both.

Examples
--------
>>> from broadfront.web.common.permissions import group_of
>>> group_of("landscape.vote"), group_of("accountability.commitment")
('shared', 'owned')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.db import models
from django.db.models import Q

from broadfront.exceptions import PermissionDeniedError
from broadfront.web.common.tenancy import (
    ROLE_ADMIN,
    ROLE_ORGANIZER,
    ROLE_VIEWER,
    feature_model,
    is_site_operator,
    own_org_ids,
)

if TYPE_CHECKING:
    from broadfront.web.common.tenancy import UserLike

Action = Literal["create", "change", "delete", "review"]
CREATE: Action = "create"
CHANGE: Action = "change"
DELETE: Action = "delete"
REVIEW: Action = "review"
_ACTIONS = (CREATE, CHANGE, DELETE, REVIEW)

Group = Literal["owned", "organization", "administered", "coordinated", "personal", "shared",
                "operator"]


@dataclass(frozen=True)
class Rule:
    """How one model is written: its group and, for owned records, the path to the owner.

    ``table``, ``reviewers`` and ``raised`` refine an owned record (see the module docstring):
    a path to a coalition whose member organizations' organizers may write it too; a path to
    a coalition whose coordinators may review it; ``(field, value, role)`` triples asking for
    ``role`` when the record's ``field`` equals ``value``. A ``review`` of a record without
    ``reviewers`` is a change.
    """

    group: Group
    path: str = ""
    min_role: str = ROLE_ORGANIZER
    table: str = ""
    reviewers: str = ""
    raised: tuple[tuple[str, Any, str], ...] = ()


#: The rule of every model, by ``app_label.model_name``. Models not listed: site operators.
RULES: dict[str, Rule] = {
    # organizations
    "organizations.organization": Rule("organization"),
    "organizations.organizationrole": Rule("administered", "organization_id"),
    "organizations.coalition": Rule("coordinated", "pk"),
    "organizations.coalitionmembership": Rule("coordinated", "coalition_id"),
    "organizations.coalitioncoordinator": Rule("coordinated", "coalition_id"),
    "organizations.person": Rule("owned", "owner_id"),  # no owner: a public figure, shared
    "organizations.membership": Rule("owned", "person.owner_id"),
    "organizations.leadershipstep": Rule("owned", "organization_id"),
    "organizations.division": Rule("shared"),
    "organizations.curation": Rule("operator"),
    "auth.user": Rule("operator"),  # an admin's new login is checked as its role in their org
    # accountability
    "accountability.event": Rule("owned", "organization_id"),
    "accountability.attendance": Rule("owned", "person.owner_id"),
    "accountability.attendancetally": Rule("owned", "organization_id"),
    "accountability.commitment": Rule("owned", "partner_id"),
    "accountability.delivery": Rule("owned", "commitment.partner_id"),
    "accountability.contribution": Rule("owned", "organization_id",
                                        reviewers="campaign.coalition_id"),
    # campaigns
    "campaigns.campaign": Rule("owned", "lead_organization_id"),
    "campaigns.target": Rule("owned", "campaign.lead_organization_id"),
    "campaigns.squad": Rule("owned", "organization_id"),
    "campaigns.recruit": Rule("owned", "organization_id"),
    "campaigns.caucusresult": Rule("owned", "campaign.lead_organization_id",
                                   table="campaign.coalition_id"),
    "campaigns.candidate": Rule("owned", "campaign.lead_organization_id"),
    # decisions
    "decisions.decision": Rule("owned", "organization_id"),
    "decisions.option": Rule("owned", "decision.organization_id"),
    "decisions.impact": Rule("owned", "option.decision.organization_id"),
    "decisions.ballot": Rule("owned", "decision.organization_id", ROLE_VIEWER,
                             raised=(("role", "leader", ROLE_ORGANIZER),)),
    "decisions.review": Rule("owned", "decision.organization_id"),
    # landscape
    "landscape.issue": Rule("shared"),
    "landscape.stance": Rule("owned", "recorded_by_id"),
    "landscape.relationship": Rule("owned", "recorded_by_id"),
    "landscape.body": Rule("shared"),
    "landscape.votingrule": Rule("shared"),
    "landscape.seat": Rule("shared"),
    "landscape.motion": Rule("shared"),
    "landscape.vote": Rule("shared"),
    # scenarios and imports
    "scenarios.scenario": Rule("owned", "organization_id"),
    "scenarios.scenariorun": Rule("owned", "scenario.organization_id"),
    "scenarios.scenariosweep": Rule("owned", "scenario.organization_id"),
    "dataio.importjob": Rule("owned", "organization_id"),
    # a user's own
    "common.apitoken": Rule("personal", "user_id"),
    "otp_totp.totpdevice": Rule("personal", "user_id"),
}

_OPERATOR = Rule("operator")


class WriteRefusedError(PermissionDeniedError):
    """A write the rule refuses; names the record (and, from a file, the file, row and field).

    ``parameter`` names the argument or field; ``file``, ``row`` and ``field`` are set when the
    record came from a file (an import), as in :class:`~broadfront.exceptions.InputFileError`.
    """

    def __init__(self, message: str, *, parameter: str | None = None, file: str | None = None,
                 row: int | str | None = None) -> None:
        self.parameter = self.field = parameter
        self.file, self.row = file, row
        location = None
        if file is not None:
            parts = [file]
            if row is not None:
                parts.append(f"row {row}")
            if parameter is not None:
                parts.append(f"field '{parameter}'")
            location = ", ".join(parts)
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


# --- the public functions ---------------------------------------------------------------------

def group_of(label: str) -> Group:
    """The write group of a model label (``app_label.model_name``)."""
    return RULES.get(label.lower(), _OPERATOR).group


def may_write(user: UserLike | None, obj_or_model: models.Model | type[models.Model],
              action: Action | None = None) -> bool:
    """Whether ``user`` may create, change or delete ``obj_or_model``.

    Parameters
    ----------
    user : User
    obj_or_model : Model instance or class
        A stored record (change or delete), an unsaved one with the fields it will have
        (create), or a model class: whether the user may create such records at all (for
        showing links).
    action : {"create", "change", "delete"}, optional
        Default: ``create`` for an unsaved record or a class, else ``change``.

    Returns
    -------
    bool
    """
    return refusal(user, obj_or_model, action) is None


def require_write(user: UserLike | None, obj: models.Model | type[models.Model],
                  action: Action | None = None, *, parameter: str | None = None,
                  source: Any = None) -> None:
    """Refuse, naming the record, unless :func:`may_write` allows it.

    Parameters
    ----------
    user, obj, action :
        As :func:`may_write`.
    parameter : str, optional
        The argument or field the record came from (named in the error).
    source : broadfront.formats.records.Source, optional
        The file and row the record came from (an import).

    Raises
    ------
    WriteRefusedError
        A :class:`~broadfront.exceptions.PermissionDeniedError` (403 in the API, exit 1 in the
        CLI) whose message names the record and why.
    """
    reason = refusal(user, obj, action)
    if reason is None:
        return
    if source is not None:
        raise WriteRefusedError(reason, parameter=parameter, file=source.file, row=source.row)
    raise WriteRefusedError(reason, parameter=parameter)


def refusal(user: UserLike | None, obj_or_model: models.Model | type[models.Model],
            action: Action | None = None) -> str | None:
    """Why ``user`` may not write ``obj_or_model`` (a sentence), or ``None`` when they may."""
    model: type[models.Model]
    obj: models.Model | None
    if isinstance(obj_or_model, type):
        model, obj = obj_or_model, None
    else:
        model, obj = type(obj_or_model), obj_or_model
    if action is None:
        action = CREATE if obj is None or obj.pk is None else CHANGE
    if action not in _ACTIONS:
        raise ValueError(f"action must be one of {', '.join(_ACTIONS)}, got {action!r}")
    label = model._meta.label_lower
    if label == "common.auditentry":
        return "the audit log is append-only: nobody may change it"
    if user is None or not getattr(user, "is_authenticated", False):
        return f"you must sign in to {action} {_name(model, obj)}"
    if is_site_operator(user):
        return None
    rule = RULES.get(label, _OPERATOR)
    if rule.group == "owned" and label == "organizations.person" and (
            obj is not None and getattr(obj, "owner_id", None) is None):
        rule = Rule("shared")  # a public figure
    if action == REVIEW and not rule.reviewers:
        action = CHANGE  # a review of a record nobody else reviews is a change
    check = _CHECKS[rule.group]
    reason = check(user, model, obj, action, rule)
    if reason is None and obj is not None and label in _PLACE_CHECKS:
        reason = _PLACE_CHECKS[label](obj)
    return reason


def subject_organization_ids(obj: models.Model) -> list[int]:
    """The organizations whose record ``obj`` is: they read the audit entries about it.

    The owning organization of an owned record; an organization row itself; for a shared
    record, the organizations curating the place it lies in (none when nobody curates it).
    """
    label = obj._meta.label_lower
    rule = RULES.get(label, _OPERATOR)
    if label == "organizations.person" and getattr(obj, "owner_id", None) is None:
        rule = Rule("shared")
    if rule.group in ("owned", "administered"):
        owner = _follow(obj, rule.path)
        return [owner] if owner is not None else []
    if rule.group == "organization":
        return [obj.pk] if obj.pk is not None else []
    if rule.group == "shared":
        divisions, bodies = _places(obj)
        return sorted(_curators(divisions, bodies))
    return []


def curating_organization_ids(user: UserLike | None) -> frozenset[int]:
    """Organizations the user organizes that hold at least one curation grant."""
    Curation = feature_model("organizations.Curation")

    mine = own_org_ids(user, ROLE_ORGANIZER)
    if not mine:
        return frozenset()
    return frozenset(Curation.objects.filter(organization_id__in=mine)
                     .values_list("organization_id", flat=True))


# --- the groups -------------------------------------------------------------------------------

def _name(model: type[models.Model], obj: models.Model | None) -> str:
    verbose = str(model._meta.verbose_name)
    if obj is None:
        return f"a new {verbose}"
    if obj.pk is not None:  # name the record as stored, not as the refused change has it
        obj = model._default_manager.filter(pk=obj.pk).first() or obj
    try:
        shown = f" {str(obj)!r}"
    except Exception:  # a record still being built may not print (missing fields)
        shown = ""
    if obj.pk is None:
        return f"a new {verbose}{shown}"
    return f"{verbose}{shown}"


def _follow(obj: models.Model, path: str) -> Any:
    value: Any = obj
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def _owned(user: UserLike | None, model: type[models.Model], obj: models.Model | None,
           action: Action,
           rule: Rule) -> str | None:
    min_role = rule.min_role
    for field, value, role in rule.raised:
        if obj is not None and getattr(obj, field, None) == value:
            min_role = role
    if action == REVIEW:
        return _review(user, model, obj, rule)
    mine = own_org_ids(user, min_role)
    if obj is None:
        return None if mine else (f"you need the {min_role} role in an organization to "
                                  f"create {_name(model, None)}")
    owners = {_follow(obj, rule.path)}
    if action == CHANGE and obj.pk is not None:
        stored = model._default_manager.filter(pk=obj.pk).first()
        if stored is not None:
            owners.add(_follow(stored, rule.path))
    if None in owners or not owners <= mine:
        if rule.table and _at_table(mine, _follow(obj, rule.table)):
            return None
        at_table = " or of an organization at its coalition table" if rule.table else ""
        if None not in owners and owners <= own_org_ids(user):  # a viewer of the owner
            return (f"you need the {min_role} role in this organization{at_table} to "
                    f"{action} {_name(model, obj)}")
        return (f"you may not {action} {_name(model, obj)}: it belongs to another "
                f"organization, and only its {min_role}s{at_table} may")
    return None


def _at_table(org_ids: frozenset[int] | set[int], coalition_id: int | None) -> bool:
    """Whether one of ``org_ids`` sits at the coalition ``coalition_id``."""
    CoalitionMembership = feature_model("organizations.CoalitionMembership")

    return bool(org_ids) and coalition_id is not None and CoalitionMembership.objects.filter(
        coalition_id=coalition_id, organization_id__in=org_ids).exists()


def _review(user: UserLike | None, model: type[models.Model], obj: models.Model | None,
            rule: Rule) -> str | None:
    CoalitionCoordinator = feature_model("organizations.CoalitionCoordinator")

    coalition = None if obj is None else _follow(obj, rule.reviewers)
    if coalition is None or not CoalitionCoordinator.objects.filter(
            user=user, coalition_id=coalition).exists():
        return (f"you may not review {_name(model, obj)}: only the coordinators of the "
                f"coalition it is filed with may")
    return None


def _organization(user: UserLike | None, model: type[models.Model], obj: models.Model | None,
                  action: Action, rule: Rule) -> str | None:
    Organization = feature_model("organizations.Organization")

    admins_of = own_org_ids(user, ROLE_ADMIN)
    if obj is None or obj.pk is None:
        if not own_org_ids(user, ROLE_ORGANIZER):
            return (f"you need the organizer role in an organization to create "
                    f"{_name(model, obj)}")
        parent = getattr(obj, "parent_id", None)
        if parent is not None and parent not in admins_of:
            return (f"you may not create {_name(model, obj)} as a chapter of another "
                    f"organization: only its admins may")
        return None
    if action == DELETE:
        return f"you may not delete {_name(model, obj)}: only site operators may"
    if obj.pk not in admins_of:
        return (f"you may not change {_name(model, obj)}: only its own admins (or a site "
                f"operator) may")
    stored = Organization.objects.filter(pk=obj.pk).values_list("parent_id", flat=True).first()
    new_parent = getattr(obj, "parent_id", None)
    if new_parent is not None and new_parent != stored and new_parent not in admins_of:
        return (f"you may not make {_name(model, obj)} a chapter of another organization: "
                f"only its admins may")
    return None


def _administered(user: UserLike | None, model: type[models.Model], obj: models.Model | None,
                  action: Action, rule: Rule) -> str | None:
    admins_of = own_org_ids(user, ROLE_ADMIN)
    if obj is None:
        return None if admins_of else (f"you need the admin role in an organization to "
                                       f"create {_name(model, None)}")
    if _follow(obj, rule.path) not in admins_of:
        return f"you may not {action} {_name(model, obj)}: only the organization's admins may"
    return None


def _coordinated(user: UserLike | None, model: type[models.Model], obj: models.Model | None,
                 action: Action, rule: Rule) -> str | None:
    CoalitionCoordinator = feature_model("organizations.CoalitionCoordinator")

    coalition = None if obj is None else _follow(obj, rule.path)
    if coalition is None or not CoalitionCoordinator.objects.filter(
            user=user, coalition_id=coalition).exists():
        return f"you may not {action} {_name(model, obj)}: only the coalition's coordinators may"
    return None


def _personal(user: UserLike | None, model: type[models.Model], obj: models.Model | None,
              action: Action, rule: Rule) -> str | None:
    if obj is None:
        return None  # anyone signed in may have records of their own
    user_id = getattr(user, "pk", None)
    owners = {_follow(obj, rule.path)}
    if action != CREATE and obj.pk is not None:
        stored = model._default_manager.filter(pk=obj.pk).first()
        if stored is not None:
            owners.add(_follow(stored, rule.path))
    if owners != {user_id}:
        return (f"you may not {action} {_name(model, obj)}: it is another user's, and only "
                f"they (or a site operator) may")
    return None


def _shared(user: UserLike | None, model: type[models.Model], obj: models.Model | None,
            action: Action,
            rule: Rule) -> str | None:
    curating = curating_organization_ids(user)
    refused = _SharedRefusal(model, obj, action)
    if not curating:
        return str(refused)
    if obj is None:
        return None  # some curated place exists where the user may create such records
    if model._meta.label_lower == "organizations.person" and obj.pk is None:
        return None  # a new public figure: any curating organization may introduce one
    divisions, bodies = _places(obj)
    if action == CHANGE and obj.pk is not None:
        stored = model._default_manager.filter(pk=obj.pk).first()
        if stored is not None:
            old_divisions, old_bodies = _places(stored)
            # both where it is and where it goes must be curated by one of the user's orgs
            if not _curators(old_divisions, old_bodies) & curating:
                return str(refused)
    if not _curators(divisions, bodies) & curating:
        return str(refused)
    return None


@dataclass(frozen=True)
class _SharedRefusal:
    model: type[models.Model]
    obj: models.Model | None
    action: Action

    def __str__(self) -> str:
        return (f"you may not {self.action} {_name(self.model, self.obj)}: it is a shared "
                f"public record; only site operators or an organization curating it may")


def _operator(user: UserLike | None, model: type[models.Model], obj: models.Model | None,
              action: Action,
              rule: Rule) -> str | None:
    return f"you may not {action} {_name(model, obj)}: only site operators may"


_CHECKS = {"owned": _owned, "organization": _organization, "administered": _administered,
           "coordinated": _coordinated, "personal": _personal, "shared": _shared,
           "operator": _operator}


def _attendance_place(obj: models.Model) -> str | None:
    """An attendance is recorded at an event of the person's organization, or at one shared
    with a coalition that organization sits at (a partner sees the event, not its roll)."""
    event = obj.event  # type: ignore[attr-defined]
    owner = _follow(obj, "person.owner_id")
    if owner is not None and (owner == event.organization_id
                              or _at_table({owner}, event.coalition_id)):
        return None
    return (f"{event} is {event.organization}'s event and is not shared with a coalition your "
            "organization sits at: only its own organizers record attendance there")


#: Checks on where a record is written that its group cannot express, by model label.
_PLACE_CHECKS = {"accountability.attendance": _attendance_place}


# --- where a shared record lies ---------------------------------------------------------------

def _division_chain(division_id: int | None) -> set[int]:
    """The division and its ancestors (a curation of any of them covers it)."""
    Division = feature_model("organizations.Division")

    chain: set[int] = set()
    while division_id is not None and division_id not in chain:
        chain.add(division_id)
        division_id = Division.objects.filter(pk=division_id).values_list(
            "parent_id", flat=True).first()
    return chain


def _body_places(body_ids: set[int]) -> tuple[set[int], set[int]]:
    Body = feature_model("landscape.Body")

    divisions: set[int] = set()
    for division_id in Body.objects.filter(pk__in=body_ids).values_list("division_id",
                                                                         flat=True):
        divisions |= _division_chain(division_id)
    return divisions, set(body_ids)


def _places(obj: models.Model) -> tuple[set[int], set[int]]:
    """The divisions and bodies a shared record lies in (a curation of one covers it)."""
    label = obj._meta.label_lower
    if label == "organizations.division":
        own = {obj.pk} if obj.pk is not None else set()
        return own | _division_chain(getattr(obj, "parent_id", None)), set()
    if label == "landscape.body":
        divisions = _division_chain(getattr(obj, "division_id", None))
        return divisions, ({obj.pk} if obj.pk is not None else set())
    if label in ("landscape.seat", "landscape.votingrule", "landscape.motion"):
        return _body_places({obj.body_id})  # type: ignore[attr-defined]
    if label == "landscape.vote":
        Motion = feature_model("landscape.Motion")

        body = Motion.objects.filter(pk=obj.motion_id).values_list(  # type: ignore[attr-defined]
            "body_id", flat=True).first()
        return _body_places({body} if body is not None else set())
    if label == "organizations.person" and obj.pk is not None:
        Seat, Vote = feature_model("landscape.Seat"), feature_model("landscape.Vote")

        bodies = set(Seat.objects.filter(holder_id=obj.pk).values_list("body_id", flat=True))
        bodies |= set(Vote.objects.filter(voter_id=obj.pk).values_list("motion__body_id",
                                                                       flat=True))
        return _body_places(bodies)
    return set(), set()


def _curators(divisions: set[int], bodies: set[int]) -> set[int]:
    Curation = feature_model("organizations.Curation")

    if not divisions and not bodies:
        return set()
    return set(Curation.objects.filter(Q(division_id__in=divisions) | Q(body_id__in=bodies))
               .values_list("organization_id", flat=True))

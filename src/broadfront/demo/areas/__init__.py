"""The stages of a demo load, one module per area of the story.

Each stage is a function of the :class:`~broadfront.demo.builder.Builder`: it draws from its
own random stream, writes its rows through the builder (which moves every date to the load's
as-of day) and leaves on the builder what later stages need. :func:`build` runs them in the
one order that writes the same rows for the same seed.
"""

from __future__ import annotations

from broadfront.demo.areas.bodies import bodies_and_votes
from broadfront.demo.areas.campaigns import campaigns_and_blocs
from broadfront.demo.areas.commitments import commitments
from broadfront.demo.areas.decisions import decisions
from broadfront.demo.areas.events import events, gatherings
from broadfront.demo.areas.landscape import landscape
from broadfront.demo.areas.people import divisions, ladder, organizations, people, users
from broadfront.demo.areas.scenarios import scenarios
from broadfront.demo.builder import Builder

__all__ = ["build"]


def build(demo: Builder) -> None:
    """Write the whole story, stage by stage, in order (later stages read earlier ones)."""
    divisions(demo)
    organizations(demo)
    users(demo)
    people(demo)
    campaigns_and_blocs(demo)
    ladder(demo)
    events(demo)
    gatherings(demo)
    commitments(demo)
    landscape(demo)
    bodies_and_votes(demo)
    decisions(demo)
    scenarios(demo)

"""Scenarios in plain words: counting rules, runoffs, shocks and "what would it take"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# --- counting rules of a race ---------------------------------------------------------------------

#: the counting rules of a race, in words (the engine's ``race.rule``)
RACE_RULE_WORDS: dict[str, str] = {
    "plurality": "plurality: the most votes wins",
    "instant_runoff": "ranked-choice voting (instant runoff)",
    "top_two": "top-two runoff",
}


def race_rule_sentence(rule: str) -> str:
    """How a race under ``rule`` is decided, in one or two sentences."""
    if rule == "instant_runoff":
        return ("Ranked-choice voting (instant runoff): until a candidate has more than half of "
                "the continuing votes or two remain, the last candidate is eliminated and its "
                "voters move to their next choice by the transfer shares below (the rest "
                "exhaust).")
    if rule == "top_two":
        return ("Top-two runoff: a candidate with more than half of the first-round votes wins; "
                "otherwise the top two meet in a runoff, which the other candidates' voters "
                "join by the transfer shares below (the rest stay home).")
    return "The candidate with the most counted votes over all divisions wins."


def runoff_words(result: Mapping[str, Any]) -> str:
    """The count of a ranked-choice or top-two race in one or two sentences ("" otherwise)."""
    ro = result.get("runoff")
    if not isinstance(ro, Mapping):
        return ""
    q = {round(float(a), 2): float(b) for a, b in ro.get("final_share_quantiles", [])}
    rounds = float(ro.get("p_more_rounds", 0.0))
    what = ("more than one round" if ro.get("rule") == "instant_runoff" else "a runoff")
    return (f"Counted by {RACE_RULE_WORDS.get(str(ro.get('rule')), ro.get('rule'))}: the count "
            f"goes to {what} in {rounds:.1%} of outcomes. In the final round our candidate has "
            f"{float(ro.get('final_share_mean', 0.0)):.1%} of the continuing votes on average "
            f"({q.get(0.05, 0.0):.1%} in the worst one in twenty, {q.get(0.95, 0.0):.1%} in the "
            "best; 0% when eliminated earlier).")


# --- shocks in plain words ----------------------------------------------------------------------

_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def steps_words(steps: float) -> str:
    """Steps on the spectrum in words: "two steps", "1.5 steps"."""
    n = abs(steps)
    word = _NUMBER_WORDS.get(int(n), f"{n:g}") if float(n).is_integer() else f"{n:g}"
    return f"{word} step{'s' if n != 1 else ''}"


def chance_words(p: float) -> str:
    """" with 40% chance", or nothing for a certain shock."""
    return "" if p >= 1 else f" with {p:.0%} chance"


def where_words(divisions: Sequence[str], group: str | None) -> str:
    """Where a race's shock strikes: " in group renters", " in Ward 1, Ward 2", " everywhere"."""
    if group:
        return f" in group {group}"
    if divisions:
        return f" in {', '.join(divisions)}"
    return " everywhere"


def what_it_takes_words(result: Mapping[str, Any]) -> str:
    """"What would it take" in one sentence."""
    w = result.get("what_it_takes") or {}
    target = float(w.get("target", 0.8))
    if not w:
        return ""
    if w.get("search") == "none needed":
        return f"Nothing: the chance of holding is already at least {target:.0%}."
    after = float(w.get("p_hold_after", 0))
    if w.get("members_persuaded"):
        who = ", ".join(w["members_persuaded"])
        n = len(w["members_persuaded"])
        verb = "Persuading" if w.get("achieved") else "Even persuading"
        tail = (f"lifts the chance of holding to {after:.0%} (target {target:.0%})"
                if w.get("achieved") else f"only reaches {after:.0%}, short of {target:.0%}")
        return f"{verb} {who} ({n} member{'s' if n != 1 else ''}) {tail}."
    if w.get("votes_needed") is not None:
        votes = float(w["votes_needed"])
        share = float(w.get("turnout_added") or 0)
        if not w.get("achieved"):
            return (f"Even {votes:,.0f} more votes for us only reach {after:.0%}, "
                    f"short of {target:.0%}.")
        return (f"About {votes:,.0f} more counted votes for us ({share:.1%} more than the "
                f"expected turnout) lift the chance of holding to {after:.0%}.")
    if not w.get("achieved"):
        return f"No change the engine tried reaches {target:.0%} (best: {after:.0%})."
    return f"The chance of holding reaches {after:.0%}."

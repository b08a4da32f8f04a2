"""Shared fixtures: the real roll calls in /work/shared/data/rollcall (read, never copied)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

ROLLCALL = Path(__file__).resolve().parents[6] / "shared" / "data" / "rollcall"
if not ROLLCALL.is_dir():  # the layout of this machine: /work/main and /work/shared side by side
    ROLLCALL = Path("/work/shared/data/rollcall")


def load_senate(prefix: str) -> tuple[list[str], np.ndarray, dict[str, dict[str, str]]]:
    """Votes of one Senate without the President's row, and the legislator table by id."""
    if not ROLLCALL.is_dir():
        pytest.skip(f"real roll-call data folder {ROLLCALL} is absent on this machine")
    with open(ROLLCALL / f"{prefix}_votes.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    with open(ROLLCALL / f"{prefix}_legislators.csv", newline="") as fh:
        table = {r["legislator_id"]: r for r in csv.DictReader(fh)}
    ids = [r[0] for r in rows[1:]]
    matrix = np.array([[float(v) if v != "" else np.nan for v in r[1:]] for r in rows[1:]])
    keep = [i for i, m in enumerate(ids) if table[m]["is_president"] == "0"]
    return [ids[i] for i in keep], matrix[keep], table


def reference(table: dict[str, dict[str, str]], members: tuple[str, ...], column: str) -> np.ndarray:
    return np.array(
        [float(table[m][column]) if table[m][column] not in ("", "NA") else np.nan for m in members]
    )


def simulate_votes(
    rng: np.random.Generator, n_members: int, n_votes: int, dims: int = 1, missing: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Votes drawn from the probit IRT model; returns (true positions, votes with NaN)."""
    x = rng.standard_normal((n_members, dims))
    alpha = rng.normal(0.0, 0.7, n_votes)
    beta = rng.normal(0.0, 1.5, (n_votes, dims))
    y = (alpha + x @ beta.T + rng.standard_normal((n_members, n_votes)) > 0).astype(float)
    y[rng.random(y.shape) < missing] = np.nan
    return x, y

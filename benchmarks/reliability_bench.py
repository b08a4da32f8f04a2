"""Benchmark: every scorecard and the coalition table from arrays, at the issue's scale.

Synthetic coalition (seeded): 50 organizations, 200,000 people, 2,000,000 attendance rows over
two years, 20,000 commitments in 7 units. Times, engine side only (arrays already in memory,
as a service would have them after one aggregate query):

- show-up rates with intervals per organization and per event type, and posterior means per
  person (people shrunk toward their organization; what forecasts need), 180-day half-life;
- commitment reliability per partner and unit, and the capability matrix (coalition table);
- a turnout forecast for an event with 2,000 RSVPs and a delivery forecast.

Peer, same process: pandas ``groupby`` for the per-organization and per-person counts plus
``scipy.stats.beta.ppf`` for the intervals (given the same prior), the way an analyst would do
it in a notebook; results are checked equal. The machine is shared with other engineers
working at the same time: timings are noisy.

Usage: .venv/bin/python benchmarks/reliability_bench.py  -> benchmarks/results/reliability.json
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from broadfront.analysis.reliability import (
    capability_matrix,
    commitment_reliability,
    forecast_delivery,
    forecast_turnout,
    rsvp_probabilities,
    show_up_rates,
)

OUT = Path(__file__).resolve().parent / "results" / "reliability.json"
N_ORGS, N_PEOPLE, N_ROWS, N_COMMITMENTS = 50, 200_000, 2_000_000, 20_000
UNITS = ["doors", "calls", "members at an event", "voters", "dollars", "endorsements",
         "council votes"]
HALF_LIFE = 180.0
REPEATS = 5


def machine() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import pandas
    import scipy

    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pandas": pandas.__version__,
        "platform": platform.platform(),
        "note": "shared 2-core machine with other engineers working; timings are noisy",
    }


def make_data(seed: int = 2024) -> dict:
    rng = np.random.default_rng(seed)
    org_rate = rng.beta(12, 6, N_ORGS)
    person_org = rng.integers(0, N_ORGS, N_PEOPLE)
    kappa = 8.0
    person_rate = rng.beta(org_rate[person_org] * kappa, (1 - org_rate[person_org]) * kappa)
    person = rng.integers(0, N_PEOPLE, N_ROWS)
    start = np.datetime64("2023-01-01")
    dates = start + rng.integers(0, 730, N_ROWS).astype("timedelta64[D]")
    attended = (rng.random(N_ROWS) < person_rate[person]).astype(np.float64)
    event_type = rng.integers(0, 6, N_ROWS)

    partner_skill = rng.beta(6, 2, N_ORGS)
    c_partner = rng.integers(0, N_ORGS, N_COMMITMENTS)
    c_unit = rng.integers(0, len(UNITS), N_COMMITMENTS)
    promised = rng.integers(10, 1000, N_COMMITMENTS).astype(float)
    due = start + rng.integers(0, 730, N_COMMITMENTS).astype("timedelta64[D]")
    full = rng.random(N_COMMITMENTS) < partner_skill[c_partner]
    share = np.where(full, 1.0, rng.uniform(0, 1, N_COMMITMENTS) * (rng.random(N_COMMITMENTS)
                                                                      < 0.7))
    delivered = np.round(promised * share)
    lateness = rng.integers(-10, 15, N_COMMITMENTS).astype("timedelta64[D]")
    delivered_on = np.where(delivered > 0, due + lateness, np.datetime64("NaT"))
    names = np.array([f"org{i:02d}" for i in range(N_ORGS)])
    return {
        "person": person, "org": person_org[person], "event_type": event_type, "dates": dates,
        "attended": attended, "partner": names[c_partner],
        "unit": np.array(UNITS)[c_unit], "promised": promised, "delivered": delivered,
        "due": due, "delivered_on": delivered_on.astype("datetime64[D]"),
        "as_of": np.datetime64("2025-01-01"),
    }


def engine_scorecards(d: dict) -> dict:
    orgs = show_up_rates(d["org"], d["attended"], dates=d["dates"], as_of=d["as_of"],
                         half_life_days=HALF_LIFE)
    types = show_up_rates(d["event_type"], d["attended"], dates=d["dates"], as_of=d["as_of"],
                          half_life_days=HALF_LIFE)
    org_rate = orgs.rate[orgs.lookup(d["org"])]
    # per-person rates feed forecasts, which need posterior means only; their intervals (for
    # an organization's own "our power" page) are timed separately below
    people = show_up_rates(d["person"], d["attended"], dates=d["dates"], as_of=d["as_of"],
                           half_life_days=HALF_LIFE, target=org_rate, intervals=False)
    ledger = commitment_reliability(d["partner"], d["unit"], d["promised"], d["delivered"],
                                    d["due"], d["delivered_on"], as_of=d["as_of"])
    table = capability_matrix(ledger, d["promised"])
    return {"orgs": orgs, "types": types, "people": people, "ledger": ledger, "table": table}


def pandas_peer(d: dict, prior_alpha: float, prior_beta: float) -> tuple:
    import pandas as pd
    from scipy import stats

    frame = pd.DataFrame({"org": d["org"], "person": d["person"], "attended": d["attended"]})
    out = []
    for key in ("org", "person"):
        g = frame.groupby(key)["attended"].agg(["sum", "count"])
        a = prior_alpha + g["sum"].to_numpy()
        b = prior_beta + g["count"].to_numpy() - g["sum"].to_numpy()
        out.append((a / (a + b), stats.beta.ppf(0.05, a, b), stats.beta.ppf(0.95, a, b)))
    return tuple(out)


def timed(fn, repeats: int = REPEATS) -> tuple[float, list[float], object]:
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, result


def main() -> None:
    t0 = time.perf_counter()
    data = make_data()
    generate_s = time.perf_counter() - t0
    engine_scorecards(data)  # warm up imports and caches

    median_s, runs, cards = timed(lambda: engine_scorecards(data))
    assert isinstance(cards, dict)

    def parts() -> dict:
        out = {}
        for name, fn in {
            "org_rates": lambda: show_up_rates(data["org"], data["attended"],
                                               dates=data["dates"], as_of=data["as_of"],
                                               half_life_days=HALF_LIFE),
            "person_rates_means_only": lambda: show_up_rates(
                data["person"], data["attended"], dates=data["dates"], as_of=data["as_of"],
                half_life_days=HALF_LIFE, intervals=False),
            "person_rates_with_intervals": lambda: show_up_rates(
                data["person"], data["attended"], dates=data["dates"], as_of=data["as_of"],
                half_life_days=HALF_LIFE),
            "commitments": lambda: commitment_reliability(
                data["partner"], data["unit"], data["promised"], data["delivered"],
                data["due"], data["delivered_on"], as_of=data["as_of"]),
        }.items():
            out[name] = round(timed(fn, 3)[0], 4)
        return out

    part_times = parts()
    probs = rsvp_probabilities(cards["people"], np.arange(2000))
    forecast_s, _, forecast = timed(lambda: forecast_turnout(probs))
    delivery_s, _, _ = timed(lambda: forecast_delivery(cards["ledger"], "org07", "doors", 500))

    # peer: pandas groupby + scipy.stats.beta.ppf without recency weighting, fixed prior
    flat = {"orgs": show_up_rates(data["org"], data["attended"]),
            "people": show_up_rates(data["person"], data["attended"])}
    ours_flat_s, _, _ = timed(lambda: (show_up_rates(data["org"], data["attended"],
                                                     prior=flat["orgs"].prior),
                                       show_up_rates(data["person"], data["attended"],
                                                     prior=flat["people"].prior)), 3)
    peer_s, _, peer = timed(lambda: (pandas_peer(data, flat["orgs"].prior.alpha,
                                                 flat["orgs"].prior.beta)[0],
                                     pandas_peer(data, flat["people"].prior.alpha,
                                                 flat["people"].prior.beta)[1]), 3)
    assert isinstance(peer, tuple)
    agree = bool(np.allclose(peer[0][0], flat["orgs"].rate)
                 and np.allclose(peer[0][2], flat["orgs"].high)
                 and np.allclose(peer[1][0], flat["people"].rate)
                 and np.allclose(peer[1][1], flat["people"].low))

    tracemalloc.start()
    engine_scorecards(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    result = {
        "benchmark": "reliability: all scorecards + coalition table from arrays",
        "machine": machine(),
        "scale": {"organizations": N_ORGS, "people": N_PEOPLE, "attendance_rows": N_ROWS,
                  "commitments": N_COMMITMENTS, "units": len(UNITS),
                  "half_life_days": HALF_LIFE},
        "generate_data_s": round(generate_s, 3),
        "all_scorecards_and_table_s": {"median": round(median_s, 4),
                                       "runs": [round(t, 4) for t in runs],
                                       "target": 2.0, "meets_target": median_s < 2.0},
        "parts_median_s": part_times,
        "turnout_forecast_2000_rsvps_s": round(forecast_s, 5),
        "turnout_forecast_2000_rsvps": {"p10": forecast.p10, "p50": forecast.p50,
                                         "p90": forecast.p90},
        "delivery_forecast_s": round(delivery_s, 5),
        "peak_traced_memory_mb": round(peak / 2**20, 1),
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peer_pandas_groupby": {
            "task": "per-organization and per-person posterior mean and 90% interval, no "
                    "recency weighting, same prior",
            "broadfront_s": round(ours_flat_s, 4),
            "pandas_scipy_s": round(peer_s, 4),
            "ratio_pandas_over_broadfront": round(peer_s / ours_flat_s, 2),
            "results_agree": agree,
        },
        "fitted": {
            "org_prior": {"mean": cards["orgs"].prior.mean,
                          "concentration": cards["orgs"].prior.concentration},
            "person_prior_concentration": cards["people"].prior.concentration,
            "partners_by_units": list(cards["table"].kept_rate.shape),
        },
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

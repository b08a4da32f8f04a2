"""The power document: a game and its options as plain JSON values, and the answer.

``broadfront power GAME.json`` and ``POST /api/power`` take the same document and answer the
same JSON, so both read it here, once:

* :func:`game_from_dict`: ``weights`` and ``quota`` (or ``quota_fraction``), optional
  ``names`` and optional ``conditions`` (further ``{"weights": [...], "quota": ...}`` that
  must all hold) become a :class:`~broadfront.analysis.power.WeightedGame` or a
  :class:`~broadfront.analysis.power.MultiConditionGame`;
* :func:`power_options`: the extra indices (:data:`INDEX_NAMES`), the method
  (:data:`METHODS`), the Monte Carlo samples and the seed;
* :func:`power_payload`: the indices of a game as the JSON the command prints and the API
  answers.

Every error is a :class:`~broadfront.exceptions.ValidationError` whose ``parameter`` is the
path of the field at fault (``weights``, ``quota``, ``conditions[0].quota``, ``index``...)
and whose message starts with that path; the command line adds the file's name, the API
answers 400 with the path as ``field``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from broadfront.analysis._validation import check_count
from broadfront.analysis.power import indices
from broadfront.analysis.power.games import Game, MultiConditionGame, WeightedGame
from broadfront.analysis.power.indices import HARD_MAX_SAMPLES, MAX_SAMPLES, IndexResult
from broadfront.exceptions import ValidationError

__all__ = [
    "INDEX_NAMES",
    "MAX_SERVED_PLAYERS",
    "MAX_SERVED_SAMPLES",
    "METHODS",
    "PowerOptions",
    "check_method",
    "game_from_dict",
    "power_options",
    "power_payload",
]

#: Every index the document may ask for; Banzhaf and Shapley-Shubik are always computed.
INDEX_NAMES = ("banzhaf", "shapley_shubik", "holler", "deegan_packel", "johnston", "coleman")
#: How the indices are computed: exact when feasible else sampled, always exact, always sampled.
METHODS = ("auto", "exact", "sample")
#: Most players the web (``POST /api/power``) accepts, below the engine's ``MAX_PLAYERS``: a
#: request holds a web worker and cannot lift limits, and exact Banzhaf for 1,000 players
#: takes well under a second.
MAX_SERVED_PLAYERS = 5000
#: Most Monte Carlo samples the web accepts, below the engine's ``MAX_SAMPLES``, for the same
#: reason.
MAX_SERVED_SAMPLES = 1_000_000


# --------------------------------------------------------------------------- the game


def game_from_dict(data: Any, *, max_players: int | None = None) -> Game:
    """The game of a power document, already parsed from JSON.

    Parameters
    ----------
    data : dict
        ``weights`` and ``quota`` (or ``quota_fraction``), optional ``names`` (strings) and
        optional ``conditions`` (a list of further ``{weights, quota}`` or
        ``{weights, quota_fraction}`` that must all hold, one weight per player each).
    max_players : int, optional
        Refuse more players than this (the web's :data:`MAX_SERVED_PLAYERS`); by default
        the engine's own limits apply when the indices are computed.

    Returns
    -------
    WeightedGame or MultiConditionGame
        A :class:`WeightedGame` when there are no further conditions.

    Raises
    ------
    ValidationError
        Naming the path of the field at fault: ``weights``, ``quota``, ``quota_fraction``,
        ``names``, ``conditions``, ``conditions[0].quota``...

    Examples
    --------
    Three members weighing 3, 2 and 2 with a quota of 4: every pair wins.

    >>> g = game_from_dict({"weights": [3, 2, 2], "quota": 4, "names": ["A", "B", "C"]})
    >>> g.names, g.quota
    (('A', 'B', 'C'), 4.0)
    >>> game_from_dict({"weights": [1, 2], "quota": 9})
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: quota must not exceed the total weight 3, got 9
    >>> game_from_dict({"weights": [1, 2], "quota": 2, "conditions": [{"weights": [1, 1]}]})
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: conditions[0]: give exactly one of 'quota' and 'quota_fraction'
    """
    if not isinstance(data, dict):
        raise ValidationError("a game must be a JSON object with 'weights' and 'quota'",
                              parameter="weights")
    names = data.get("names")
    if names is not None and (not isinstance(names, list)
                              or not all(isinstance(n, str) for n in names)):
        raise ValidationError("names must be a list of strings", parameter="names")
    main = _condition(data, "", max_players)
    extra = data.get("conditions", [])
    if not isinstance(extra, list):
        raise ValidationError("conditions must be a list of {weights, quota}",
                              parameter="conditions")
    conds = [main] + [_condition(c, f"conditions[{j}].", max_players)
                      for j, c in enumerate(extra)]
    for j, c in enumerate(conds[1:]):
        if c.n != main.n:
            raise ValidationError(f"conditions[{j}].weights must have {main.n} weights like "
                                  f"weights, got {c.n}", parameter=f"conditions[{j}].weights")
    if len(conds) == 1:
        return WeightedGame(main.weights, main.quota, names=names)
    return MultiConditionGame(list(conds), names=names)


def _condition(data: Any, prefix: str, max_players: int | None) -> WeightedGame:
    if not isinstance(data, dict):
        raise ValidationError(f"{prefix[:-1]} must be an object with weights and quota",
                              parameter=prefix[:-1])
    field = f"{prefix}weights"
    weights = data.get("weights")
    if not isinstance(weights, list) or not weights or not all(
            isinstance(w, int | float) and not isinstance(w, bool) for w in weights):
        raise ValidationError(f"{field} must be a non-empty list of numbers", parameter=field)
    if max_players is not None and len(weights) > max_players:
        raise ValidationError(f"{field}: at most {max_players} players, got {len(weights)}",
                              parameter=field)
    has_q, has_f = "quota" in data, "quota_fraction" in data
    if has_q == has_f:
        raise ValidationError(f"{prefix[:-1] + ': ' if prefix else ''}give exactly one of "
                              "'quota' and 'quota_fraction'", parameter=f"{prefix}quota")
    key = "quota_fraction" if has_f else "quota"
    value = data[key]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValidationError(f"{prefix}{key} must be a number, got {value!r}",
                              parameter=f"{prefix}{key}")
    try:
        if has_f:
            return WeightedGame.from_quota_fraction(weights, value)
        return WeightedGame(weights, value)
    except ValidationError as exc:
        name = {"fraction": "quota_fraction"}.get(exc.parameter or "", exc.parameter or "weights")
        if not prefix:
            raise ValidationError(exc.message, parameter=name) from None
        message = exc.message
        if message.startswith(f"{exc.parameter} "):  # "quota must ..." -> "conditions[0].quota must ..."
            message = f"{prefix}{name}{message[len(exc.parameter or ''):]}"
        else:
            message = f"{prefix[:-1]}: {message}"
        raise ValidationError(message, parameter=f"{prefix}{name}") from None


# --------------------------------------------------------------------------- the options


@dataclass(frozen=True)
class PowerOptions:
    """The checked options of a power document.

    ``indices`` are the extra indices asked for (each once, in the order given), ``method``
    one of :data:`METHODS`, ``samples`` and ``seed`` None when not given.
    """

    indices: tuple[str, ...] = ()
    method: str = "auto"
    samples: int | None = None
    seed: int | None = None


def check_method(method: Any) -> str:
    """``method`` after checking it is one of :data:`METHODS`.

    >>> check_method("exact")
    'exact'
    >>> check_method("fast")
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: method must be auto, exact or sample, got 'fast'
    """
    if method not in METHODS:
        raise ValidationError(f"method must be auto, exact or sample, got {method!r}",
                              parameter="method")
    return str(method)


def power_options(
    *,
    index: Any = (),
    method: Any = "auto",
    samples: Any = None,
    seed: Any = None,
    max_samples: int = MAX_SAMPLES,
    hard_max_samples: int | None = HARD_MAX_SAMPLES,
    lift_limits: bool = False,
) -> PowerOptions:
    """Check the options of a power document.

    Parameters
    ----------
    index : str or list of str
        Extra indices, among :data:`INDEX_NAMES` (case and ``-``/``_`` do not matter).
    method : {"auto", "exact", "sample"}
    samples : int, optional
        Monte Carlo samples, 1 to ``max_samples`` (``hard_max_samples`` with ``lift_limits``).
    seed : int, optional
        A non-negative seed of the sampling.
    max_samples, hard_max_samples : int
        The soft and hard limits on ``samples`` (the engine's ``MAX_SAMPLES`` and
        ``HARD_MAX_SAMPLES`` by default; the web passes :data:`MAX_SERVED_SAMPLES` and None,
        since it cannot lift limits).
    lift_limits : bool
        Accept up to ``hard_max_samples`` samples.

    Returns
    -------
    PowerOptions

    Raises
    ------
    ValidationError
        Naming ``index``, ``method``, ``samples`` or ``seed``; the message starts with it.

    Examples
    --------
    >>> power_options(index=["Holler", "deegan-packel", "holler"], samples=500, seed=1)
    PowerOptions(indices=('holler', 'deegan_packel'), method='auto', samples=500, seed=1)
    >>> power_options(index="gini")
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: index must be one of banzhaf, shapley_shubik, holler, deegan_packel, johnston, coleman, got 'gini'
    """
    raw = [index] if isinstance(index, str) else index
    if not isinstance(raw, list | tuple):
        raise ValidationError("index must be a list of index names", parameter="index")
    chosen: list[str] = []
    for item in raw:
        key = str(item).strip().lower().replace("-", "_")
        if key not in INDEX_NAMES:
            raise ValidationError(f"index must be one of {', '.join(INDEX_NAMES)}, got {item!r}",
                                  parameter="index")
        if key not in chosen:
            chosen.append(key)
    checked_method = check_method(method)
    if samples is not None:
        samples = check_count(samples, "samples", max_samples, hard=hard_max_samples,
                              lift_limits=lift_limits)
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ValidationError(f"seed must be a whole number, got {seed!r}", parameter="seed")
        if seed < 0:
            raise ValidationError(f"seed must not be negative, got {seed}", parameter="seed")
    return PowerOptions(tuple(chosen), checked_method, samples, seed)


# --------------------------------------------------------------------------- the answer


def power_payload(game: Game, options: PowerOptions = PowerOptions(), *,
                  lift_limits: bool = False) -> dict[str, Any]:
    """The indices of ``game`` as the JSON of ``broadfront power --json`` and ``/api/power``.

    Keys: ``players``, ``weights`` (a list per condition when there are several),
    ``banzhaf``, ``banzhaf_swings`` (None when sampled), ``banzhaf_absolute``,
    ``shapley_shubik``, one key per extra index (``coleman`` holds ``act``, ``prevent`` and
    ``initiate``), ``method`` (``exact`` or ``sample``), ``methods`` (per index) and, when
    sampled, ``samples`` and ``standard_errors``. Values may be numpy arrays: the caller
    turns them into JSON (:func:`broadfront.formats.plainjson.jsonable`).

    Examples
    --------
    >>> out = power_payload(game_from_dict({"weights": [3, 2, 2], "quota": 4}))
    >>> out["banzhaf_swings"], out["method"]
    ([2, 2, 2], 'exact')
    """
    method, samples, seed = options.method, options.samples, options.seed
    lift = {"lift_limits": lift_limits}
    bz = indices.banzhaf(game, method=method, samples=samples, rng=seed, **lift)
    ss = indices.shapley_shubik(game, method=method, samples=samples, rng=seed, **lift)
    methods = {"banzhaf": bz.method, "shapley_shubik": ss.method}
    out: dict[str, Any] = {
        "players": list(game.names),
        "weights": [list(map(float, c.weights)) for c in game.conditions]
        if len(game.conditions) > 1
        else list(map(float, game.conditions[0].weights)),
        "banzhaf": bz.values,
        "banzhaf_swings": list(bz.swings) if bz.swings is not None else None,
        "banzhaf_absolute": bz.absolute,
        "shapley_shubik": ss.values,
    }
    others: dict[str, Callable[..., IndexResult]] = {
        "holler": indices.holler, "deegan_packel": indices.deegan_packel,
    }
    for name in options.indices:
        if name in ("banzhaf", "shapley_shubik"):
            continue
        if name == "coleman":
            c = indices.coleman(game, method=method, samples=samples, rng=seed, **lift)
            out["coleman"] = {"act": c.act, "prevent": c.prevent, "initiate": c.initiate}
            methods["coleman"] = c.method
        else:
            r = indices.johnston(game) if name == "johnston" else others[name](game, **lift)
            out[name] = r.values
            methods[name] = r.method
    out["method"] = "exact" if all(m != "sample" for m in methods.values()) else "sample"
    out["methods"] = methods
    if bz.method == "sample" or ss.method == "sample":
        out["samples"] = samples if samples is not None else (bz.samples or ss.samples)
        out["standard_errors"] = {
            "banzhaf": bz.standard_errors,
            "shapley_shubik": ss.standard_errors,
        }
    return out

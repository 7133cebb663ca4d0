"""An admin's `/matching <name> <value>` turned into a new policy, or a clear refusal."""

from dataclasses import asdict, replace

from domain.errors import InvalidInput
from domain.matching import GenderRule, MatchPolicy
from domain.numbers import parse_int

MAX_WEIGHT = 100.0
MAX_TRIES = 10
MAX_FAIRNESS_DAYS = 365
MAX_OFFER_DAYS = 30


def apply_setting(policy: MatchPolicy, name: str, value: str) -> MatchPolicy:
    """`gender required|preferred|ignored`, `fallback en,ru` (or `-`), `auto on|off`,
    `tries N`, `fairness_days N`, `offer_days N` (0: the deployment's OFFER_DAYS), `<weight name> N` (e.g. `same_area 4`)."""
    name, value = name.strip().lower(), value.strip().lower()
    if name == "gender":
        try:
            return replace(policy, gender_rule=GenderRule(value))
        except ValueError:
            raise InvalidInput("gender_rule") from None
    if name == "fallback":
        codes = frozenset(c.strip() for c in value.split(",") if c.strip() and c.strip() != "-")
        if any(len(c) > 16 or not c.isalpha() for c in codes):
            raise InvalidInput("language")
        return replace(policy, fallback_languages=codes)
    if name == "auto":
        if value not in ("on", "off"):
            raise InvalidInput("on_off")
        return replace(policy, auto_dispatch=value == "on")
    if name == "tries":
        return replace(policy, auto_tries=parse_int(value, 1, MAX_TRIES))
    if name == "fairness_days":
        return replace(policy, fairness_days=parse_int(value, 1, MAX_FAIRNESS_DAYS))
    if name == "offer_days":
        return replace(policy, offer_days=parse_int(value, 0, MAX_OFFER_DAYS))
    if name in asdict(policy.weights):
        weight = _float(value)
        return replace(policy, weights=replace(policy.weights, **{name: weight}))
    raise InvalidInput("setting")


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput("number") from None
    if not 0 <= value <= MAX_WEIGHT:
        raise InvalidInput("number")
    return value

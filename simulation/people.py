"""The scripted cast, drawn from a seed: seekers arriving in campaign waves, multipliers
with behaviours, dispatchers and operators. Pure data: the world (simulation.world) acts
it out against the real use cases."""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

#: The team's areas; the last two are unserved (no multiplier lives or travels there).
AREAS = ("Podil", "Obolon", "Pechersk", "Darnytsia", "Sviatoshyn", "Holosiiv",
         "Troieshchyna", "Bortnychi")
SERVED = AREAS[:6]
SOURCES = ("instagram · spring", "street event", "web form", "friends", "radio ad")
LANGUAGES = ("uk", "ru", "en")


class Behaviour(StrEnum):
    PROMPT = "prompt"
    SLOW = "slow"
    DECLINING = "declining"
    VANISHING = "vanishing"  # stops answering anything after week 2
    AWAY = "away"  # away for a week (says so in their profile)
    NIGHT_OWL = "night_owl"
    AT_CAPACITY = "at_capacity"  # a small capacity, mostly full


#: How a behaviour answers: delay range in hours, chance to accept an offer.
ANSWER = {
    Behaviour.PROMPT: ((0.1, 1.0), 0.85), Behaviour.SLOW: ((5.0, 20.0), 0.7),
    Behaviour.DECLINING: ((0.5, 4.0), 0.25), Behaviour.VANISHING: ((0.5, 6.0), 0.75),
    Behaviour.AWAY: ((0.5, 4.0), 0.75), Behaviour.NIGHT_OWL: ((0.2, 2.0), 0.75),
    Behaviour.AT_CAPACITY: ((0.5, 6.0), 0.6),
}
#: Days between two follow-up steps a holder reports (from, to).
PACE = {Behaviour.PROMPT: (0.1, 1.0), Behaviour.SLOW: (1.5, 4.0)}
PACE_DEFAULT = (0.3, 2.0)
BEHAVIOURS = (
    [Behaviour.PROMPT] * 12 + [Behaviour.SLOW] * 7 + [Behaviour.DECLINING] * 5
    + [Behaviour.VANISHING] * 4 + [Behaviour.AWAY] * 4 + [Behaviour.NIGHT_OWL] * 4
    + [Behaviour.AT_CAPACITY] * 4
)


class Fate(StrEnum):
    """What a seeker does once a multiplier tries them."""

    MEETS = "meets"
    NOT_INTERESTED = "not_interested"
    NEVER_ANSWERS = "never_answers"


@dataclass(frozen=True)
class Multiplier:
    index: int
    name: str
    behaviour: Behaviour
    areas: frozenset[str]
    languages: frozenset[str]
    capacity: int
    away_day: int  # AWAY: the first day of their week away
    hands_back: float  # chance to hand a seeker back after trying


@dataclass(frozen=True)
class Seeker:
    index: int
    arrives: datetime
    name: str
    source: str
    area: str
    language: str
    fate: Fate
    phone: str
    duplicate_of: int | None = None  # the same person arriving again (same phone)


@dataclass(frozen=True)
class Dispatcher:
    index: int
    name: str
    delay: tuple[float, float]  # minutes from a digest to acting on it


@dataclass(frozen=True)
class Cast:
    multipliers: tuple[Multiplier, ...]
    seekers: tuple[Seeker, ...]
    dispatchers: tuple[Dispatcher, ...]
    operators: tuple[str, ...]


def awake(behaviour: Behaviour | None, local: time) -> bool:
    """Whether a person looks at Telegram at this local time."""
    if behaviour is Behaviour.NIGHT_OWL:
        return local >= time(12) or local < time(2)
    return time(8) <= local < time(21)


def draw(seed: int, start: datetime, days: int, seekers: int = 500,
         multipliers: int = 40) -> Cast:
    rnd = random.Random(seed)
    team = [_multiplier(rnd, i, BEHAVIOURS[i % len(BEHAVIOURS)], days) for i in range(multipliers)]
    people = _seekers(rnd, start, days, round(seekers * days / 30))
    dispatchers = tuple(Dispatcher(i, f"Dispatcher {i + 1}", (5.0 + 10 * i, 30.0 + 20 * i))
                        for i in range(3))
    return Cast(tuple(team), people, dispatchers, ("Operator 1", "Operator 2"))


def _multiplier(rnd: random.Random, i: int, behaviour: Behaviour, days: int) -> Multiplier:
    home = SERVED[i % len(SERVED)]
    extra = {rnd.choice(SERVED)} if rnd.random() < 0.4 else set()
    langs = {"uk"} | ({"ru"} if rnd.random() < 0.6 else set()) | ({"en"} if rnd.random() < 0.3 else set())
    capacity = 2 if behaviour is Behaviour.AT_CAPACITY else rnd.choice((4, 5, 6, 8))
    return Multiplier(i, f"Multiplier {i + 1}", behaviour, frozenset({home} | extra),
                      frozenset(langs), capacity, away_day=rnd.randrange(3, max(4, days - 7)),
                      hands_back=0.08 if behaviour is Behaviour.SLOW else 0.03)


def _seekers(rnd: random.Random, start: datetime, days: int, count: int) -> tuple[Seeker, ...]:
    """Campaign waves: each source peaks on a few days, with a favourite area."""
    waves = [(src, rnd.uniform(0, days), rnd.uniform(1.5, 4.0), rnd.choice(SERVED))
             for src in SOURCES for _ in range(2)]
    people: list[Seeker] = []
    for i in range(count):
        source, peak, width, favourite = rnd.choice(waves)
        day = min(max(rnd.gauss(peak, width), 0.0), days - 0.01)
        hour = rnd.choices(range(24), weights=[1] * 7 + [4] * 14 + [2] * 3)[0]
        arrives = start + timedelta(days=int(day), hours=hour, minutes=rnd.randrange(60))
        area = favourite if rnd.random() < 0.5 else rnd.choice(AREAS)
        fate = rnd.choices(list(Fate), weights=[0.6, 0.15, 0.25])[0]
        people.append(Seeker(i, arrives, f"Seeker{i + 1}", source, area,
                             rnd.choices(LANGUAGES, weights=[6, 3, 1])[0], fate,
                             f"+38050{i:07d}"))
    people.sort(key=lambda s: (s.arrives, s.index))
    repeats = []
    for s in people:  # some come again through another channel, a few days later
        if rnd.random() < 0.05:
            again = s.arrives + timedelta(days=rnd.uniform(0.5, 6))
            if again < start + timedelta(days=days):
                repeats.append(Seeker(count + len(repeats), again, s.name, rnd.choice(SOURCES),
                                      s.area, s.language, s.fate, s.phone, s.index))
    return tuple(sorted(people + repeats, key=lambda s: (s.arrives, s.index)))

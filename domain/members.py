"""Team members and the multiplier profile that matching reads."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.locales import member_locale
from domain.roles import Role


class Gender(StrEnum):
    FEMALE = "f"
    MALE = "m"
    UNKNOWN = "u"


class NotifyMode(StrEnum):
    """Real-time: a ping per event. Digest: events wait for the set times."""

    REALTIME = "realtime"
    DIGEST = "digest"


class Availability(StrEnum):
    ACTIVE = "active"
    BUSY = "busy"
    AWAY = "away"


MAX_CAPACITY = 50
MAX_TRAVEL_KM = 500


@dataclass(frozen=True)
class Profile:
    """What a multiplier tells the dispatchers about themselves."""

    gender: Gender = Gender.UNKNOWN
    languages: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()
    capacity: int = 5
    availability: Availability = Availability.ACTIVE
    away_until: datetime | None = None
    travel_km: int = 0  # how far beyond their own and neighbouring areas they will go

    def is_available(self, now: datetime) -> bool:
        """Away ends by itself on its date, so nobody has to remember to come back."""
        if self.availability is Availability.AWAY:
            return self.away_until is not None and self.away_until <= now
        return self.availability is Availability.ACTIVE


@dataclass(frozen=True)
class Member:
    id: int
    tg_user_id: int
    name: str
    roles: frozenset[Role] = frozenset()
    username: str | None = None
    active: bool = True
    timezone: str | None = None
    profile: Profile = field(default_factory=Profile)
    notify_mode: NotifyMode = NotifyMode.DIGEST
    unreachable_at: datetime | None = None
    last_digest_at: datetime | None = None
    locale: str | None = None  # their /language choice
    telegram_language: str | None = None  # Telegram's language_code when they joined

    def reads(self, team: str) -> str:
        """The language this member reads (domain.locales)."""
        return member_locale(self.locale, self.telegram_language, team)

    def has(self, *roles: Role) -> bool:
        return self.active and not self.roles.isdisjoint(roles)

    @property
    def is_multiplier(self) -> bool:
        """Asked of every member for every ranking: a set lookup, not `has`."""
        return self.active and Role.MULTIPLIER in self.roles

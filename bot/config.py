"""Settings, only from the environment or `.env` (see .env.example for every one)."""

import hashlib
from datetime import timedelta
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.conversations import RelayPolicy
from domain.errors import InvalidInput
from domain.locales import SHIPPED, shipped
from domain.timing import parse_quiet_hours, parse_times, parse_weekly, parse_zone
from services.notify import Quiet


#: BOT_TOKEN as .env.example has it: a well-formed token Telegram would only reject after a
#: network round trip, so it is recognised and named before any call.
EXAMPLE_BOT_TOKEN = "123456:replace-me"


def _csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr
    bot_api_base_url: str = "https://api.telegram.org"
    database_url: str = "sqlite+aiosqlite:///data/dispatchbot.db"
    redis_url: str | None = None

    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    team_timezone: str = "UTC"
    # The team's language until an admin sets one with /language in the team chat: the team
    # chat's, and every member's and seeker's who has none of their own (domain.locales).
    team_language: str = "en"
    phone_region: str = "UA"
    languages: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["en", "ru", "uk"])

    offer_days: int = Field(2, ge=1, le=30)
    offer_ttl_hours: int = Field(24, ge=1)
    invite_ttl_hours: int = Field(72, ge=1)

    # scheduler: every period and time is a setting
    digest_times: str = "09:00,13:00,17:00"  # default until an admin sets /digest_times
    quiet_hours: str = "21:00-08:00"  # in each person's own zone; empty = none
    weekly_report: str = "mon 09:00"  # to admins, in the team's zone; empty = none
    job_interval_seconds: int = Field(60, ge=1)
    # several replicas (REDIS_URL): the jobs move to another replica at most 4/3 of this
    # after the one running them died
    leader_lease_seconds: float = Field(15.0, ge=1, le=30)
    nag_days_attempted: int = Field(3, ge=1)
    nag_days_reached: int = Field(7, ge=1)
    nag_days_meeting: int = Field(3, ge=1)
    nag_days_met: int = Field(7, ge=1)
    nag_days_ongoing: int = Field(14, ge=1)
    nag_interval_hours: int = Field(24, ge=1)
    max_nags: int = Field(2, ge=1)
    auto_close_days: int = Field(14, ge=1)
    # a contact waiting undispatched this long (quiet hours not counted) is raised once; 0 = off
    undispatched_alarm_hours: int = Field(6, ge=0)

    # seekers who write to the bot
    seeker_greeting: str = ""  # empty = the built-in (translated) greeting
    # the same per language the seeker reads (domain.locales); empty = SEEKER_GREETING
    seeker_greeting_en: str = ""
    seeker_greeting_ru: str = ""
    seeker_greeting_uk: str = ""
    seeker_greeting_it: str = ""
    seeker_flood_per_minute: int = Field(10, ge=1)
    seeker_max_text: int = Field(2000, ge=1, le=4000)
    seeker_max_file_mb: float = Field(10.0, gt=0)
    conv_silent_hours: int = Field(24, ge=1)  # seeker unanswered -> multiplier not responding
    conv_no_answer_days: int = Field(7, ge=1)  # first message unanswered -> closed
    # after Yes the seeker is told who will contact them, and within how many days (warm
    # hand-off); off: the multiplier introduces themselves with their first reply
    seeker_handoff_notice: bool = True
    # days after "met" the seeker is asked whether the meeting helped; 0 = never
    satisfaction_check_days: int = Field(0, ge=0)

    # outbox: Telegram's flood limits, with a small safety margin
    send_overall_per_second: float = Field(28.0, gt=0)
    send_private_interval: float = Field(1.05, gt=0)
    send_group_interval: float = Field(3.1, gt=0)
    outbox_poll_seconds: float = Field(5.0, gt=0)
    # a row being sent is another replica's to take over this long after its sender died
    outbox_lease_seconds: float = Field(30.0, ge=3)

    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str = ""
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = 8080
    webhook_path: str = "/telegram"

    # HTTP intake API: on the webhook server in webhook mode; in polling mode on its own port
    # when API_PORT is set (empty: no API)
    api_host: str = "127.0.0.1"
    api_port: int | None = None
    api_rate_per_minute: int = Field(60, ge=1)
    api_max_body_bytes: int = Field(16_384, ge=1024)

    # Web lead forms (/form/<slug>): served by the same HTTP server as the intake API
    form_base_url: str = ""  # the public address of that server; empty: see form_base()
    form_secret: SecretStr | None = None  # signs each page's token; empty: made from BOT_TOKEN
    form_min_fill_seconds: float = Field(3.0, ge=0)
    form_max_body_bytes: int = Field(8192, ge=1024, le=1_000_000)
    form_rate_per_ip_per_minute: int = Field(10, ge=1)
    form_rate_per_form_per_minute: int = Field(60, ge=1)
    form_client_ip_header: str = ""  # behind a reverse proxy: X-Forwarded-For or X-Real-IP

    # CSV import: largest file accepted, and a progress update every N rows
    import_max_bytes: int = Field(5_000_000, ge=1024, le=20_000_000)
    import_progress_every: int = Field(200, ge=1)

    log_level: str = "INFO"
    log_format: Literal["json", "text"] = "json"

    _split_csv = field_validator("admin_ids", "languages", mode="before")(_csv)

    @field_validator("api_port", mode="before")
    @classmethod
    def _empty_port(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("team_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            return parse_zone(value)
        except InvalidInput as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc

    @field_validator("team_language")
    @classmethod
    def _shipped_language(cls, value: str) -> str:
        code = shipped(value)
        if code is None:
            raise ValueError(f"TEAM_LANGUAGE must be one of {', '.join(SHIPPED)}")
        return code

    @field_validator("digest_times")
    @classmethod
    def _times(cls, value: str) -> str:
        parse_times(value)
        return value

    @field_validator("weekly_report")
    @classmethod
    def _weekly(cls, value: str) -> str:
        if value:
            parse_weekly(value)
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str) -> str:
        if value:
            parse_quiet_hours(value)
        return value

    @field_validator("webhook_url", "form_base_url")
    @classmethod
    def _https(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("must be a URL")
        return value

    @model_validator(mode="after")
    def _webhook_secret(self) -> "Settings":
        """Without the secret anyone who knows the URL could post updates as an admin."""
        if self.mode == "webhook" and not self.webhook_secret:
            raise ValueError("MODE=webhook needs WEBHOOK_SECRET")
        return self

    def form_base(self) -> str:
        """Where visitors open /form/<slug>: FORM_BASE_URL, else the webhook's address, else
        the API port's; empty when no server runs (polling mode without API_PORT)."""
        if self.mode == "polling" and self.api_port is None:
            return ""
        if self.form_base_url:
            return self.form_base_url.rstrip("/")
        if self.mode == "webhook":
            return self.webhook_url.rstrip("/")
        return f"http://{self.api_host}:{self.api_port}"

    def form_key(self) -> bytes:
        """FORM_SECRET, else a key derived from the bot token: every replica signs alike, and
        no page token reveals the bot token."""
        if self.form_secret:
            return self.form_secret.get_secret_value().encode()
        token = self.bot_token.get_secret_value().encode()
        return hashlib.sha256(b"dispatchbot web form key\n" + token).digest()

    def seeker_greeting_in(self, locale: str) -> str:
        """The greeting set for this language, else the one for all; empty: the built-in."""
        return getattr(self, f"seeker_greeting_{locale}", "") or self.seeker_greeting

    def relay_policy(self) -> RelayPolicy:
        return RelayPolicy(silent=timedelta(hours=self.conv_silent_hours),
                           no_answer=timedelta(days=self.conv_no_answer_days))

    def quiet(self) -> Quiet:
        start, end = parse_quiet_hours(self.quiet_hours) if self.quiet_hours else (None, None)
        return Quiet(start, end, self.team_timezone)

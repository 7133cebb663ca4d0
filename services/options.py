"""The deployment's settings as the layers above services read them.

The settings themselves are read from the environment by the assembly (bot.config); routers
and jobs receive that object by injection and depend only on this description of it, so no
layer below the assembly imports the assembly."""

from typing import Protocol

from domain.conversations import RelayPolicy
from services.notify import Quiet


class Options(Protocol):
    team_timezone: str
    phone_region: str
    languages: list[str]
    offer_days: int
    offer_ttl_hours: int
    invite_ttl_hours: int
    digest_times: str
    weekly_report: str
    job_interval_seconds: int
    nag_days_attempted: int
    nag_days_reached: int
    nag_days_meeting: int
    nag_days_met: int
    nag_days_ongoing: int
    nag_interval_hours: int
    max_nags: int
    auto_close_days: int
    undispatched_alarm_hours: int
    seeker_greeting: str
    seeker_flood_per_minute: int
    seeker_max_text: int
    seeker_max_file_mb: float
    seeker_handoff_notice: bool
    satisfaction_check_days: int
    import_max_bytes: int
    import_progress_every: int
    api_max_body_bytes: int
    form_min_fill_seconds: float
    form_max_body_bytes: int
    form_client_ip_header: str

    def form_base(self) -> str: ...

    def seeker_greeting_in(self, locale: str) -> str: ...

    def relay_policy(self) -> RelayPolicy: ...

    def quiet(self) -> Quiet: ...

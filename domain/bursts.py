"""Bursts: many contacts from one source at once (an import, an API client's flood).

A team chat takes about 20 messages a minute, so a 1,000-row file would post cards for 50
minutes and bury everything else. More than BURST_SIZE arrivals from one source within
BURST_WINDOW make a burst: the team gets one summary, and each card waits until someone needs
it (services.card_queue says when). A source is its channel, the part of a contact's source
before " · " ("csv:leads.csv", "api:webform"): what the sender adds after it does not split
one flood into several."""

from dataclasses import dataclass
from datetime import datetime, timedelta

BURST_SIZE = 10
BURST_WINDOW = timedelta(minutes=1)
#: Separates the channel from what the sender said about the source (domain.contact_fields).
CHANNEL_SEPARATOR = " · "


def channel_of(source: str) -> str:
    return source.split(CHANNEL_SEPARATOR, 1)[0]


def is_burst(arrivals: int) -> bool:
    return arrivals > BURST_SIZE


@dataclass(frozen=True)
class Batch:
    """The arrivals of one source that count together: a whole import, or the API calls of
    one key within BURST_WINDOW of the first."""

    id: int
    channel: str
    started_at: datetime
    count: int  # contacts created in it so far

    def open_at(self, now: datetime) -> bool:
        """Still taking arrivals: the window has not passed."""
        return now - self.started_at < BURST_WINDOW

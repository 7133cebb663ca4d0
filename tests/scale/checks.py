"""What the fault test reads after the run: the stored state, the fake Bot API's chats and
the replicas' logs, each turned into the figures the test prints and asserts."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.fake_telegram import FakeTelegram
from tests.fake_telegram.state import inline_rows
from tests.fuzz.harness import consistency
from views.callbacks import Answer

LEADS = "this replica now runs the scheduled jobs"
STEPS_DOWN = "this replica no longer runs the scheduled jobs"


@dataclass
class Figures:
    contacts: int = 0
    consistent: int = 0
    problems: list[str] = field(default_factory=list)
    seekers_once: int = 0
    seekers: int = 0
    double_winners: int = 0
    status: Counter[str] = field(default_factory=Counter)
    too_many: int = 0
    lost: list[str] = field(default_factory=list)
    duplicates_outside: list[str] = field(default_factory=list)
    duplicates_inside: int = 0
    in_flight_at_kill: int = 0
    leader_changes: int = 0
    tick_clashes: list[str] = field(default_factory=list)
    ticks: int = 0


async def stored(db: AsyncEngine, figures: Figures, phones: list[str]) -> None:
    """Every contact in one consistent state, each seeker stored once, no offer with two
    winners (tests.fuzz.harness.consistency: statuses, offers, assignees, audit replay)."""
    figures.problems = await consistency(db)
    bad = {int(m.group(1)) for p in figures.problems if (m := re.match(r"contact #(\d+)", p))}
    async with db.connect() as conn:
        rows = (await conn.execute(text("select id, status, phone from contacts"))).all()
        winners = (await conn.execute(text(
            "select contact_id from offers where status in ('accepted', 'pending') "
            "group by contact_id, status having count(*) > 1"))).all()
    figures.contacts = len(rows)
    figures.consistent = sum(1 for r in rows if r.id not in bad)
    figures.status = Counter(r.status for r in rows)
    per_phone = Counter(r.phone for r in rows)
    figures.seekers = len(phones)
    figures.seekers_once = sum(1 for p in phones if per_phone[p] == 1)
    figures.double_winners = len(winners)


async def delivered(db: AsyncEngine, fake: FakeTelegram, figures: Figures, bulk: set[str],
                    recipients: list[int], multipliers: list[int], in_flight: set[int]) -> None:
    """Nothing lost: every row sent (none left queued or sending), each row recorded as sent
    is in its chat, every bulk message arrived. Nothing sent twice, except rows a killed
    replica had in flight (the documented window: counted apart)."""
    async with db.connect() as conn:
        rows = (await conn.execute(text(
            "select id, chat_id, text, status, purpose, ref_id, tg_message_id from outbox"))).all()
    figures.too_many = fake.flood.total_refused if fake.flood else 0
    for row in rows:
        if row.status in ("queued", "sending"):
            figures.lost.append(f"row {row.id} to {row.chat_id} still {row.status}")
        elif row.status == "sent" and row.tg_message_id is not None:
            message = fake.chat(row.chat_id).get(row.tg_message_id) if row.chat_id in fake.chats \
                else None
            if message is None or not message.from_bot:
                figures.lost.append(f"row {row.id} recorded as sent, not in chat {row.chat_id}")
    seen = Counter(m.sent_text for chat in recipients for m in fake.chat(chat).messages
                   if m.from_bot)
    figures.lost += [f"bulk message never arrived: {t}" for t in sorted(bulk - set(seen))]
    row_of_text = {row.text: row.id for row in rows}
    offers = Counter(Answer.unpack(b["callback_data"]).offer_id
                     for chat in multipliers for m in fake.chat(chat).messages if m.from_bot
                     for r in inline_rows(m.sent_markup) for b in r
                     if str(b.get("callback_data", "")).startswith("ans:") and
                     str(b["callback_data"]).endswith(":1"))
    row_of_offer = {row.ref_id: row.id for row in rows if row.purpose == "offer"}
    figures.in_flight_at_kill = len(in_flight)
    repeats = [(f"bulk {t!r}", row_of_text.get(t), n) for t, n in seen.items() if n > 1] + \
        [(f"offer {o}", row_of_offer.get(o), n) for o, n in offers.items() if n > 1]
    for what, row_id, times in repeats:
        if row_id in in_flight:
            figures.duplicates_inside += times - 1
        else:
            figures.duplicates_outside.append(f"{what} arrived {times} times")


def leadership(events: list[dict], interval: float, figures: Figures, until: datetime) -> None:
    """Leader changes seen in the logs before `until` (the replicas' clean stop, which hands
    the lease on), and each job's ticks: two runs of a job closer than half an interval on two
    replicas would be two schedulers in one tick."""
    turns = sorted((_at(e), e["process"], e["incarnation"]) for e in events
                   if e["event"] == LEADS and _at(e) < until)
    holders = [(process, incarnation) for _at_, process, incarnation in turns]
    figures.leader_changes = sum(1 for a, b in zip(holders, holders[1:]) if a != b)
    runs: dict[str, list[tuple[datetime, str, int]]] = {}
    for e in events:
        if e["event"] == "scheduled job":
            runs.setdefault(e["job"], []).append((_at(e), e["process"], e["incarnation"]))
    for job, ticks in runs.items():
        ticks.sort()
        figures.ticks += len(ticks)
        for (t1, p1, i1), (t2, p2, i2) in zip(ticks, ticks[1:]):
            if (p1, i1) != (p2, i2) and (t2 - t1).total_seconds() < interval / 2:
                figures.tick_clashes.append(f"{job} on {p1}/{i1} and {p2}/{i2} {t2 - t1} apart")


def current_leader(events: list[dict], alive: dict[str, int]) -> str | None:
    """The replica (by name) whose latest incarnation last said it leads, if any."""
    last: dict[str, str] = {}
    for e in sorted((e for e in events if e["event"] in (LEADS, STEPS_DOWN)), key=_at):
        if alive.get(e["process"]) == e["incarnation"]:
            last[e["process"]] = e["event"]
    leading = [name for name, event in last.items() if event == LEADS]
    return leading[0] if len(leading) == 1 else None


def _at(event: dict) -> datetime:
    return datetime.fromisoformat(event["ts"])

"""Fuzz the running bot through the fake Bot API: hostile text, every command with random
arguments, forged and real button presses, repeated updates, time passing and CSV files,
from every role, in private, in the team chat and in another group.

Promises checked for every update: it gets an answer (a message in its chat, or an
answerCallbackQuery) unless `world` lists its silence as allowed; the errors router never
fires (no ERROR log, no "Sorry, that did not work"); a job run never raises. After the
run the database passes `harness.consistency`.
"""

import re

from tests.e2e.conftest import Team
from tests.fake_telegram import FakeMessage, WaitTimeout
from tests.fuzz import harness
from tests.fuzz.harness import ErrorLog, Findings
from tests.fuzz.world import Press, Repeat, SendCsv, Tick, World, Say, actions, build

ANSWER_TIMEOUT = 10.0
SORRY = re.compile(r"Sorry, that did not work on our side \(reference (\d+)\)")


class Fuzzer:
    """Performs one action, waits for what it is owed, records what went wrong."""

    def __init__(self, world: World, errors: ErrorLog, findings: Findings) -> None:
        self.world, self.errors, self.findings = world, errors, findings
        self.fake = world.team.fake
        self.by_update: dict[int, object] = {}
        self.message_updates: list[dict] = []
        self.seen_sorry: set[str] = set()
        self.counts: dict[str, int] = {}

    async def act(self, action: object) -> None:
        self.counts[type(action).__name__] = self.counts.get(type(action).__name__, 0) + 1
        if harness.VERBOSE:
            print("[fuzz]", repr(action)[:200])
        before = self.fake.seq
        try:
            if isinstance(action, Say):
                await self.say(action)
            elif isinstance(action, Press):
                await self.press(action)
            elif isinstance(action, Repeat):
                await self.repeat(action)
            elif isinstance(action, Tick):
                await self.tick(action)
            elif isinstance(action, SendCsv):
                await self.send_csv(action)
        finally:
            await self.settle()
            self.collect_errors(action, before)

    # ------------------------------------------------------------------ actions

    async def say(self, action: Say) -> None:
        user = self.world.users[action.who]
        chat = self.world.chat(action.who, action.where)
        silence = await self.world.silence_allowed(action.who, action.where, action.text)
        seq = self.fake.seq
        await user.send(action.text, chat=chat)
        update = self.fake.updates.pending[-1]
        self.by_update[update["update_id"]] = action
        self.message_updates.append(update)
        if silence is None:
            await self.expect_message(chat.id, seq, action)

    async def press(self, action: Press) -> None:
        user = self.world.users[action.who]
        chat = self.world.chat(action.who, action.where)
        target, data = self.target(chat, action)
        if target is None:
            return  # nothing to press on in this chat yet
        pending = user.press_data_nowait(target, data, timeout=ANSWER_TIMEOUT)
        self.by_update[self.fake.updates.pending[-1]["update_id"]] = action
        try:
            answer = await pending
        except WaitTimeout:
            self.findings.add("no answerCallbackQuery", action)
            return
        if answer.text and SORRY.search(answer.text):
            self.seen_sorry.add(answer.text)
            self.findings.add(f"the errors router answered the press: {answer.text}", action)

    def target(self, chat, action: Press) -> tuple[FakeMessage | None, str]:  # type: ignore[no-untyped-def]
        """The message pressed on, and the data sent."""
        shown = [m for m in chat.messages if m.from_bot and not m.deleted]
        if action.data is not None:
            return (shown[-1] if shown else None), action.data
        buttons = [
            (m, b["callback_data"]) for m in shown
            for row in (m.reply_markup or {}).get("inline_keyboard", [])
            for b in row if "callback_data" in b]
        if not buttons:
            return None, ""
        return buttons[action.pick % len(buttons)]

    async def repeat(self, action: Repeat) -> None:
        if not self.message_updates:
            return
        update = self.message_updates[action.pick % len(self.message_updates)]
        self.fake.inject_update(dict(update))  # same update_id: must be dropped silently

    async def tick(self, action: Tick) -> None:
        team: Team = self.world.team
        team.clock.advance(hours=action.hours)
        try:
            await team.run_jobs()
        except Exception as exc:  # noqa: BLE001 - a failing job is a finding, not a stop
            self.findings.add(f"a job run raised {exc!r}", action)

    async def send_csv(self, action: SendCsv) -> None:
        user = self.world.users[action.who]
        seq = self.fake.seq
        await user.send_document(action.data, "leads.csv", mime_type="text/csv")
        self.by_update[self.fake.updates.pending[-1]["update_id"]] = action
        await self.expect_message(user.chat.id, seq, action)

    # ------------------------------------------------------------------ checks

    async def expect_message(self, chat_id: int, seq: int, action: object) -> None:
        try:
            await self.fake.wait_for(chat_id, None, after=seq, timeout=ANSWER_TIMEOUT)
        except WaitTimeout:
            self.findings.add(f"no answer within {ANSWER_TIMEOUT}s", action)

    async def settle(self) -> None:
        """Every update fetched and handled (no Bot API call for a moment)."""
        try:
            await self.fake.wait_idle(quiet=0.05, timeout=15)
        except WaitTimeout:
            pass  # the outbox may still be pacing team-chat edits; errors are caught later

    def collect_errors(self, action: object, seq: int) -> None:
        for record in self.errors.take():
            culprit = self.by_update.get(getattr(record, "update_id", None), action)
            self.findings.add(f"ERROR logged: {harness.describe(record)}", culprit)
        for chat in self.fake.chats.values():
            for message in chat.messages:
                if message.from_bot and message.seq > seq and message.text:
                    found = SORRY.search(message.text)
                    if found and message.text not in self.seen_sorry:
                        self.seen_sorry.add(message.text)
                        culprit = self.by_update.get(int(found.group(1)), action)
                        self.findings.add(f"the errors router answered: {found.group(0)}", culprit)


async def test_the_bot_answers_every_update_and_stays_consistent(team: Team) -> None:
    harness.announce("bot", harness.EXAMPLES)
    world = await build(team)
    findings = Findings()
    with ErrorLog() as errors:
        fuzzer = Fuzzer(world, errors, findings)
        await harness.drive(actions(), fuzzer.act)
        await team.run_jobs()
        await fuzzer.settle()
        fuzzer.collect_errors("(after the run)", 0)
    print(f"[fuzz] actions: {fuzzer.counts}")
    for problem in await harness.consistency(team.db):
        findings.add("database: " + problem, "(after the run)")
    assert not findings.items, findings.report()

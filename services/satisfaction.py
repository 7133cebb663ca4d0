"""The satisfaction check (optional, SATISFACTION_CHECK_DAYS): some days after a seeker who
wrote to the bot met their multiplier, the bot asks them whether the meeting helped. A "no"
is raised to the team with *Find someone else*: nobody should stay with a contact that did
not work for them. Asked once and answered once per conversation (both in the audit log)."""

from collections.abc import Callable
from datetime import datetime, timedelta

from domain.clock import as_utc
from domain.contacts import Contact, Status
from domain.conversations import Conversation, Direction, Kind, RelayStatus
from domain.errors import AlreadyDone, NotAllowed
from domain.members import Member
from domain.outbox import Enqueue
from services import languages
from services.access import found
from services.notify import to_team
from services.ports import UnitOfWork
from services.transaction import use_case

ASKED, ANSWERED, SILENT = "satisfaction_asked", "satisfaction_answered", "satisfaction_silent"
#: Met, or met and still meeting: the meeting happened.
AFTER_MEETING = frozenset({Status.MET, Status.ONGOING})

#: (the seeker's locale, the conversation id) -> the question and its two buttons (JSON).
ComposeQuestion = Callable[[str, int], tuple[str, str]]
#: (the team's locale, the contact, its holder, whether the seeker never answered) -> the
#: note and its button (JSON).
ComposeNote = Callable[[str, Contact, Member, bool], tuple[str, str]]


@use_case
async def due(uow: UnitOfWork, after: timedelta, now: datetime) -> list[Conversation]:
    """Conversations whose contact met its multiplier at least `after` ago, never asked."""
    waiting = []
    held = [s for s in RelayStatus if s is not RelayStatus.NONE]
    for conv in await uow.conversations.relayed(held):
        contact = await uow.contacts.get(conv.contact_id) if conv.contact_id else None
        if contact is None or contact.status not in AFTER_MEETING or \
                contact.stage_changed_at is None or now - contact.stage_changed_at < after:
            continue
        if not await _logged(uow, conv.id, ASKED):
            waiting.append(conv)
    await uow.commit()
    return waiting


@use_case
async def ask(uow: UnitOfWork, conv: Conversation, now: datetime,
              compose: ComposeQuestion) -> None:
    """The question, in the seeker's language, stored with the conversation."""
    if await _logged(uow, conv.id, ASKED):
        await uow.commit()
        return
    locale = await languages.of_seeker(uow, conv.seeker_tg_id, conv.seeker_language)
    text, markup = compose(locale, conv.id)
    await uow.conversations.add_message(conv.id, Direction.OUT, Kind.TEXT, text, None, now)
    await uow.outbox.add(Enqueue(chat_id=conv.seeker_tg_id, text=text, reply_markup=markup,
                                 dedupe_key=f"satisfaction:{conv.id}"), now)
    await uow.audit.record(now, None, "conversation", conv.id, ASKED, None, conv.contact_id)
    await uow.commit()


@use_case
async def answer(uow: UnitOfWork, tg_user_id: int, conversation_id: int, helped: bool,
                 now: datetime, compose: ComposeNote) -> None:
    """Only the seeker asked, once. A "no" while someone still holds the contact tells the
    team, with the button that takes it from its holder."""
    conv = found(await uow.conversations.get(conversation_id), "conversation")
    if conv.seeker_tg_id != tg_user_id or not await _logged(uow, conv.id, ASKED):
        raise NotAllowed("not yours")
    if await _logged(uow, conv.id, ANSWERED):
        raise AlreadyDone("answered")
    await uow.audit.record(now, None, "conversation", conv.id, ANSWERED, None, helped)
    if not helped:
        await _raise(uow, conv, now, compose, silent=False)
    await uow.commit()


@use_case
async def unanswered(uow: UnitOfWork, after: timedelta, now: datetime) -> list[Conversation]:
    """Asked at least `after` ago, never answered, not raised yet."""
    held = [s for s in RelayStatus if s is not RelayStatus.NONE]
    waiting = []
    for conv in await uow.conversations.relayed(held):
        entries = await uow.audit.for_entity("conversation", conv.id)
        asked = [e.at for e in entries if e.action == ASKED]
        done = any(e.action in (ANSWERED, SILENT) for e in entries)
        if asked and not done and now - as_utc(asked[0]) >= after:
            waiting.append(conv)
    await uow.commit()
    return waiting


@use_case
async def raise_silence(uow: UnitOfWork, conv: Conversation, now: datetime,
                        compose: ComposeNote) -> None:
    """No answer is treated like a "no": the team decides whether to find someone else."""
    if not await _logged(uow, conv.id, ANSWERED) and not await _logged(uow, conv.id, SILENT):
        await uow.audit.record(now, None, "conversation", conv.id, SILENT, None, None)
        await _raise(uow, conv, now, compose, silent=True)
    await uow.commit()


async def _raise(uow: UnitOfWork, conv: Conversation, now: datetime, compose: ComposeNote,
                 silent: bool) -> None:
    """The team note, while someone still holds the contact (else there is nobody to
    replace and the card already waits for dispatch)."""
    contact = await uow.contacts.get(conv.contact_id) if conv.contact_id else None
    holder = await uow.members.get(contact.assignee_id) if contact and contact.assignee_id \
        else None
    if contact is not None and holder is not None and contact.is_assigned:
        text, markup = compose(await languages.of_team(uow), contact, holder, silent)
        await to_team(uow, text, now, reply_markup=markup,
                      dedupe_key=f"unsatisfied:{conv.id}")


async def _logged(uow: UnitOfWork, conversation_id: int, action: str) -> bool:
    return any(e.action == action
               for e in await uow.audit.for_entity("conversation", conversation_id))

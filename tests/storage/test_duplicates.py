"""Duplicates over a real database: attach as a touch, suspects, merge, two multipliers, undo."""

import asyncio
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.dialects import sqlite

from domain.contacts import ContactDetails, Status
from domain.duplicates import Reason
from domain.errors import InvalidInput, NoLongerAvailable
from domain.identity import keys_for
from domain.members import Gender
from domain.merge import Prefer
from domain.offers import OfferStatus
from domain.roles import Role
from domain.settings import TEAM_CHAT
from services import answers, dispatch, duplicates, intake, merge
from services.cards import build_card
from services.notify import Quiet
from storage.models import AuditRow, ContactRow, OutboxRow, TouchRow
from storage.uow import UnitOfWork
from storage.repositories import contacts as contacts_repository

TTL = timedelta(hours=24)
QUIET = Quiet(None, None, "UTC")


def COMPOSE(locale, offer, contact):  # type: ignore[no-untyped-def]
    return "Can you reach them?", "{}"


def TOUCH(locale, stored, match, reader):  # type: ignore[no-untyped-def]
    return f"touch {reader} #{stored.id} {','.join(match.reasons)}"


def MERGE(locale, kind, keeper, merged, holder):  # type: ignore[no-untyped-def]
    return f"{kind} #{merged.id}->#{keeper.id} holder={holder.name if holder else None}"


async def members(factory, clock):  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        boss = await uow.members.add(1, "Boss", None, {Role.ADMIN, Role.DISPATCHER}, clock.now())
        anna = await uow.members.add(2, "Anna", None, {Role.MULTIPLIER}, clock.now())
        olga = await uow.members.add(3, "Olga", None, {Role.MULTIPLIER}, clock.now())
        await uow.settings.set(TEAM_CHAT, "-100")
        await uow.commit()
    async with UnitOfWork(factory) as uow:
        return [await uow.members.get(m.id) for m in (boss, anna, olga)]


async def enter(factory, clock, actor, **details):  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        return await intake.create_contact(
            uow, actor, ContactDetails(**{"name": "Maria Ivanova", **details}), clock.now(),
            compose_touch=TOUCH, quiet=QUIET)


async def count(factory, row, *where) -> int:  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        return await uow.session.scalar(select(func.count()).select_from(row).where(*where))


async def card_now(factory, clock, contact_id):  # type: ignore[no-untyped-def]
    """The contact's team card as it would be drawn now."""
    async with UnitOfWork(factory) as uow:
        return await build_card(uow, contact_id, clock.now())


async def accept(factory, clock, boss, member, contact_id):  # type: ignore[no-untyped-def]
    async with UnitOfWork(factory) as uow:
        made = await dispatch.make_offer(uow, boss, contact_id, member.id, clock.now(), 2, TTL,
                                         COMPOSE)
    async with UnitOfWork(factory) as uow:
        await answers.accept(uow, member, made.offer.id, clock.now())


@pytest.mark.parametrize("again", [
    {"name": "Мария Иванова", "phone": "+380441234567"},
    {"name": "Ivanova Maria", "email": "M.Ivanova+ads@gmail.com"},
    {"name": "Masha", "tg_username": "Maria_K"},
])
async def test_an_exact_identifier_match_attaches_a_touch_instead_of_a_second_contact(
        session_factory, clock, again) -> None:  # type: ignore[no-untyped-def]
    boss, anna, _ = await members(session_factory, clock)
    first = await enter(session_factory, clock, boss, phone="+380441234567",
                        email="mivanova@gmail.com", tg_username="maria_k")
    await accept(session_factory, clock, boss, anna, first.contact.id)
    clock.advance(days=1)
    second = await enter(session_factory, clock, boss, source="web form", **again)
    assert (second.created, second.contact.id) == (False, first.contact.id)
    assert (await card_now(session_factory, clock, second.contact.id)).touches == 1
    assert await count(session_factory, ContactRow) == 1
    async with UnitOfWork(session_factory) as uow:
        texts = list(await uow.session.scalars(select(OutboxRow.text).where(
            OutboxRow.text.like("touch%")).order_by(OutboxRow.id)))
    assert [t.split()[:3] for t in texts] == [["touch", "team", "#1"], ["touch", "assignee", "#1"]]


async def test_a_touch_adds_the_methods_the_stored_contact_lacked(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _, _ = await members(session_factory, clock)
    await enter(session_factory, clock, boss, phone="+380441234567")
    result = await enter(session_factory, clock, boss, phone="+380441234567", email="m@x.org")
    assert result.contact.details.email == "m@x.org"
    async with UnitOfWork(session_factory) as uow:
        audit = (await uow.audit.for_entity("contact", 1))[-1]
        action, after = audit.action, json.loads(audit.after)
    assert action == "touch" and after["added"] == {"email": "m@x.org"}


async def test_a_family_phone_and_a_similar_name_make_suspects_not_touches(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _, _ = await members(session_factory, clock)
    await enter(session_factory, clock, boss, phone="+380441234567", area="Podil")
    family = await enter(session_factory, clock, boss, name="Oleg Ivanov", phone="+380441234567")
    fuzzy = await enter(session_factory, clock, boss, name="Мария Иванова",
                        phone="+380509999999", area="Подил")
    assert family.created and fuzzy.created
    assert [s.reasons for s in (await card_now(session_factory, clock, family.contact.id)).suspects] == [(Reason.SAME_PHONE, Reason.DIFFERENT_NAME)]
    assert [(s.other_id, s.reasons) for s in (await card_now(session_factory, clock, fuzzy.contact.id)).suspects] == [
        (1, (Reason.SAME_NAME, Reason.SAME_AREA))]


async def test_not_a_duplicate_is_never_suggested_again(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _, _ = await members(session_factory, clock)
    await enter(session_factory, clock, boss, phone="+380441234567", area="Podil")
    new = await enter(session_factory, clock, boss, phone="+380509999999", area="Podil")
    [suspect] = (await card_now(session_factory, clock, new.contact.id)).suspects
    async with UnitOfWork(session_factory) as uow:
        view = await duplicates.dismiss(uow, boss, suspect.id, new.contact.id, clock.now())
    assert view.suspects == []
    async with UnitOfWork(session_factory) as uow:
        await uow.contacts.set_fields(new.contact.id, dup_checked_at=None)
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        assert await duplicates.recheck(uow, (await uow.contacts.get(2)), clock.now()) == []
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(NoLongerAvailable):
            await duplicates.dismiss(uow, boss, suspect.id, new.contact.id, clock.now())


async def test_merge_keeps_the_older_id_withdraws_open_offers_and_undo_restores(
        session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna, _ = await members(session_factory, clock)
    await enter(session_factory, clock, boss, phone="+380441234567", area="Podil", source="ad")
    clock.advance(hours=1)
    await enter(session_factory, clock, boss, name="Мария Иванова", phone="+380509999999",
                area="Podil", gender=Gender.FEMALE, notes="evenings", source="web")
    async with UnitOfWork(session_factory) as uow:
        offer = (await dispatch.make_offer(uow, boss, 2, anna.id, clock.now(), 2, TTL,
                                           COMPOSE)).offer
    clock.advance(hours=1)
    async with UnitOfWork(session_factory) as uow:
        [suspect] = await uow.duplicates.pending_for(2)
        done = await merge.merge(uow, boss, suspect.id, 2, clock.now(), MERGE, QUIET,
                                 prefer=Prefer.NEWEST)
    keeper, merged = done.keeper.contact, done.merged.contact
    assert (keeper.id, merged.id, merged.status, merged.merged_into) == (1, 2, Status.MERGED, 1)
    assert keeper.details.name == "Мария Иванова" and keeper.details.source == "web"
    assert keeper.details.phone == "+380441234567" and keeper.details.notes == "evenings"
    assert keeper.details.gender is Gender.FEMALE
    async with UnitOfWork(session_factory) as uow:
        assert (await uow.offers.get(offer.id)).status is OfferStatus.WITHDRAWN
        notices = list(await uow.session.scalars(select(OutboxRow.text).where(
            OutboxRow.text.like("offer_withdrawn%"))))
        record = await uow.duplicates.get_merge(done.merge_id)
    assert notices == ["offer_withdrawn #2->#1 holder=Anna"]
    assert {"field": "source", "kept": "web", "set_aside": "ad"} in record.conflicts
    # the merged-away number still finds the seeker: a touch on the keeper
    again = await enter(session_factory, clock, boss, phone="+380509999999", name="Maria")
    assert (again.created, again.contact.id) == (False, 1)

    async with UnitOfWork(session_factory) as uow:
        undone = await merge.undo(uow, boss, done.merge_id, clock.now())
    assert undone.keeper.contact.details.name == "Maria Ivanova"
    assert undone.keeper.contact.details.source == "ad"
    assert (undone.merged.contact.status, undone.merged.contact.merged_into) == (Status.NEW, None)
    assert [s.id for s in undone.merged.suspects] == [suspect.id]  # to decide again
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(NoLongerAvailable):
            await merge.undo(uow, boss, done.merge_id, clock.now())
        actions = [a.action for a in await uow.audit.for_entity("contact", 2)]
    assert actions == ["create", "offer", "merged_into", "unmerge"]


async def test_two_multipliers_are_both_told_and_the_dispatcher_chooses(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, anna, olga = await members(session_factory, clock)
    await enter(session_factory, clock, boss, phone="+380441234567", area="Podil")
    await accept(session_factory, clock, boss, anna, 1)
    new = await enter(session_factory, clock, boss, phone="+380509999999", area="Podil")
    await accept(session_factory, clock, boss, olga, 2)
    [suspect] = (await card_now(session_factory, clock, new.contact.id)).suspects
    async with UnitOfWork(session_factory) as uow:
        preview = await merge.preview(uow, boss, suspect.id, 2, clock.now())
    assert preview.holders == {anna.id: "Anna", olga.id: "Olga"}
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(InvalidInput):
            await merge.merge(uow, boss, suspect.id, 2, clock.now(), MERGE, QUIET)
    async with UnitOfWork(session_factory) as uow:
        done = await merge.merge(uow, boss, suspect.id, 2, clock.now(), MERGE, QUIET,
                                 keep_with=olga.id)
    assert (done.keeper.contact.id, done.keeper.contact.assignee_id) == (1, olga.id)
    assert done.keeper.contact.status is Status.ACCEPTED
    async with UnitOfWork(session_factory) as uow:
        told = dict((await uow.session.execute(select(OutboxRow.member_id, OutboxRow.text).where(
            OutboxRow.text.like("%->#1%")))).all())
        anna_load = await uow.contacts.assigned_to(anna.id, [Status.REACHED, Status.ACCEPTED])
    assert told == {anna.id: "lost #2->#1 holder=Olga", olga.id: "kept #2->#1 holder=Olga"}
    assert anna_load == []
    async with UnitOfWork(session_factory) as uow:
        undone = await merge.undo(uow, boss, done.merge_id, clock.now())
    assert undone.keeper.contact.assignee_id == anna.id
    assert undone.merged.contact.assignee_id == olga.id


async def test_two_merges_of_one_pair_at_once_make_one(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _, _ = await members(session_factory, clock)
    await enter(session_factory, clock, boss, phone="+380441234567", area="Podil")
    new = await enter(session_factory, clock, boss, phone="+380509999999", area="Podil")
    [suspect] = (await card_now(session_factory, clock, new.contact.id)).suspects

    async def press():  # type: ignore[no-untyped-def]
        async with UnitOfWork(session_factory) as uow:
            try:
                await merge.merge(uow, boss, suspect.id, 2, clock.now(), MERGE, QUIET)
                return "won"
            except NoLongerAvailable:
                return "lost"

    assert sorted(await asyncio.gather(*(press() for _ in range(5)))) == ["lost"] * 4 + ["won"]
    assert await count(session_factory, AuditRow, AuditRow.action == "merge") == 1


async def test_candidates_are_found_through_indexes_not_scans(session_factory, clock,  # type: ignore[no-untyped-def]
                                                              monkeypatch) -> None:
    """Each OR branch must be an index probe (SQLite's plan says SEARCH, never SCAN contacts)."""
    boss, _, _ = await members(session_factory, clock)
    await enter(session_factory, clock, boss, phone="+380441234567", area="Podil")
    async with UnitOfWork(session_factory) as uow:
        if uow.session.bind.dialect.name != "sqlite":
            return
        keys = keys_for("Maria Ivanova", "+380441234567", "m@x.org", "maria_k", 5, "Podil")
        captured = []
        original = contacts_repository.plain

        async def spy(session, query, params=None):  # type: ignore[no-untyped-def]
            captured.append(query.params(params or {}))
            return await original(session, query, params)

        monkeypatch.setattr(contacts_repository, "plain", spy)
        await uow.contacts.candidates(keys)
        compiled = captured[0].compile(dialect=sqlite.dialect(),
                                       compile_kwargs={"literal_binds": True})
        plan = (await uow.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))).all()
    details = " | ".join(row[-1] for row in plan)
    assert "SCAN" not in details, details
    assert details.count("SEARCH") >= 6, details


async def test_known_areas_skip_through_the_index(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    """Distinct areas by prefix, one index probe each: the plan never scans contacts."""
    boss, _, _ = await members(session_factory, clock)
    for i, area in enumerate(("Kyiv Podil", "Kyiv Obolon", "Kyiv Podil", "Lviv Center", "")):
        await enter(session_factory, clock, boss, name=f"Someone {'abcde'[i]}", area=area,
                    phone=f"+38044123456{i}")
    async with UnitOfWork(session_factory) as uow:
        assert await uow.contacts.known_areas() == ["kyiv obolon", "kyiv podil", "lviv center"]
        assert await uow.contacts.known_areas("k") == ["kyiv obolon", "kyiv podil"]
        assert await uow.contacts.known_areas("z") == []
        if uow.session.bind.dialect.name != "sqlite":
            return
        captured = []
        original = uow.session.execute

        async def spy(statement, *args, **kwargs):  # type: ignore[no-untyped-def]
            captured.append((statement, args))
            return await original(statement, *args, **kwargs)

        uow.session.execute = spy  # type: ignore[method-assign]
        await uow.contacts.list_areas("k")  # known_areas keeps the list a minute
        statement, args = captured[0]
        plan = (await original(text(f"EXPLAIN QUERY PLAN {statement.text}"), *args)).all()
    details = " | ".join(row[-1] for row in plan)
    assert "SCAN contacts" not in details and "SEARCH contacts" in details, details


async def test_an_area_this_process_stores_joins_the_kept_list_at_once(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _, _ = await members(session_factory, clock)
    await enter(session_factory, clock, boss, name="Someone A", area="Kyiv Podil",
                phone="+380441234560")
    async with UnitOfWork(session_factory) as uow:
        assert await uow.contacts.known_areas("k") == ["kyiv podil"]
    await enter(session_factory, clock, boss, name="Someone B", area="Kyiv Obolon",
                phone="+380441234561")
    async with UnitOfWork(session_factory) as uow:
        assert await uow.contacts.known_areas("k") == ["kyiv obolon", "kyiv podil"]


async def test_a_nickname_and_a_typo_in_the_area_still_make_a_suspect(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _, _ = await members(session_factory, clock)
    first = await enter(session_factory, clock, boss, name="Мария Петренко", phone="+380441234567",
                        area="Kyiv Podil")
    again = await enter(session_factory, clock, boss, name="Petrenko Masha", phone="+380501111111",
                        area="Kyiv Podli")
    assert again.created
    async with UnitOfWork(session_factory) as uow:
        [suspect] = await uow.duplicates.pending_for(again.contact.id)
    assert (suspect.other_id, suspect.reasons) == (
        first.contact.id, (Reason.SAME_NAME, Reason.SIMILAR_AREA))


async def test_rows_keyed_the_old_way_are_rekeyed_by_the_periodic_step(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _, _ = await members(session_factory, clock)
    old = await enter(session_factory, clock, boss, name="Маша Петренко", phone="+380441234567",
                      area="Kyiv Podil")
    other = await enter(session_factory, clock, boss, name="Oleg Ivanov", phone="+380441234568")
    async with UnitOfWork(session_factory) as uow:  # as version 1 stored it: the short form
        await uow.contacts.set_fields(old.contact.id, name_block_b="masa")
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        assert not await duplicates.rekey(uow, 1)
    async with UnitOfWork(session_factory) as uow:
        assert not await duplicates.rekey(uow, 1)  # the second row
    async with UnitOfWork(session_factory) as uow:
        assert await duplicates.rekey(uow, 1)  # none left
    async with UnitOfWork(session_factory) as uow:
        assert await duplicates.rekey(uow, 1)
        row = await uow.session.get(ContactRow, old.contact.id)
        assert (row.name_block_a, row.name_block_b) == ("petr", "mari")
        assert await uow.settings.get("duplicate_keys") == "2:done"
        assert (await uow.session.get(ContactRow, other.contact.id)).name_block_a == "ivan"


async def test_touches_are_kept(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _, _ = await members(session_factory, clock)
    await enter(session_factory, clock, boss, phone="+380441234567")
    await enter(session_factory, clock, boss, phone="+380441234567", source="web")
    async with UnitOfWork(session_factory) as uow:
        row = (await uow.session.execute(
            select(TouchRow.contact_id, TouchRow.source, TouchRow.reasons))).one()
    assert tuple(row) == (1, "web", "same_phone")


async def test_the_periodic_check_finds_what_intake_missed(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _, _ = await members(session_factory, clock)
    async with UnitOfWork(session_factory) as uow:  # rows from before detection existed
        for phone in ("+380441234567", "+380441234567"):
            await uow.contacts.add(ContactDetails("Maria Ivanova", phone=phone), boss.id,
                                   clock.now())
        await uow.commit()
    found = []
    async with UnitOfWork(session_factory) as uow:
        unchecked = await uow.contacts.unchecked(10)
    for contact in unchecked:
        async with UnitOfWork(session_factory) as uow:
            found += await duplicates.recheck(uow, contact, clock.now())
    assert [(m.contact_id, m.reasons) for m in found] == [(2, (Reason.SAME_PHONE,))]
    async with UnitOfWork(session_factory) as uow:
        assert await uow.contacts.unchecked(10) == []
        [suspect] = await uow.duplicates.pending()
    assert (suspect.contact_id, suspect.other_id, suspect.score) == (2, 1, 100)


async def test_an_edited_contact_is_checked_again(session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    boss, _, _ = await members(session_factory, clock)
    await enter(session_factory, clock, boss, phone="+380441234567", area="Podil")
    other = await enter(session_factory, clock, boss, name="Oleg Petrenko", phone="+380509999999")
    assert (await card_now(session_factory, clock, other.contact.id)).suspects == []
    async with UnitOfWork(session_factory) as uow:  # a later edit: now the same e-mail
        await uow.contacts.set_details(1, ContactDetails("Maria Ivanova", phone="+380441234567",
                                                         email="o.petrenko@gmail.com"))
        await uow.contacts.set_details(2, ContactDetails("Oleg Petrenko", phone="+380509999999",
                                                         email="OPetrenko@gmail.com"))
        await uow.commit()
    async with UnitOfWork(session_factory) as uow:
        [first, _second] = await uow.contacts.unchecked(10)
    async with UnitOfWork(session_factory) as uow:
        found = await duplicates.recheck(uow, first, clock.now())
    assert [(m.contact_id, m.reasons) for m in found] == [(2, (Reason.SAME_EMAIL,))]


async def test_a_flood_of_namesakes_in_one_area_gives_each_contact_a_few_suspects(
        session_factory, clock) -> None:  # type: ignore[no-untyped-def]
    """Issue #13: 148 similar names in one area made 10,878 suspects inside the import's
    write transactions. Each contact now has at most MAX_SUSPECTS pending ones."""
    boss, _, _ = await members(session_factory, clock)
    for n in range(150):
        await enter(session_factory, clock, boss, phone=f"+38067{1_000_000 + n * 7919}",
                    area="Podil")
    async with UnitOfWork(session_factory) as uow:
        per_contact = (await uow.session.execute(text(
            "select id, count(*) from (select contact_id as id from duplicate_suspects"
            " union all select other_id from duplicate_suspects) as ends group by id"))).all()
    assert per_contact and max(n for _, n in per_contact) <= duplicates.MAX_SUSPECTS == 5

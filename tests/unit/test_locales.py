"""Who reads which language (domain.locales), and use cases composing for the reader."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.contacts import Contact, ContactDetails
from domain.locales import member_locale, seeker_locale, shipped
from domain.offers import Offer
from domain.roles import Role
from domain.settings import TEAM_LANGUAGE
from services import dispatch, languages
from tests.fakes.uow import FakeDatabase

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("code", "expected"), [
    ("ru", "ru"), ("ru-RU", "ru"), ("UK", "uk"), ("it_IT", "it"), ("en-GB", "en"),
    ("pl", None), ("", None), (None, None), ("xx-" * 20, None)])
def test_shipped_reads_telegram_codes(code: str | None, expected: str | None) -> None:
    assert shipped(code) == expected


def test_a_member_reads_their_choice_then_telegram_then_the_team() -> None:
    assert member_locale("it", "uk", "ru") == "it"
    assert member_locale(None, "uk-UA", "ru") == "uk"
    assert member_locale(None, "pl", "ru") == "ru"  # not shipped: the team's
    assert member_locale(None, None, "") == ""  # "": the deployment's TEAM_LANGUAGE


def test_a_seeker_reads_their_records_language_first() -> None:
    assert seeker_locale("ru", "it", "en") == "ru"
    assert seeker_locale("de", "it", "en") == "it"
    assert seeker_locale("", None, "uk") == "uk"


async def test_an_offer_is_composed_in_the_multipliers_language_not_the_dispatchers() -> None:
    db = FakeDatabase()
    async with db.uow() as uow:
        boss = await uow.members.add(1, "Dmitri", None, {Role.DISPATCHER}, NOW)
        await uow.members.update(boss.id, locale="ru")
        anna = await uow.members.add(2, "Anna", None, {Role.MULTIPLIER}, NOW)
        await uow.members.update(anna.id, telegram_language="uk")
        await uow.settings.set(TEAM_LANGUAGE, "it")
        contact = await uow.contacts.add(ContactDetails("Maria", phone="+380441234567"),
                                         boss.id, NOW)
        await uow.commit()
        boss, anna = await uow.members.get(boss.id), await uow.members.get(anna.id)
    seen: list[str] = []

    def compose(locale: str, offer: Offer, contact: Contact) -> tuple[str, str]:
        seen.append(locale)
        return "offer", "{}"

    async with db.uow() as uow:
        await dispatch.make_offer(uow, boss, contact.id, anna.id, NOW, 2, timedelta(hours=24),
                                  compose)
    assert seen == ["uk"]
    async with db.uow() as uow:
        await languages.choose(uow, anna, "it", NOW)
        anna = await uow.members.get(anna.id)
        assert await languages.of_member(uow, anna) == "it"
        assert await languages.of_team(uow) == "it"

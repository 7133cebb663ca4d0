"""Normalised identity keys: the same person typed two ways gives the same key."""

import pytest

from domain.identity import (
    keys_for,
    name_blocks,
    name_key,
    normalise_area,
    normalise_email,
    normalise_username,
    phone_suffix,
)


@pytest.mark.parametrize(("typed", "key"), [
    ("Maria.Ivanova@Gmail.com", "mariaivanova@gmail.com"),
    ("m.a.r.i.a+ads@googlemail.com", "maria@gmail.com"),
    ("Maria.Ivanova+x@outlook.com", "maria.ivanova@outlook.com"),  # dots count at Outlook
    ("maria.ivanova+x@ukr.net", "maria.ivanova+x@ukr.net"),  # unknown provider: only case
    ("  MARIA@Example.ORG ", "maria@example.org"),
    ("not-an-email", None),
    ("", None),
    (None, None),
])
def test_email_keys(typed, key) -> None:  # type: ignore[no-untyped-def]
    assert normalise_email(typed) == key


@pytest.mark.parametrize(("typed", "key"), [
    ("@Maria_K", "maria_k"), ("maria_k", "maria_k"), ("https://t.me/Maria_K", "maria_k"),
    ("", None), (None, None),
])
def test_username_keys(typed, key) -> None:  # type: ignore[no-untyped-def]
    assert normalise_username(typed) == key


@pytest.mark.parametrize(("a", "b"), [
    ("Мария Иванова", "Maria Ivanova"),  # Russian Cyrillic vs Latin
    ("Марія Іванова", "Mariia Ivanova"),  # Ukrainian, official transliteration
    ("Ivanova Maria", "Maria Ivanova"),  # swapped first / last
    ("Юлия Ковальчук", "Yulia Kovalchuk"),
    ("Юлія Ковальчук", "Julia Kowalczuk"),  # Polish-style spelling
    ("Олександр Шевченко", "Oleksandr Shevchenko"),
    ("Алексей Хмельницкий", "Aleksei Khmelnitsky"),
    ("José Núñez", "Jose Nunez"),  # accents
])
def test_names_that_are_the_same_person_get_the_same_key(a, b) -> None:  # type: ignore[no-untyped-def]
    assert name_key(a) == name_key(b)
    assert name_blocks(a) == name_blocks(b)


@pytest.mark.parametrize(("name", "blocks"), [
    ("Maria Ivanova", ("ivan", "mari")),
    ("Maria", ("mari",)),
    ("Maria Ivanovna Petrova", ("ivan", "petr")),  # the two longest words
    ("Mraia Ivanova", ("ivan", "mrai")),  # a typo spoils one key, the other still finds her
])
def test_name_blocks(name, blocks) -> None:  # type: ignore[no-untyped-def]
    assert name_blocks(name) == blocks


@pytest.mark.parametrize(("phone", "suffix"), [
    ("+380441234567", "1234567"), ("+7123", None), (None, None),
])
def test_phone_suffix(phone, suffix) -> None:  # type: ignore[no-untyped-def]
    assert phone_suffix(phone) == suffix


def test_areas_compare_across_scripts_and_case() -> None:
    assert normalise_area("  Подол ") == normalise_area("podol")


def test_keys_for_collects_every_key() -> None:
    keys = keys_for("Мария Иванова", "+380441234567", "M.Ivanova@gmail.com", "@Maria_K", 42,
                    "Podil")
    assert (keys.email, keys.tg_username, keys.phone_suffix, keys.name_key, keys.area) == (
        "mivanova@gmail.com", "maria_k", "1234567", "ivanova maria", "podil")


def test_identifiers_are_the_normalised_exact_ones_in_one_order() -> None:
    from domain.identity import identifiers

    keys = keys_for("Maria", "+380671234567", "Maria.K@Gmail.com", "@MariaK", 77, "Podil")
    assert identifiers(keys) == sorted(["email:mariak@gmail.com", "phone:+380671234567",
                                        "telegram:77", "username:mariak"])
    assert identifiers(keys_for("Maria", None, None, None, None, "")) == []

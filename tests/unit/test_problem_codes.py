"""A field's problem is a code in the core; every surface has words for every code: the HTTP
API in English, the chat in its reader's language."""

from aiogram.utils.i18n import I18n

from api.problems import MESSAGES
from bot.app import LOCALES
from domain.contact_fields import CODES, check_contact
from domain.locales import SHIPPED
from views.import_texts import field_problem


def test_every_code_has_words_on_every_surface() -> None:
    assert set(MESSAGES) == set(CODES)
    i18n = I18n(path=LOCALES, default_locale="en", domain="messages")
    for locale in SHIPPED:
        with i18n.context(), i18n.use_locale(locale):
            for code in CODES:
                assert field_problem(code) != code, (locale, code)


def test_the_validator_only_names_known_codes() -> None:
    checked = check_contact({"name": "", "phone": "12", "email": "x@", "gender": "q",
                             "language": "?" * 40, "colour": "red", "notes": 5}, "UA")
    assert {e.code for e in checked.errors} <= set(CODES)
    assert {(e.field, e.code) for e in checked.errors} >= {("phone", "phone"),
                                                          ("email", "email"),
                                                          ("colour", "unknown")}

"""/language: the shipped languages, each named in itself."""

from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from babel import Locale

from domain.locales import SHIPPED
from views.callbacks import PickLanguage
from views.keyboard_builder import Keyboard


def native_name(code: str) -> str:
    """"Українська", not "Ukrainian": a person finds their language by its own name."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def choices(current: str) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for code in SHIPPED:
        mark = "✅ " if code == current else ""
        kb.button(text=mark + native_name(code), callback_data=PickLanguage(code=code))
    kb.adjust(2)
    return kb.as_markup()


def ask_member() -> str:
    return _("Which language should I use with you?")


def ask_team() -> str:
    return _("Which language should I use in this team chat? It is also the language of "
             "members and seekers who have not chosen one.")


def member_set(code: str) -> str:
    return _("Done: I will write to you in {language}.").format(language=native_name(code))


def team_set(code: str) -> str:
    return _("Done: this team chat is in {language} now.").format(language=native_name(code))


def only_admins() -> str:
    return _("Only an admin can change the team chat's language.")


def unknown(code: str) -> str:
    return _("I do not speak {code} yet. Pick one of the buttons.").format(code=escape(code))

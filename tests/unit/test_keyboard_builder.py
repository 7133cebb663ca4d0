"""views.keyboard_builder: a keyboard handed out stays as it was when the builder goes on."""

from aiogram.types import InlineKeyboardButton

from views.keyboard_builder import Keyboard


def test_a_markup_made_earlier_keeps_its_rows_when_more_buttons_are_added() -> None:
    kb = Keyboard()
    kb.button(text="Yes", callback_data="y")
    first = kb.as_markup()
    kb.button(text="No", callback_data="n")
    kb.row(InlineKeyboardButton(text="Back", callback_data="b"))
    kb.adjust(1)
    assert [[b.text for b in row] for row in first.inline_keyboard] == [["Yes"]]
    assert [[b.text for b in row] for row in kb.as_markup().inline_keyboard] == [
        ["Yes"], ["No"], ["Back"]]


def test_an_exported_keyboard_changed_by_its_caller_leaves_the_builder_alone() -> None:
    kb = Keyboard()
    kb.button(text="Yes", callback_data="y")
    rows = kb.export()
    rows[0].append(InlineKeyboardButton(text="Forged", callback_data="f"))
    rows.append([])
    assert [[b.text for b in row] for row in kb.export()] == [["Yes"]]

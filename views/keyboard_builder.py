"""aiogram's inline keyboard builder without a deep copy of the keyboard per button.

`InlineKeyboardBuilder.add` (behind every `button`) and `as_markup` deep-copy the whole
keyboard so far: every button model with its fields, for every button added. A team card's
dozen buttons cost about 3 ms, a few percent of every press and of the simulated month.
Buttons are never changed once made, so a copy of the rows is enough to keep a builder's
keyboard its own."""

from aiogram.types import InlineKeyboardButton
from aiogram.utils.keyboard import InlineKeyboardBuilder


class Keyboard(InlineKeyboardBuilder):
    def export(self) -> list[list[InlineKeyboardButton]]:
        return [list(row) for row in self._markup]

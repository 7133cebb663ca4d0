"""A relayed message keeps its header and as much of the seeker's words as fits."""

from types import SimpleNamespace

import pytest

from bot.app import build_i18n
from views.conversation_texts import relayed

CONV = SimpleNamespace(seeker_name="Maria <P>")


@pytest.mark.parametrize(("text", "limit", "ends"), [
    ("a" * 980, 1024, "a…"),  # a long caption, one paragraph
    ('"' * 3900, 4000, "&quot;…"),  # escaping makes it longer than the limit
    ("short", 1024, "short"),
])
def test_the_words_are_cut_not_the_header(text: str, limit: int, ends: str) -> None:
    i18n = build_i18n()
    with i18n.context(), i18n.use_locale("en"):
        message = relayed(CONV, 5, text, limit)  # type: ignore[arg-type]
    assert message.startswith("💬 From Maria &lt;P&gt; (#5)")
    assert len(message) <= limit and message.endswith(ends)
    assert len(message) > limit * 0.9 or text == "short"

"""parse_mode handling: the visible text and entities Telegram would derive from HTML.

Telegram rejects malformed HTML ("can't parse entities"), which is a classic bug when
user-provided names containing `<` are interpolated into HTML messages; emulating the
check lets tests catch it. Markdown modes are stored as is (no validation).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",  # only with class="tg-spoiler"
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


class _TelegramHTMLParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.position = 0
        self.open_tags: list[tuple[str, int, dict[str, Any] | None]] = []
        self.entities: list[dict[str, Any]] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.position += utf16_len(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        entity_type = _TAG_TYPES.get(tag)
        if entity_type is None or (tag == "span" and attributes.get("class") != "tg-spoiler"):
            raise EntityParseError(f'Unsupported start tag "{tag}"')
        entity: dict[str, Any] | None = {"type": entity_type}
        if tag == "a":
            entity["url"] = attributes.get("href") or ""
        elif tag == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        elif tag == "tg-emoji":
            entity["custom_emoji_id"] = attributes.get("emoji-id") or ""
        elif tag == "code" and self.open_tags and self.open_tags[-1][0] == "pre":
            # <pre><code class="language-x"> is one pre entity with a language
            pre_entity = self.open_tags[-1][2]
            language = (attributes.get("class") or "").removeprefix("language-")
            if language and pre_entity is not None:
                pre_entity["language"] = language
            entity = None
        self.open_tags.append((tag, self.position, entity))

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags or self.open_tags[-1][0] != tag:
            raise EntityParseError(f'Unmatched end tag "{tag}"')
        _, start, entity = self.open_tags.pop()
        if entity is not None and self.position > start:
            entity.update(offset=start, length=self.position - start)
            self.entities.append(entity)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise EntityParseError(f'Unsupported start tag "{tag}"')

    def handle_comment(self, data: str) -> None:
        raise EntityParseError("Unsupported comment")

    def handle_decl(self, decl: str) -> None:
        raise EntityParseError("Unsupported declaration")

    def handle_pi(self, data: str) -> None:
        raise EntityParseError("Unsupported processing instruction")


def parse_text(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Return (visible text, entities) for `text` sent with `parse_mode`."""
    if not parse_mode or parse_mode.lower() != "html":
        return text, []
    parser = _TelegramHTMLParser()
    parser.feed(text)
    parser.close()
    if parser.open_tags:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{parser.open_tags[-1][0]}"'
        )
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return "".join(parser.parts), entities


_COMMAND = re.compile(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}\b")


def user_entities(text: str) -> list[dict[str, Any]]:
    """Entities Telegram adds to what a user types: a leading /command, @mentions."""
    entities: list[dict[str, Any]] = []
    command = _COMMAND.match(text)
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command[0])})
    for mention in _MENTION.finditer(text):
        if command and mention.start() < command.end():
            continue  # the @botname of /command@botname
        entities.append(
            {
                "type": "mention",
                "offset": utf16_len(text[: mention.start()]),
                "length": utf16_len(mention[0]),
            }
        )
    return entities

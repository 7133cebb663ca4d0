"""Hypothesis strategies for hostile input: text, commands with random arguments, callback
data, CSV files. Pure (no bot); the tests in this folder feed them to the real bot, the HTTP
API and the CSV reader.

The commands and the button prefixes are read from the code (the routers' `Command`
filters, `views.callbacks.ALL`), so a command or a button added later is fuzzed too.
"""

import csv
import io
import json
from enum import Enum
from functools import cache

from aiogram.filters import Command
from hypothesis import strategies as st

from domain.csv_table import ALIASES
from handlers import get_routers
from views import callbacks

BOT_USERNAME = "dispatch_test_bot"

# Characters that have broken bots before: bidi overrides, zero-width, NUL and other
# controls, HTML that would end up in parse_mode=HTML, separators our parsers split on.
NASTY = ["\u202e", "\u2066", "\u200b", "\ufeff", "\x00", "\x07", "\r", "\n", "\t", "<b>",
         "</i>", "&amp;", "<a href='x'>", "|", ":", ";", ",", "@", "#", "²", "³", "١",
         "🇺🇦", "👩‍👩‍👧", "Подол", "ЁЖЩ", "İ", "ß", "\u0301", "%s", "{0}", "'; drop table x;--"]

# Numbers where parsers overflow or mis-read: 2^63 and beyond, negatives, digits that are
# not ASCII digits but pass str.isdigit().
NUMBERS = ["0", "-1", "1", "2", "3", "7", "12", "30", "365", "9223372036854775807",
           "9223372036854775808", "18446744073709551616", "99999999999999999999",
           "-9223372036854775809", "1e9", "0x10", "²", "³", "١٢", "1.5", "NaN", "inf"]

DATES = ["2026-11-01", "2026-11-30", "9999-12-31", "0001-01-01", "2026-02-30", "2026-13-01",
         "1970-01-01", "2026-11-01T10:00", "11/01/2026"]

WORDS = ["Anna", "Olga", "Oleh", "Boss", "Dina", "Podil", "Obolon", "Lviv", "Kyiv", "Подол",
         "Europe", "Europe/Kyiv", "UTC", "Etc/GMT+14", "America/Argentina/ComodRivadavia",
         "../../etc/passwd", "contacts", "audit", "new", "list", "revoke", "realtime",
         "digest", "on", "off", "auto", "tries", "fairness_days", "gender", "required",
         "preferred", "fallback", "same_area", "speaks", "en,ru", "-", "09:00,13:00",
         "25:61", "webform", "join-abc", "|", "50.465, 30.515", "91, 181"]

text_chars = st.characters(exclude_categories=("Cs",))  # Telegram never delivers surrogates


def hostile_text(max_size: int = 300) -> st.SearchStrategy[str]:
    """Random Unicode, the nasty pieces above glued together, or one very long run."""
    glued = st.lists(st.sampled_from(NASTY + NUMBERS + WORDS) | st.text(text_chars, max_size=8),
                     min_size=1, max_size=12).map("".join)
    return st.one_of(
        st.text(text_chars, min_size=1, max_size=max_size),
        glued,
        st.builds(lambda c, n: c * n, st.sampled_from(["a", "я", "😀", " ", "|", "\u202e"]),
                  st.integers(1, 4096)),
    ).map(lambda s: s[:4096]).filter(lambda s: s.strip() != "")


@cache
def known_commands() -> tuple[str, ...]:
    """Every command a router registers a `Command` filter for (plus /start)."""
    found = {"start"}
    stack = list(get_routers())
    while stack:
        router = stack.pop()
        stack.extend(router.sub_routers)
        for handler in router.message.handlers:
            for f in handler.filters or []:
                if isinstance(f.callback, Command):
                    found.update(c if isinstance(c, str) else c.command
                                 for c in f.callback.commands)
    return tuple(sorted(found))


def command_args() -> st.SearchStrategy[str]:
    """Arguments built from meaningful tokens (so handlers get past their first check),
    or plain hostile text."""
    token = st.sampled_from(NUMBERS + DATES + WORDS + NASTY) | st.text(text_chars, max_size=12)
    tokens = st.lists(token, min_size=2, max_size=5).map(" ".join)
    return st.one_of(st.just(""), token, token, tokens, tokens, hostile_text(400))


def command_text() -> st.SearchStrategy[str]:
    """/command[@bot] args, for every command the bot knows."""
    mention = st.sampled_from(["", "", "", "@" + BOT_USERNAME, "@other_bot"])
    return st.builds(lambda c, m, a: f"/{c}{m} {a}".strip()[:4096],
                     st.sampled_from(known_commands()), mention, command_args())


def message_text() -> st.SearchStrategy[str]:
    return st.one_of(command_text(), command_text(), command_text(), hostile_text())


# ---------------------------------------------------------------------- callback data

ID_VALUES = st.one_of(
    st.integers(1, 6),  # ids that exist in the fuzz world
    st.sampled_from([0, -1, -(2**63), 2**63 - 1, 2**63, 2**64, 10**20]),
    st.integers(),
).map(str)


def _field_value(annotation: type) -> st.SearchStrategy[str]:
    junk = st.text(text_chars, max_size=10).map(lambda s: s.replace(":", ""))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        good = st.sampled_from([m.value for m in annotation])
    elif annotation is int:
        good = ID_VALUES
    elif annotation is bool:
        good = st.sampled_from(["1", "0", "true", "yes", "2"])
    else:
        good = st.sampled_from(["hold", "resume", "why", "other", "close", "back", "role",
                                "activate", "deactivate", "open", "gender", "lang", "cap",
                                "travel", "avail", "areas", "merge", "dismiss", "newest",
                                "keep", "reassign", "remind", "more_time", "f", "m", "ru",
                                "+1", "-1", "+5", "admin", "multiplier", ""])
    return st.one_of(good, good, good, junk, ID_VALUES)


def _payload(cls: type[callbacks.CallbackData]) -> st.SearchStrategy[str]:
    """The class's prefix and a value per field; sometimes a field too many or too few."""
    fields = [_field_value(f.annotation) for f in cls.model_fields.values()]
    values = st.tuples(*fields).map(list)
    values = st.one_of(values, values, values.map(lambda v: v[:-1]), values.map(lambda v: v + ["1"]))
    return values.map(lambda v: ":".join([cls.__prefix__, *v]))


def _fit_64_bytes(data: str) -> str:
    """Telegram keeps callback_data to 64 bytes."""
    return data.encode("utf-8")[:64].decode("utf-8", "ignore")


def callback_data() -> st.SearchStrategy[str]:
    return st.one_of(
        *[_payload(cls) for cls in callbacks.ALL],
        st.text(text_chars, max_size=64),
    ).map(_fit_64_bytes)


# ---------------------------------------------------------------------- CSV files

#: What the README promises to read as written (UTF-16 as Python writes it: with a BOM).
ENCODINGS = ["utf-8", "utf-8-sig", "cp1251", "utf-16"]
#: Not told apart from cp1251 by their bytes: a file in them is refused with an encoding
#: reason or, where its cells happen to decode, read; never lost silently.
OTHER_ENCODINGS = ["koi8-r", "latin-1"]
CELL = st.one_of(
    st.sampled_from(["Maria Ivanova", "Марія Іваненко", "Ольга", "José Ñúñez", "+380 44 123 4567",
                     "+380441234567", "0441234567", "12", "@maria_p", "t.me/anna", "a@b.co",
                     "x@", "f", "m", "ru", "uk", "Podil", "Подол", "", " ", "=cmd()", "\"",
                     "a,b;c\td", "line\nbreak", "\u202eevil", "\x00"]),
    st.text(text_chars, max_size=30),
)


def header_row() -> st.SearchStrategy[list[str]]:
    """A header with a name column and a way to reach, in any language's alias (or junk)."""
    alias = {f: st.sampled_from(names) for f, names in ALIASES.items()}
    known = st.lists(st.sampled_from(sorted(ALIASES)), unique=True, max_size=6)
    core = st.tuples(alias["name"], alias["phone"] | alias["email"] | alias["tg_username"])
    more = known.flatmap(lambda fs: st.tuples(*[alias[f] for f in fs]))
    odd = st.lists(st.text(text_chars, max_size=10), max_size=2)
    return st.builds(lambda c, m, o: [*c, *m, *o], core, more, odd)


def csv_bytes(encodings: list[str] = ENCODINGS + OTHER_ENCODINGS
              ) -> st.SearchStrategy[tuple[bytes, list[str], list[list[str]], str]]:
    """(file bytes, header, data rows, encoding) written by Python's csv module with a
    random delimiter and quoting; files whose text the encoding cannot hold are skipped."""

    def write(header: list[str], rows: list[list[str]], delimiter: str, quoting: int,
              encoding: str) -> tuple[bytes, list[str], list[list[str]], str] | None:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting)
        writer.writerows([header, *rows])
        try:
            return buffer.getvalue().encode(encoding), header, rows, encoding
        except UnicodeEncodeError:
            return None

    return st.builds(
        write, header_row(), st.lists(st.lists(CELL, max_size=8), max_size=25),
        st.sampled_from([",", ";", "\t"]),
        st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
        st.sampled_from(encodings),
    ).filter(lambda x: x is not None)  # type: ignore[return-value]


# ---------------------------------------------------------------------- HTTP bodies

def json_values(max_leaves: int = 10) -> st.SearchStrategy[object]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                        st.text(max_size=50), st.sampled_from(NASTY))  # text may hold lone surrogates
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                        max_leaves=max_leaves)


def api_field_value() -> st.SearchStrategy[object]:
    text = st.one_of(st.sampled_from(["Maria Ivanova", "+380 44 123 4567", "a@b.co", "@maria_p",
                                      "f", "m", "ru", "Podil", "campaign"]),
                     st.text(max_size=60), hostile_text(120),
                     st.builds(lambda a, b: a + b, st.sampled_from(NASTY), st.text(max_size=20)))
    return st.one_of(text, text, text, json_values(3))


def api_body() -> st.SearchStrategy[bytes]:
    """Mostly JSON objects with the API's fields (random values), else odd JSON, deep
    nesting, or random bytes; the JSON text in several encodings."""
    from domain.contact_fields import FIELDS
    names = st.sampled_from(sorted(FIELDS)) | st.text(max_size=10)
    obj = st.dictionaries(names, api_field_value(), max_size=10)
    doc = st.one_of(obj, obj, obj, json_values())
    as_text = st.builds(lambda d, ascii_: json.dumps(d, ensure_ascii=ascii_), doc, st.booleans())
    nested = st.builds(lambda n, pair: pair[0] * n + "0" + pair[1] * n, st.integers(1, 5000),
                       st.sampled_from([("[", "]"), ('{"a":', "}")]))
    encoded = st.builds(_encode, st.one_of(as_text, as_text, nested),
                        st.sampled_from(["utf-8", "utf-8", "utf-16", "cp1251", "koi8-r",
                                         "latin-1", "utf-8-sig", "utf-32"]))
    return st.one_of(encoded, encoded, encoded, st.binary(max_size=300),
                     st.just(b""), st.integers(1, 20_000).map(lambda n: b"{" + b" " * n + b"}"))


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")

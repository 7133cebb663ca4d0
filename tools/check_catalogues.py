"""Checks the message catalogues before they ship: `python tools/check_catalogues.py`.

Exit status 1 with one line per problem, 0 when all is well. `.ci/run` runs it, and
tests/unit/test_catalogues.py calls the same functions (on the real catalogues and on small
made-up ones). What it holds:

1. `bot/locales/messages.pot` has exactly the msgids (and plural ids) the code has today;
2. every shipped catalogue (`bot/locales/<lang>/LC_MESSAGES/messages.po`) translates every
   msgid, all plural forms, nothing fuzzy or obsolete, with the same placeholders and HTML
   tags as the English, compiles, and its committed `messages.mo` is what compiling gives now;
   the words are really translated (at most 2 % left as in English; Cyrillic for ru and uk,
   Ukrainian letters for uk);
3. every msgid naming one of the team's words (`bot/locales/glossary.toml`) uses that word.
"""

import gettext
import io
import re
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "bot" / "locales"
#: What the README's `pybabel extract` reads, in its order.
SOURCES = ("bot", "handlers", "views", "scheduler", "api", "services", "domain")
DOMAIN = "messages"
#: The plural keywords babel.cfg must name (aiogram.utils.i18n's ngettext, lazy_ngettext).
PLURAL_KEYWORDS = ("ngettext", "lazy_ngettext")

#: Share of translated entries that may read exactly as the English (names, "No" in Italian).
MAX_UNCHANGED = 0.02
#: Texts that may stay as they are in any language (also exempt from the script checks).
MAY_STAY = frozenset({"OK", "Telegram", "E-mail", "F", "M"})
CYRILLIC_LANGUAGES = frozenset({"ru", "uk"})
UKRAINIAN_LETTERS = frozenset("іїєІЇЄ")
RUSSIAN_ONLY_LETTERS = frozenset("ыэёъЫЭЁЪ")
#: A .po without a POT-Creation-Date would make Babel stamp the .mo with the build time.
FIXED_CREATION_DATE = datetime(2000, 1, 1, tzinfo=UTC)

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")
#: What is not words to translate: placeholders, tags, entities, URLs, commands, @handles.
NOT_WORDS = re.compile(r"\{[^{}]*\}|<[^<>]*>|&#?\w+;|https?://\S+|t\.me/\S+|/\w+|@\w+")


# --- small readers ------------------------------------------------------------------------


def short(text: str | tuple[str, ...], limit: int = 70) -> str:
    """A msgid as a problem line names it: one line, cut, so a list of problems stays readable."""
    first = text[0] if isinstance(text, tuple) else text
    flat = first.replace("\n", "\\n")
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")


def forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    """A msgid or msgstr as a list of its forms (one for a singular entry)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a str.format text (escaped `{{` `}}` are not fields)."""
    plain = text.replace("{{", "").replace("}}", "")
    return {re.split(r"[!:]", field, maxsplit=1)[0] for field in PLACEHOLDER.findall(plain)}


def tags(text: str) -> Counter[str]:
    """The HTML tags of a text, as a multiset: a lost `</b>` breaks Telegram's parse mode."""
    return Counter(" ".join(tag.split()) for tag in TAG.findall(text))


def words(text: str) -> str:
    """The letters a translator has to translate: no placeholders, tags, commands or URLs."""
    return "".join(ch for ch in NOT_WORDS.sub(" ", text) if ch.isalpha())


def language(lang: str) -> str:
    """`pt_BR` -> `pt`: the script and glossary rules are per language, not per country."""
    return re.split(r"[_@-]", lang, maxsplit=1)[0]


def key(message: Message) -> tuple[str | None, str | tuple[str, ...]]:
    """An entry's identity: context and msgid, with the plural id (a changed plural is new)."""
    return message.context, message.id


def entries(catalog: Catalog) -> dict[tuple[str | None, str | tuple[str, ...]], Message]:
    """The entries of a catalogue without its header, by identity."""
    return {key(m): m for m in catalog if m.id}


# --- 1. extraction ------------------------------------------------------------------------


def extract(root: Path = ROOT) -> Catalog:
    """What `pybabel extract -F babel.cfg --no-location ... bot handlers views scheduler api
    services domain` writes, read through Babel's API (no subprocess, same mapping file)."""
    with open(root / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(domain=DOMAIN)
    for source in SOURCES:
        found = extract_from_dir(root / source, method_map, options_map, keywords=DEFAULT_KEYWORDS)
        for filename, lineno, message, comments, context in found:
            catalog.add(message, None, auto_comments=comments, context=context)
    return catalog


def read_catalogue(path: Path, lang: str | None = None) -> Catalog:
    """A .po or .pot; `abort_invalid` turns a syntax error into an exception, not a guess."""
    with open(path, "rb") as fp:
        return read_po(fp, locale=lang, domain=DOMAIN, abort_invalid=True)


def extraction_problems(root: Path = ROOT) -> list[str]:
    """The template must list exactly what the code says: a translator works from it, and a
    msgid missing there is a text no catalogue will ever translate."""
    pot = root / "bot" / "locales" / "messages.pot"
    code, template = entries(extract(root)), entries(read_catalogue(pot))
    where = pot.relative_to(root)
    problems = [f"{where}: missing {short(k[1])} (in the code; run pybabel extract)"
                for k in code if k not in template]
    problems += [f"{where}: stale {short(k[1])} (no longer in the code; run pybabel extract)"
                 for k in template if k not in code]
    problems += [f"{where}: {short(m.id)}: {p}" for m in code.values() for p in plural_problems(m)]
    return keyword_problems(root) + problems


def keyword_problems(root: Path = ROOT) -> list[str]:
    """babel.cfg names the plural keywords itself: Babel adds its defaults (ngettext among
    them) today, but `--no-default-keywords` or another extractor would drop every plural."""
    with open(root / "babel.cfg", encoding="utf-8") as cfg:
        _methods, options_map = parse_mapping_cfg(cfg)
    return [f"babel.cfg: [{pattern}] keywords do not name {word}"
            for pattern, options in options_map.items() for word in PLURAL_KEYWORDS
            if word not in options.get("keywords", {})]


def plural_problems(message: Message) -> list[str]:
    """Both English forms carry the same fields and tags, so every translated form can."""
    if not isinstance(message.id, tuple):
        return []
    singular, plural = message.id
    problems = []
    if placeholders(singular) != placeholders(plural):
        problems.append("singular and plural name different placeholders")
    if tags(singular) != tags(plural):
        problems.append("singular and plural have different HTML tags")
    return problems


def has_plurals(catalog: Catalog) -> bool:
    """Whether ngettext calls were extracted at all (a keyword list without ngettext would
    turn every plural into two unrelated singulars, or lose it)."""
    return any(isinstance(m.id, tuple) for m in catalog if m.id)


# --- 2. shipped catalogues ----------------------------------------------------------------


def shipped(locales: Path = LOCALES) -> dict[str, Path]:
    """Every language directory with a catalogue (a .po, or a .mo alone, which is a problem
    the checks report), by its name: new languages are picked up without a list to edit."""
    found = {}
    for lang_dir in sorted(p for p in locales.iterdir() if p.is_dir()):
        po = lang_dir / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.exists() or po.with_suffix(".mo").exists():
            found[lang_dir.name] = po
    return found


def compile_po(po: Path, lang: str) -> bytes:
    """The .mo for a catalogue, the same bytes every time: the committed one is compared
    with it, and Babel stamps a header without POT-Creation-Date with the build time."""
    catalog = read_catalogue(po, lang)
    header = po.read_bytes().split(b"\n\n", 1)[0]
    if b"POT-Creation-Date:" not in header:
        catalog.creation_date = FIXED_CREATION_DATE
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def catalogue_problems(po: Path, template: Catalog, glossary: dict[str, dict]) -> list[str]:
    """Everything one shipped catalogue must satisfy, as problem lines naming the file."""
    lang = po.parent.parent.name
    where = _relative(po)
    if not po.exists():
        return [f"{where}: a compiled messages.mo without its messages.po"]
    try:
        Locale.parse(lang)
        catalog = read_catalogue(po, lang)
    except (UnknownLocaleError, ValueError) as exc:
        return [f"{where}: {lang!r} is not a language Babel knows ({exc})"]
    except PoFileError as exc:
        return [f"{where}: cannot be read: {exc}"]
    problems = entry_problems(catalog, template)
    problems += compile_problems(po, lang, catalog)
    problems += unchanged_problems(catalog, template)
    problems += script_problems(catalog, template, language(lang))
    problems += glossary_catalogue_problems(catalog, template, glossary, language(lang))
    return [f"{where}: {p}" for p in problems]


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def entry_problems(catalog: Catalog, template: Catalog) -> list[str]:
    """Complete, reviewed and clean: a missing or fuzzy entry shows English (or, for a
    plural form, an empty message), an obsolete one is dead weight that hides drift."""
    problems = ["the header is marked fuzzy (pybabel compile skips such a catalogue)"] \
        if catalog.fuzzy else []
    mine, wanted_all = entries(catalog), entries(template)
    for k, wanted in wanted_all.items():
        problems += [f"{short(k[1])}: {p}" for p in one_entry_problems(mine.get(k), wanted, catalog)]
    problems += [f"{short(k[1])}: not in messages.pot (run pybabel update)"
                 for k in mine if k not in wanted_all]
    problems += [f"{short(m.id)}: obsolete entry (#~); drop it (pybabel update --ignore-obsolete)"
                 for m in catalog.obsolete.values()]
    return problems


def one_entry_problems(message: Message | None, wanted: Message, catalog: Catalog) -> list[str]:
    """One msgid of the template against its translation."""
    if message is None:
        same_singular = catalog.get(forms(wanted.id)[0], wanted.context)
        return ["missing" if same_singular is None else
                "its plural form changed in the code (run pybabel update)"]
    if message.fuzzy:
        return ["marked fuzzy"]
    strings = forms(message.string)
    expected = catalog.num_plurals if isinstance(wanted.id, tuple) else 1
    if len(strings) != expected or not all(strings):
        return [f"not translated ({sum(map(bool, strings))} of {expected} forms)"]
    return markup_problems(forms(wanted.id), strings)


def markup_problems(english: list[str], strings: list[str]) -> list[str]:
    """The same `{fields}` (a missing one loses a figure, an unknown one raises KeyError when
    the text is formatted) and the same HTML tags (Telegram refuses unbalanced ones)."""
    fields = set().union(*(placeholders(e) for e in english))
    problems = []
    for number, text in enumerate(strings):
        label = f"form {number}" if len(strings) > 1 else "msgstr"
        if placeholders(text) != fields:
            problems.append(f"{label} has placeholders {sorted(placeholders(text))}, "
                            f"English has {sorted(fields)}")
        if tags(text) != tags(english[0]):
            problems.append(f"{label} has tags {sorted(tags(text).elements())}, "
                            f"English has {sorted(tags(english[0]).elements())}")
    return problems


def compile_problems(po: Path, lang: str, catalog: Catalog) -> list[str]:
    """It must compile and load as gettext reads it, and the committed .mo must be exactly
    that: the bot reads the .mo, so a stale one ships yesterday's words."""
    problems = [f"{short(m.id)}: {err}" for m, errors in catalog.check() for err in errors]
    try:
        compiled = compile_po(po, lang)
        gettext.GNUTranslations(io.BytesIO(compiled))
    except Exception as exc:  # whatever stops the build (a bad Plural-Forms too) is the finding
        return [*problems, f"does not compile: {exc}"]
    mo = po.with_suffix(".mo")
    if not mo.exists():
        problems.append("messages.mo is missing (run python tools/compile_catalogues.py)")
    elif mo.read_bytes() != compiled:
        problems.append("messages.mo is stale (run python tools/compile_catalogues.py)")
    return problems


def translated(catalog: Catalog, template: Catalog) -> list[tuple[list[str], list[str]]]:
    """(English forms, translated forms) of every entry the template has and the catalogue
    translates; the other checks report the rest."""
    mine, pairs = entries(catalog), []
    for k, wanted in entries(template).items():
        message = mine.get(k)
        if message is not None and not message.fuzzy and all(forms(message.string)):
            pairs.append((forms(wanted.id), forms(message.string)))
    return pairs


def may_stay(english: list[str]) -> bool:
    """Allowed to read as in English: listed in MAY_STAY, or nothing but placeholders,
    commands, tags, emoji and punctuation (nothing to translate)."""
    return english[0] in MAY_STAY or not words(" ".join(english))


def unchanged_problems(catalog: Catalog, template: Catalog) -> list[str]:
    """A msgstr copied from the msgid looks translated to every other check."""
    pairs = [(e, s) for e, s in translated(catalog, template) if not may_stay(e)]
    same = [e for e, s in pairs if set(s) <= set(e)]
    if not pairs or len(same) <= MAX_UNCHANGED * len(pairs):
        return []
    listed = ", ".join(short(e[0], 40) for e in same[:10])
    return [f"{len(same)} of {len(pairs)} translations read exactly as the English "
            f"(at most {MAX_UNCHANGED:.0%} may): {listed}{' …' if len(same) > 10 else ''}"]


def script_problems(catalog: Catalog, template: Catalog, lang: str) -> list[str]:
    """Russian and Ukrainian are written in Cyrillic, and Ukrainian is not Russian: a
    catalogue pasted from the other language (or left in English) is caught here."""
    if lang not in CYRILLIC_LANGUAGES:
        return []
    problems, letters = [], ""
    for english, strings in translated(catalog, template):
        for text in strings:
            letters += words(text)
            if words(text) and not any(is_cyrillic(ch) for ch in words(text)) \
                    and not (english[0] in MAY_STAY and text in english):
                problems.append(f"{short(english[0])}: no Cyrillic letters in {short(text, 40)}")
            if lang == "uk" and RUSSIAN_ONLY_LETTERS & set(text):
                found = "".join(sorted(RUSSIAN_ONLY_LETTERS & set(text)))
                problems.append(f"{short(english[0])}: Russian letters {found} in Ukrainian")
    if lang == "uk" and letters and not UKRAINIAN_LETTERS & set(letters):
        problems.append("no і, ї or є anywhere: is this Ukrainian?")
    return problems


def is_cyrillic(ch: str) -> bool:
    """The Cyrillic block: Russian and Ukrainian letters (і, ї, є, ґ included)."""
    return "\u0400" <= ch <= "\u04ff"


# --- 3. glossary --------------------------------------------------------------------------


def load_glossary(path: Path = LOCALES / "glossary.toml") -> dict[str, dict]:
    """The team's words per language: {term: {"en": regex, "<lang>": {"stem": ...}, "except": [...]}}."""
    with open(path, "rb") as fp:
        return tomllib.load(fp)


def glossary_problems(glossary: dict[str, dict], template: Catalog,
                      languages: Iterable[str]) -> list[str]:
    """The glossary itself: a pattern that compiles, a stem per shipped language, and
    `except` prefixes that still name a msgid the term matches (else the list only grows)."""
    problems = []
    for name, term in glossary.items():
        try:
            pattern = re.compile(term["en"], re.IGNORECASE)
        except (KeyError, TypeError, re.error) as exc:
            problems.append(f"glossary.toml: [{name}] needs an `en` regular expression ({exc})")
            continue
        problems += [f"glossary.toml: [{name}] has no `stem` for {lang!r}"
                     for lang in languages if not stem_of(term, lang)]
        prefixes = term.get("except", [])
        if not isinstance(prefixes, list) or not all(isinstance(p, str) for p in prefixes):
            problems.append(f"glossary.toml: [{name}] `except` must be a list of msgid prefixes")
            continue
        matching = [m for m in entries(template).values() if names_term(m, pattern)]
        problems += [f"glossary.toml: [{name}] except {p!r} starts no msgid the term matches"
                     for p in prefixes if not any(forms(m.id)[0].startswith(p) for m in matching)]
    return problems


def excepted(term: dict) -> tuple[str, ...]:
    """The msgid prefixes where the English word is not the term ("Please contact" is the
    verb); a malformed list counts as none (glossary_problems names it)."""
    prefixes = term.get("except", [])
    return tuple(p for p in prefixes if isinstance(p, str)) if isinstance(prefixes, list) else ()


def stem_of(term: dict, lang: str) -> str:
    """The stem a translation must contain; "" when the glossary has none for `lang`."""
    entry = term.get(lang)
    return str(entry.get("stem", "")) if isinstance(entry, dict) else ""


def names_term(message: Message, pattern: re.Pattern[str]) -> bool:
    """Whether either English form of an entry uses the term."""
    return any(says(pattern, text) for text in forms(message.id))


def says(pattern: re.Pattern[str], english: str) -> bool:
    """Whether the reader sees the term: "📍 {area}?" names a field, not the word."""
    return bool(pattern.search(PLACEHOLDER.sub(" ", english)))


def glossary_catalogue_problems(catalog: Catalog, template: Catalog, glossary: dict[str, dict],
                                lang: str) -> list[str]:
    """Each English text naming a term has the language's stem in every translated form,
    so "multiplier" is one word for the reader everywhere, not three synonyms."""
    problems = []
    for name, term in glossary.items():
        stem = stem_of(term, lang)
        try:
            pattern = re.compile(term["en"], re.IGNORECASE)
        except (KeyError, TypeError, re.error):
            continue  # glossary_problems names it
        prefixes = excepted(term)
        for english, strings in translated(catalog, template):
            if not stem or not any(says(pattern, e) for e in english) \
                    or english[0].startswith(prefixes):
                continue
            problems += [f"{short(english[0])}: [{name}] {stem!r} missing in {short(text, 50)}"
                         for text in strings if stem.casefold() not in text.casefold()]
    return problems


# --- all together -------------------------------------------------------------------------


def all_problems(root: Path = ROOT) -> list[str]:
    """Every check, on the repository at `root`."""
    locales = root / "bot" / "locales"
    problems = extraction_problems(root)
    template = read_catalogue(locales / "messages.pot")
    glossary = load_glossary(locales / "glossary.toml")
    catalogues = shipped(locales)
    problems += glossary_problems(glossary, template, sorted({language(c) for c in catalogues}))
    for po in catalogues.values():
        problems += catalogue_problems(po, template, glossary)
    return problems


def main() -> int:
    problems = all_problems()
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} problem(s) in the message catalogues.", file=sys.stderr)
        return 1
    langs = ", ".join(shipped()) or "none shipped yet"
    print(f"Message catalogues OK (template up to date; catalogues: {langs}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

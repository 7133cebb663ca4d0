"""The message catalogues: the checks of tools/check_catalogues.py on the real repository, and
each rule shown to catch its defect on small made-up catalogues (until translators ship real
ones, those are the only catalogues the rules ever see)."""

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import check_catalogues as check  # noqa: E402 - a script directory, not a package
import compile_catalogues  # noqa: E402

# --- the repository -----------------------------------------------------------------------


def test_the_template_lists_exactly_what_the_code_says() -> None:
    assert check.extraction_problems() == []


def test_plurals_are_extracted_as_plurals() -> None:
    """babel.cfg names ngettext, and the extraction finds ngettext calls with both forms."""
    assert check.keyword_problems() == []
    template = check.extract()
    assert check.has_plurals(template)
    assert ("{n} message", "{n} messages") in {m.id for m in template}


def test_a_babel_cfg_without_ngettext_is_named(tmp_path: Path) -> None:
    (tmp_path / "babel.cfg").write_text("[python: **.py]\nkeywords = _ gettext\n")
    assert check.keyword_problems(tmp_path) == [
        "babel.cfg: [**.py] keywords do not name ngettext",
        "babel.cfg: [**.py] keywords do not name lazy_ngettext"]


def test_the_glossary_is_well_formed_for_the_languages_being_translated() -> None:
    template = check.read_catalogue(check.LOCALES / "messages.pot")
    assert check.glossary_problems(check.load_glossary(), template, ["ru", "uk", "it"]) == []


def test_every_shipped_catalogue_passes_every_check() -> None:
    """Nothing to check until a translator ships a catalogue; then everything is."""
    template = check.read_catalogue(check.LOCALES / "messages.pot")
    glossary = check.load_glossary()
    problems = [p for po in check.shipped().values()
                for p in check.catalogue_problems(po, template, glossary)]
    assert problems == [], "\n".join(problems)


# --- made-up catalogues -------------------------------------------------------------------

PLURAL = ("{n} contact was mapped to it.", "{n} contacts were mapped to it.")
#: msgid -> translation per language (plural translations: one string per form).
TEXTS: dict[Any, dict[str, Any]] = {
    "Hello, {name}!": {"ru": "Здравствуйте, {name}!", "uk": "Вітаю, {name}!",
                       "it": "Ciao, {name}!"},
    "<b>Report</b> {period}": {"ru": "<b>Отчёт</b> {period}", "uk": "<b>Звіт</b> {period}",
                               "it": "<b>Rapporto</b> {period}"},
    PLURAL: {"ru": ("{n} контакт сопоставлен.", "{n} контакта сопоставлены.",
                    "{n} контактов сопоставлено."),
             "uk": ("{n} контакт зіставлено.", "{n} контакти зіставлено.",
                    "{n} контактів зіставлено."),
             # Babel (CLDR) gives Italian a third form, for whole millions ("di contatti")
             "it": ("{n} contatto associato.", "{n} di contatti associati.",
                    "{n} contatti associati.")},
    "The multiplier is away": {"ru": "Мультипликатор в отъезде", "uk": "Мультиплікатор у від'їзді",
                               "it": "Il moltiplicatore è via"},
    "Please contact an admin": {"ru": "Напишите администратору", "uk": "Напишіть адміністратору",
                                "it": "Scrivi a un amministratore"},
    "OK": {"ru": "OK", "uk": "OK", "it": "OK"},
    "/help": {"ru": "/help", "uk": "/help", "it": "/help"},
}
GLOSSARY = {
    "multiplier": {"en": r"\bmultipliers?\b", "ru": {"stem": "мультипликатор"},
                   "uk": {"stem": "мультиплікатор"}, "it": {"stem": "moltiplicator"}},
    "contact": {"en": r"\bcontacts?\b", "ru": {"stem": "контакт"}, "uk": {"stem": "контакт"},
                "it": {"stem": "contatt"}, "except": ["Please contact"]},
}


def template(texts: dict[Any, dict[str, Any]] = TEXTS) -> Catalog:
    catalog = Catalog(domain="messages")
    for msgid in texts:
        catalog.add(msgid, None, flags=["python-brace-format"])
    return catalog


def ship(locales: Path, lang: str, texts: dict[Any, dict[str, Any]] = TEXTS,
         edit: Callable[[Catalog], object] = lambda catalog: None, mo: bool = True) -> Path:
    """Write a translated catalogue of `lang` (changed by `edit`) and compile it."""
    catalog = Catalog(locale=lang, domain="messages", fuzzy=False)  # a reviewed header
    for msgid, translations in texts.items():
        catalog.add(msgid, translations[lang])
    edit(catalog)
    po = locales / lang / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    with open(po, "wb") as fp:
        write_po(fp, catalog)
    if mo:
        po.with_suffix(".mo").write_bytes(check.compile_po(po, lang))
    return po


def problems_of(po: Path, texts: dict[Any, dict[str, Any]] = TEXTS) -> list[str]:
    return check.catalogue_problems(po, template(texts), GLOSSARY)


@pytest.mark.parametrize("lang", ["ru", "uk", "it"])
def test_a_good_catalogue_passes(tmp_path: Path, lang: str) -> None:
    po = ship(tmp_path, lang)
    assert problems_of(po) == []
    assert list(check.shipped(tmp_path)) == [lang]


def _set(msgid: Any, value: Any) -> Callable[[Catalog], None]:
    def edit(catalog: Catalog) -> None:
        catalog[msgid if isinstance(msgid, str) else msgid[0]].string = value
    return edit


def _flag_fuzzy(catalog: Catalog) -> None:
    catalog["Hello, {name}!"].flags.add("fuzzy")


def _fuzzy_header(catalog: Catalog) -> None:
    catalog.fuzzy = True


def _obsolete(catalog: Catalog) -> None:
    catalog.add("Gone", "Ушло")
    catalog.obsolete["Gone"] = catalog["Gone"]
    del catalog["Gone"]


def _extra(catalog: Catalog) -> None:
    catalog.add("Not in the code", "Нет в коде")


def _drop(catalog: Catalog) -> None:
    del catalog["Hello, {name}!"]


def _singular_plural(catalog: Catalog) -> None:
    """The code moved to ngettext, the catalogue still has the old singular."""
    del catalog[PLURAL[0]]
    catalog.add(PLURAL[0], "{n} контакт сопоставлен.")


@pytest.mark.parametrize(("edit", "expected"), [
    (_drop, "'Hello, {name}!': missing"),
    (_set("Hello, {name}!", ""), "not translated (0 of 1 forms)"),
    (_set(PLURAL, ("{n} контакт.", "", "{n} контактов.")), "not translated (2 of 3 forms)"),
    (_flag_fuzzy, "marked fuzzy"),
    (_fuzzy_header, "header is marked fuzzy"),
    (_obsolete, "'Gone': obsolete entry"),
    (_extra, "'Not in the code': not in messages.pot"),
    (_singular_plural, "plural form changed in the code"),
    (_set("Hello, {name}!", "Здравствуйте, {nmae}!"), "placeholders ['nmae'], English has ['name']"),
    (_set("Hello, {name}!", "Здравствуйте!"), "placeholders [], English has ['name']"),
    (_set(PLURAL, ("Один контакт.", "{n} контакта.", "{n} контактов.")),
     "form 0 has placeholders []"),
    (_set("<b>Report</b> {period}", "<b>Отчёт {period}"), "tags ['<b>']"),
    (_set("<b>Report</b> {period}", "<i>Отчёт</i> {period}"), "has tags ['</i>', '<i>']"),
    (_set("Hello, {name}!", "Hello there, {name}!"), "no Cyrillic letters"),
    (_set("The multiplier is away", "Агент в отъезде"), "'мультипликатор' missing"),
])
def test_each_defect_is_named(tmp_path: Path, edit: Callable[[Catalog], object],
                              expected: str) -> None:
    problems = problems_of(ship(tmp_path, "ru", edit=edit))
    assert any(expected in p for p in problems), problems
    assert all(p.startswith(str(tmp_path)) for p in problems)  # each names its file


def test_the_glossary_except_list_exempts_a_msgid(tmp_path: Path) -> None:
    """'Please contact' is the verb: no 'контакт' needed, while the noun still needs it."""
    assert problems_of(ship(tmp_path, "ru")) == []
    glossary = {"contact": {**GLOSSARY["contact"], "except": []}}
    problems = check.catalogue_problems(ship(tmp_path, "ru"), template(), glossary)
    assert [p for p in problems if "контакт" in p and "Please contact" in p]


def test_a_placeholder_is_not_the_word() -> None:
    """"📍 {area}?" shows an area's name, not the word "area": nothing to translate there."""
    area = re.compile(r"\bareas?\b", re.IGNORECASE)
    assert not check.says(area, "📍 {area}?") and check.says(area, "Saved: {area}. New area.")


def test_a_stale_except_prefix_is_named() -> None:
    glossary = {"contact": {**GLOSSARY["contact"], "except": ["Please contact", "Contact us"]}}
    assert check.glossary_problems(glossary, template(), ["ru"]) == [
        "glossary.toml: [contact] except 'Contact us' starts no msgid the term matches"]


def test_a_language_without_its_words_in_the_glossary_is_named() -> None:
    assert check.glossary_problems(GLOSSARY, template(), ["de"]) == [
        "glossary.toml: [multiplier] has no `stem` for 'de'",
        "glossary.toml: [contact] has no `stem` for 'de'"]


def test_a_stale_or_missing_mo_is_named(tmp_path: Path) -> None:
    po = ship(tmp_path, "it")
    ship(tmp_path, "it", edit=_set("Hello, {name}!", "Salve, {name}!"), mo=False)
    assert any("messages.mo is stale" in p for p in problems_of(po))
    po.with_suffix(".mo").unlink()
    assert any("messages.mo is missing" in p for p in problems_of(po))
    assert compile_catalogues.compile_all(tmp_path) == [po.with_suffix(".mo")]
    assert compile_catalogues.compile_all(tmp_path) == []  # nothing changes the second time
    assert problems_of(po) == []


def test_a_mo_without_its_po_is_named(tmp_path: Path) -> None:
    po = ship(tmp_path, "it")
    po.unlink()
    assert check.shipped(tmp_path) == {"it": po}
    assert problems_of(po) == [f"{po}: a compiled messages.mo without its messages.po"]


def test_an_unknown_language_directory_is_named(tmp_path: Path) -> None:
    po = ship(tmp_path, "it")
    odd = tmp_path / "xx" / "LC_MESSAGES" / "messages.po"
    odd.parent.mkdir(parents=True)
    odd.write_bytes(po.read_bytes())
    assert any("not a language Babel knows" in p for p in problems_of(odd))


def test_compiling_is_deterministic_even_without_a_creation_date(tmp_path: Path) -> None:
    po = ship(tmp_path, "ru")
    text = po.read_text(encoding="utf-8")
    po.write_text("\n".join(line for line in text.splitlines()
                            if not line.startswith('"POT-Creation-Date')), encoding="utf-8")
    first = check.compile_po(po, "ru")
    assert b"POT-Creation-Date: 2000-01-01" in first
    assert check.compile_po(po, "ru") == first


# --- the language rules -------------------------------------------------------------------


def test_ukrainian_has_its_own_letters_and_none_of_russian(tmp_path: Path) -> None:
    russian_in_uk = ship(tmp_path / "a", "uk", edit=_set("Hello, {name}!", "Здравствуйте, {name}! Вы"))
    assert any("Russian letters ы in Ukrainian" in p for p in problems_of(russian_in_uk))
    no_ukrainian = {k: {"uk": v["ru"]} for k, v in TEXTS.items()}
    no_ukrainian["Hello, {name}!"] = {"uk": "Здравствуйте, {name}!"}
    problems = problems_of(ship(tmp_path / "b", "uk", texts=no_ukrainian), no_ukrainian)
    assert any("no і, ї or є anywhere" in p for p in problems)


def _texts(n: int, same: int) -> dict[Any, dict[str, Any]]:
    """n entries, `same` of them left as in English."""
    return {f"Text number {i} to read": {"it": f"Text number {i} to read" if i < same
                                         else f"Testo numero {i} da leggere"} for i in range(n)}


@pytest.mark.parametrize(("same", "fails"), [(2, False), (3, True)])
def test_at_most_two_percent_may_read_as_english(tmp_path: Path, same: int, fails: bool) -> None:
    texts = _texts(100, same)
    problems = problems_of(ship(tmp_path, "it", texts=texts), texts)
    assert any("read exactly as the English" in p for p in problems) is fails


@pytest.mark.parametrize(("english", "stays"), [
    (["OK"], True), (["/help"], True), (["🔁"], True), (["{name}"], True),
    (["{areas}, {km}"], True), (["<b>{title}</b> ({n})"], True),
    (["Hello"], False), (["{n} km"], False),
])
def test_what_may_read_as_english(english: list[str], stays: bool) -> None:
    assert check.may_stay(english) is stays


def test_the_script_exits_1_with_the_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(check, "all_problems", lambda: ["one.po: 'Hello': missing"])
    assert check.main() == 1
    assert "one.po: 'Hello': missing" in capsys.readouterr().out
    monkeypatch.setattr(check, "all_problems", lambda: [])
    assert check.main() == 0

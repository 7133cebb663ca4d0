"""Cyrillic to Latin, so that what one person types in Russian or Ukrainian finds what another
typed in Latin letters ("Подол" ~ "Podol", "Мария" ~ "Mariya")."""

import re
import unicodedata

_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ye",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya", "'": "", "’": "", "ʼ": "",
}
_TABLE = str.maketrans(_LETTERS)
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def to_latin(text: str) -> str:
    """Lower-case Latin letters: Cyrillic by the table above, other accents stripped."""
    latin = text.casefold().translate(_TABLE)
    decomposed = unicodedata.normalize("NFKD", latin)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """The comparable form: Latin, lower case, words separated by single spaces."""
    return " ".join(_NOT_WORD.sub(" ", to_latin(text)).split())

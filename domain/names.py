"""Which part of a seeker's name the team calls them by.

Before Yes only the given name may be shown ("Can you reach Мария…?"), yet people write names
in both orders: a ФИО column and many Russian and Ukrainian speakers put the surname first.
Where the source says which part is which (CSV columns, Telegram's first and last name, the
API) both parts are stored; otherwise the typed name is read here.
"""

#: Endings of East Slavic patronymics, Cyrillic and transliterated: -ович/-евич/-ич,
#: -овна/-евна/-ична, Ukrainian -івна/-ївна/-ічна, Latin -ovich/-ovych/-ovna/-ivna/-ichna.
PATRONYMIC_ENDINGS = ("ич", "овна", "евна", "ична", "івна", "ївна", "ічна",
                      "ich", "ych", "ovna", "evna", "ivna", "ichna", "ychna")
#: Shorter words ending so ("Бич", "Rich") are not taken for patronymics.
MIN_PATRONYMIC = 5


def is_patronymic(word: str) -> bool:
    word = word.lower()
    return len(word) >= MIN_PATRONYMIC and word.endswith(PATRONYMIC_ENDINGS)


def given_of_typed(name: str) -> str:
    """The first word, as people usually type "Given Surname"; but the second word when the
    name is clearly "Surname Given Patronymic" (three words, the last a patronymic)."""
    words = name.split()
    if len(words) == 3 and is_patronymic(words[2]) and not is_patronymic(words[1]):
        return words[1]
    return words[0] if words else name


def read_surname_first(name: str) -> tuple[str | None, str | None]:
    """(given, family) of a name from a ФИО column, "Surname Given [Patronymic]" by convention;
    a "Given Patronymic Surname" that says so by its patronymic is read that way. One word
    says nothing about which part it is: (None, None)."""
    words = name.split()
    if len(words) < 2:
        return None, None
    if len(words) == 3 and is_patronymic(words[1]) and not is_patronymic(words[2]):
        return words[0], words[2]
    return words[1], words[0]


def call_name(name: str, given_name: str | None) -> str:
    """What the team card, offers, digests and pings show: the stored given name, else the
    typed name's reading (records from before the parts were stored have none)."""
    return given_name or given_of_typed(name)


def joined(given_name: str | None, family_name: str | None) -> str:
    """A full name made of its parts, for sources that send only the parts."""
    return " ".join(part for part in (given_name, family_name) if part)

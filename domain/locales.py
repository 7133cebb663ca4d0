"""Which language a person reads: the decided order for members and for seekers.

A message is rendered for its reader, whoever caused it. An empty result means the team's
language (the team chat's `/language`, else the deployment's TEAM_LANGUAGE)."""

#: Catalogues shipped with the bot; English is the source.
SHIPPED = ("en", "ru", "uk", "it")
SOURCE = "en"


def shipped(code: str | None) -> str | None:
    """A shipped locale for a Telegram `language_code` or a contact's language ("ru-RU" -> ru),
    else None."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base in SHIPPED else None


def member_locale(chosen: str | None, telegram_language: str | None, team: str) -> str:
    """A member's /language choice, else Telegram's language_code at join, else the team's."""
    return shipped(chosen) or shipped(telegram_language) or team


def seeker_locale(contact_language: str | None, telegram_language: str | None,
                  team: str) -> str:
    """The language the seeker's contact record says they speak, else Telegram's, else the
    team's."""
    return shipped(contact_language) or shipped(telegram_language) or team


def from_accept_language(header: str | None) -> str | None:
    """The shipped locale a browser's Accept-Language prefers most ("uk-UA,uk;q=0.9,en;q=0.8"
    -> uk), None if it names none of them. Equal weights keep the browser's order."""
    best, best_weight = None, 0.0
    for part in (header or "").split(",")[:30]:
        tag, *params = part.split(";")
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        code = shipped(tag)
        if code and 0 < weight <= 1 and weight > best_weight:
            best, best_weight = code, weight
    return best


def language_guess(telegram_language: str | None) -> str:
    """A contact's language guessed from Telegram's language_code ("ru", "pt-BR" -> "pt"):
    the language of their phone, which the operator confirms or fixes."""
    code = (telegram_language or "").split("-")[0].lower()
    return code if code.isalpha() else ""

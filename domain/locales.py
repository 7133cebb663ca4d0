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

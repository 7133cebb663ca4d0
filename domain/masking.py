"""Contact details hidden from a group: a seeker's words are shown to the whole team chat,
but the phone, e-mail, username or link in them is for the operator who takes the request.
Pure; errs towards hiding (a date with seven digits is hidden too), since the claimer reads
the words unmasked anyway."""

import re

_LINK = r"(?:https?://|www\.|t\.me/|telegram\.me/)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_USERNAME = r"(?<![\w@])@\w{3,}"
_PHONE = r"\+?\(?\d[\d\s().\-/]{5,}\d"
_DETAIL = re.compile(f"{_LINK}|{_EMAIL}|{_USERNAME}|(?P<phone>{_PHONE})", re.IGNORECASE)
MIN_PHONE_DIGITS = 7


def mask_contact_details(text: str, placeholder: str) -> str:
    """`text` with each phone, e-mail, @username and link replaced by `placeholder`."""

    def hide(found: re.Match[str]) -> str:
        detail = found.group(0)
        short = sum(c.isdigit() for c in detail) < MIN_PHONE_DIGITS
        return detail if found.lastgroup == "phone" and short else placeholder

    return _DETAIL.sub(hide, text)

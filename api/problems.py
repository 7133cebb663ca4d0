"""What each field problem code (domain.contact_fields.CODES) means, in English: the HTTP API
answers in English, the code beside the words so a client can show its own."""

MESSAGES = {
    "required": "is required",
    "too_long": "is too long",
    "not_text": "must be a string",
    "phone": "is not a valid phone number (include the country code)",
    "email": "is not a valid e-mail address",
    "username": "is not a valid Telegram username (5-32 letters, digits, _)",
    "gender": "must be one of m, f, u",
    "language": "must be a language code such as en, ru, uk",
    "reach": "give at least one of phone, tg_username, email",
    "unknown": "is not a known field",
}


def message(code: str) -> str:
    return MESSAGES.get(code, code)

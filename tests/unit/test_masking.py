"""The team chat's preview of a seeker's words hides their contact details."""

import pytest

from domain.masking import mask_contact_details


@pytest.mark.parametrize("text, masked", [
    ("Call me: +380 44 123 4567!", "Call me: ▒!"),
    ("tel 044-123-45-67 please", "tel ▒ please"),
    ("(044) 123 4567", "▒"),
    ("maria.p+x@example.com.ua, thanks", "▒, thanks"),
    ("I am @maria_alt here", "I am ▒ here"),
    ("see https://t.me/maria_x and www.site.org/a", "see ▒ and ▒"),
    ("t.me/maria_x", "▒"),
    ("example.com/contact", "▒"),
    ("meet at 18:00 on 12.05, flat 27", "meet at 18:00 on 12.05, flat 27"),
    ("I am 25 and have 3 kids", "I am 25 and have 3 kids"),
    ("Hello. World", "Hello. World"),
])
def test_contact_details_are_hidden_and_other_words_kept(text: str, masked: str) -> None:
    assert mask_contact_details(text, "▒") == masked

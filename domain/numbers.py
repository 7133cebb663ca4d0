"""Whole numbers people type and buttons carry, read one way everywhere.

`str.isdigit()` also says yes to "²" and "١٢" (int() then refuses the first and reads the
second), and an id past the database's 64-bit integer makes the driver raise instead of
finding nothing. So: ASCII digits only, and a range both the rule and the database hold.
"""

from domain.errors import InvalidInput

#: The largest id a record can have: ids are INTEGER columns, 32 bits on PostgreSQL (found
#: by running the forged-button test there: a larger id made the query itself fail).
DB_INT_MAX = 2**31 - 1


def parse_int(text: str, low: int, high: int, code: str = "number") -> int:
    """`text` as a whole number in [low, high] (0 <= low), else InvalidInput(code)."""
    digits = text.strip()
    if not (digits.isascii() and digits.isdecimal()) or len(digits.lstrip("0")) > len(str(high)):
        raise InvalidInput(code)
    value = int(digits)
    if not low <= value <= high:
        raise InvalidInput(code)
    return value


def parse_id(text: str) -> int:
    """A record's number as typed (`/map 12 Podil`): positive, and one the database can hold."""
    return parse_int(text, 1, DB_INT_MAX, "id")

"""Team roles. One person may hold several (a small team may be one person)."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    DISPATCHER = "dispatcher"
    OPERATOR = "operator"
    MULTIPLIER = "multiplier"


#: Who may enter new contacts.
INTAKE_ROLES = frozenset({Role.ADMIN, Role.DISPATCHER, Role.OPERATOR})
#: Who may act on contact cards in the team chat.
DISPATCH_ROLES = frozenset({Role.ADMIN, Role.DISPATCHER})

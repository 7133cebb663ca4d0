"""Which rows of an imported table become contacts, and why the others do not.

Every row is judged on its own (a bad row never stops the good ones) and a row that repeats
a phone, username or e-mail of an earlier row of the same file is refused as a duplicate;
duplicates of contacts already in the database are the intake service's business.
"""

from dataclasses import dataclass

from domain.contact_fields import FieldError, check_contact, with_source
from domain.contacts import ContactDetails
from domain.csv_table import Table


@dataclass(frozen=True)
class Accepted:
    line: int
    details: ContactDetails


@dataclass(frozen=True)
class Refused:
    line: int
    cells: tuple[str, ...]
    errors: tuple[FieldError, ...]
    duplicate_of: int | None = None  # the earlier line with the same phone / username / e-mail


@dataclass(frozen=True)
class ImportPlan:
    accepted: tuple[Accepted, ...]
    refused: tuple[Refused, ...]


def plan_import(table: Table, region: str, channel: str) -> ImportPlan:
    accepted: list[Accepted] = []
    refused: list[Refused] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        checked = check_contact(table.record(row), region, strict=False)
        if checked.details is None:
            refused.append(Refused(row.line, row.cells, checked.errors))
            continue
        keys = _reach_keys(checked.details)
        earlier = next((seen[k] for k in keys if k in seen), None)
        if earlier is not None:
            refused.append(Refused(row.line, row.cells, (), duplicate_of=earlier))
            continue
        seen.update({k: row.line for k in keys})
        accepted.append(Accepted(row.line, with_source(checked.details, channel)))
    return ImportPlan(tuple(accepted), tuple(refused))


def _reach_keys(details: ContactDetails) -> list[str]:
    keys = []
    if details.phone:
        keys.append("phone:" + details.phone)
    if details.tg_username:
        keys.append("tg:" + details.tg_username.lower())
    if details.email:
        keys.append("email:" + details.email.lower())
    return keys

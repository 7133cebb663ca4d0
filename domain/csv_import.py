"""Which rows of an imported table become contacts, and why the others do not.

Every row is judged on its own (a bad row never stops the good ones). A row repeating an
earlier row of the same file is not dropped here: rows are imported one by one through the
intake use case, so a repeat meets the same rule as a seeker arriving twice (the same person
becomes a touch, a family phone a possible duplicate).
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


@dataclass(frozen=True)
class ImportPlan:
    accepted: tuple[Accepted, ...]
    refused: tuple[Refused, ...]


def plan_import(table: Table, region: str, channel: str) -> ImportPlan:
    accepted: list[Accepted] = []
    refused: list[Refused] = []
    for row in table.rows:
        if row.problem is not None:
            refused.append(Refused(row.line, row.cells, (FieldError("row", row.problem),)))
            continue
        checked = check_contact(table.record(row), region, strict=False)
        if checked.details is None:
            refused.append(Refused(row.line, row.cells, checked.errors))
        else:
            accepted.append(Accepted(row.line, with_source(checked.details, channel)))
    return ImportPlan(tuple(accepted), tuple(refused))

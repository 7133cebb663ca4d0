"""Web lead forms and their hourly submission counts."""

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import AlreadyDone
from domain.reports import Period
from domain.web_forms import Field, FormFigures, WebForm
from storage.models import WebFormCountRow, WebFormRow


def _form(row: WebFormRow) -> WebForm:
    fields = frozenset(Field(f) for f in row.fields.split(",") if f in Field._value2member_map_)
    return WebForm(row.id, row.slug, row.created_by, row.created_at, fields, row.greeting,
                   row.thanks, row.consent, row.question, row.source_tag, row.paused)


def _fields(fields: frozenset[Field]) -> str:
    return ",".join(f.value for f in Field if f in fields)


def _hour(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0)


class WebFormRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, slug: str, created_by: int, now: datetime,
                  fields: frozenset[Field]) -> WebForm:
        """Raises AlreadyDone if another admin took the slug meanwhile (the transaction must
        then be rolled back)."""
        row = WebFormRow(slug=slug, created_by=created_by, created_at=now, fields=_fields(fields),
                         greeting="", thanks="", consent="", question="", source_tag="",
                         paused=False)
        self.session.add(row)
        try:
            await self.session.flush()
        except IntegrityError as error:
            raise AlreadyDone("form_exists") from error
        return _form(row)

    async def get(self, form_id: int) -> WebForm | None:
        row = await self.session.get(WebFormRow, form_id)
        return _form(row) if row else None

    async def by_slug(self, slug: str) -> WebForm | None:
        row = await self.session.scalar(select(WebFormRow).where(WebFormRow.slug == slug))
        return _form(row) if row else None

    async def list_all(self) -> list[WebForm]:
        rows = await self.session.scalars(select(WebFormRow).order_by(WebFormRow.slug))
        return [_form(r) for r in rows]

    async def save(self, form: WebForm) -> None:
        """Everything an admin may change: the fields, the texts, paused."""
        await self.session.execute(
            update(WebFormRow).where(WebFormRow.id == form.id)
            .values(fields=_fields(form.fields), greeting=form.greeting, thanks=form.thanks,
                    consent=form.consent, question=form.question, source_tag=form.source_tag,
                    paused=form.paused)
            .execution_options(synchronize_session=False))

    async def remove(self, form_id: int) -> bool:
        """The form and its counts; False if it was gone already."""
        await self.session.execute(delete(WebFormCountRow).where(WebFormCountRow.form_id == form_id))
        result = await self.session.execute(delete(WebFormRow).where(WebFormRow.id == form_id))
        return result.rowcount == 1

    async def count(self, form_id: int, now: datetime, sent: int = 0, refused: int = 0) -> None:
        """One statement, so concurrent submissions (other replicas too) never lose a count."""
        dialect = postgresql if self.session.bind.dialect.name == "postgresql" else sqlite
        insert = dialect.insert(WebFormCountRow).values(form_id=form_id, hour=_hour(now),
                                                        sent=sent, refused=refused)
        await self.session.execute(insert.on_conflict_do_update(
            index_elements=[WebFormCountRow.form_id, WebFormCountRow.hour],
            set_={"sent": WebFormCountRow.sent + insert.excluded.sent,
                  "refused": WebFormCountRow.refused + insert.excluded.refused}))

    async def totals(self) -> dict[int, tuple[int, int]]:
        """(sent, refused) per form since it was made."""
        rows = await self.session.execute(
            select(WebFormCountRow.form_id, func.sum(WebFormCountRow.sent),
                   func.sum(WebFormCountRow.refused)).group_by(WebFormCountRow.form_id))
        return {form_id: (int(sent), int(refused)) for form_id, sent, refused in rows}

    async def figures(self, period: Period) -> list[FormFigures]:
        """The forms that sent or refused anything in the period, by slug."""
        rows = await self.session.execute(
            select(WebFormRow.slug, func.sum(WebFormCountRow.sent),
                   func.sum(WebFormCountRow.refused))
            .join(WebFormRow, WebFormRow.id == WebFormCountRow.form_id)
            .where(WebFormCountRow.hour >= _hour(period.start), WebFormCountRow.hour < period.end)
            .group_by(WebFormRow.slug).order_by(WebFormRow.slug))
        return [FormFigures(slug, int(sent), int(refused)) for slug, sent, refused in rows]

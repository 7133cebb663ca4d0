"""CSV in and out through Telegram: an admin sends a file with broken rows, good rows become
contacts with cards in the team chat, bad ones come back with their line and reason; exports
are quoted against formula injection; `dispatchbot import` does the same from a shell."""

import csv
import io
import sqlite3

import pytest

from bot.cli import main
from tests.e2e.conftest import ADMIN_ID, Team
from tests.e2e.scenarios import auto_on

LEADS = """Имя;Телефон;Telegram;E-mail;Пол;Город;Комментарий
Maria Ivanova;044 123 4567;;;ж;Podil;wants to talk
;+380441234568;;;m;;no name
Oleh;12;;;m;;bad phone
Maria twin;+380 44 123 4567;;;f;;same phone as line 2
=HYPERLINK("http://evil");;@evil_guy;;;;formula
Ira;;;ira@example.com;f;Obolon;
""".encode("cp1251", errors="replace")


def rows_of(document: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(document.decode("utf-8-sig"))))


@pytest.mark.parametrize("team", [{"import_progress_every": 1}], indirect=True)
async def test_an_admin_imports_a_file_with_broken_rows(team: Team) -> None:
    await team.admin.ask("/start", contains="Hello, Boss")
    await team.bind()
    await team.admin.ask("/notify realtime", contains="Saved")
    await team.admin.send_document(LEADS, "leads.csv", mime_type="text/csv")
    summary = await team.admin.wait_reply(contains="Import of leads.csv")
    assert summary.text.splitlines() == [
        "Import of leads.csv: 4 imported (possible duplicates: 1), 0 already known (added to their contact), 2 rows refused (of 6).",
        "line 3: name: is required",
        "line 4: phone: not a valid number (include the country code)",
    ]
    progress = await team.admin.wait_reply(contains="Importing leads.csv")
    assert progress.edited >= 1 and "of 6 rows" in progress.text
    refused = await team.admin.wait_reply(predicate=lambda m: m.document_bytes is not None)
    assert refused.document["file_name"] == "refused-leads.csv"
    table = rows_of(refused.document_bytes)
    assert table[0][:3] == ["line", "reason", "Имя"]
    assert [(r[0], r[1]) for r in table[1:]] == [
        ("3", "name: is required"),
        ("4", "phone: not a valid number (include the country code)")]

    await team.drain()
    for number, name in (("#1", "Maria"), ("#2", "Possible duplicate of #1"), ("#3", "=HYPERLINK"),
                         ("#4", "Ira")):
        card = await team.fake.wait_for(team.group.id, lambda m, n=number: (m.text or "").startswith(n + " "))
        assert name in card.text and "csv:leads.csv" in card.text
    pings = [m.text for m in team.fake.chat(ADMIN_ID).bot_messages
             if (m.text or "")[:1] in ("📥", "🆕")]
    assert pings == ["📥 4 new contacts imported from leads.csv; /queue lists them."]

    await team.admin.send("/export contacts")
    export = await team.admin.wait_reply(predicate=lambda m: m.document_bytes is not None)
    assert export.caption == "4 rows."
    rows = rows_of(export.document_bytes)
    assert rows[0][:5] == ["id", "created_at", "status", "name", "phone"]
    assert [(r[3], r[4]) for r in rows[1:]] == [
        ("Maria Ivanova", "'+380441234567"),  # a leading + would be read as a formula too
        ("Maria twin", "'+380441234567"), ("'=HYPERLINK(\"http://evil\")", ""), ("Ira", "")]

    await team.admin.send("/export audit 2026-11-01")
    audit = await team.admin.wait_reply(predicate=lambda m: m.document_bytes is not None
                                        and m.document["file_name"].startswith("audit"))
    actions = [r[5] for r in rows_of(audit.document_bytes)[1:]]
    assert actions.count("create") >= 4 and actions[-1] == "contacts"  # the export above
    await team.admin.ask("/export everything", contains="Usage: /export contacts")
    await team.admin.ask("/export audit yesterday", contains="Usage: /export contacts")


@pytest.mark.parametrize("team", [{"import_max_bytes": 1024}], indirect=True)
async def test_files_that_cannot_be_imported_are_refused_with_a_reason(team: Team) -> None:
    await team.admin.ask("/start", contains="Hello, Boss")
    await team.admin.send_document(b"%PDF-1.4", "scan.pdf", mime_type="application/pdf")
    await team.admin.wait_reply(contains="send a .csv file")
    await team.admin.send_document(b"name,phone\n" + b"A,1\n" * 400, "big.csv")
    await team.admin.wait_reply(contains="too large")
    await team.admin.send_document(b"phone,email\n+380441234567,\n", "noname.csv")
    await team.admin.wait_reply(contains="No name column found")
    await team.admin.send_document(b"", "empty.csv")
    await team.admin.wait_reply(contains="The file is empty")

    oper = team.fake.user(301, "Oleh")
    await team.invite(oper, "Operator")
    await oper.send_document(b"name,phone\nMaria,+380441234567\n", "leads.csv")
    answer = await oper.wait_reply()
    assert "Import of" not in (answer.text or "")
    await team.admin.send("/export contacts")
    export = await team.admin.wait_reply(predicate=lambda m: m.document_bytes is not None)
    assert rows_of(export.document_bytes)[1:] == []  # nothing was imported


def test_dispatchbot_import_reports_each_bad_row(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "cli.db"
    monkeypatch.setenv("BOT_TOKEN", "123456:TEST-TOKEN")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    monkeypatch.setenv("ADMIN_IDS", str(ADMIN_ID))
    monkeypatch.setenv("LOG_FORMAT", "text")
    monkeypatch.chdir(tmp_path)  # no .env here
    file = tmp_path / "leads.csv"
    file.write_bytes(LEADS)

    assert main(["import", str(file), "--as", "999"]) == 2
    assert "no active admin" in capsys.readouterr().err
    assert main(["import", str(file), "--as", str(ADMIN_ID)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Import of leads.csv: 4 imported (possible duplicates: 1), 0 already known (added to their contact), 2 rows refused (of 6)."
    assert out[1:] == ["line 3: name: is required",
                       "line 4: phone: not a valid number (include the country code)"]
    with sqlite3.connect(db) as conn:
        stored = conn.execute("select name, phone, source from contacts order by id").fetchall()
    assert stored == [("Maria Ivanova", "+380441234567", "csv:leads.csv"),
                      ("Maria twin", "+380441234567", "csv:leads.csv"),
                      ('=HYPERLINK("http://evil")', None, "csv:leads.csv"),
                      ("Ira", None, "csv:leads.csv")]
    assert main(["import", str(tmp_path / "missing.csv"), "--as", str(ADMIN_ID)]) == 2


async def test_imported_contacts_enter_auto_dispatch_and_their_cards_show_it(team: Team) -> None:
    anna, _olga, _oper = await auto_on(team)
    seq = team.fake.seq
    await team.admin.send_document(
        b"name,phone,gender,language,city\nMaria Ivanova,+380441234567,f,ru,Podil\n", "one.csv")
    await team.admin.wait_reply(contains="Import of one.csv: 1 imported")
    await anna.wait_reply(contains="Can you reach Maria (F, Russian, Podil)", after=seq)
    await team.drain()
    card = await team.fake.wait_for(team.group.id, lambda m: (m.text or "").startswith("#1 "),
                                    after=seq)
    await team.fake.wait_for(team.group.id, lambda m: m.message_id == card.message_id
                             and "Offered to Anna" in (m.text or "")
                             and "auto-dispatch, try 1 of 2" in m.text)

"""/help: the commands each person may use, by their roles."""

from aiogram.utils.i18n import gettext as _

from domain.members import Member
from domain.roles import Role


def help_text(member: Member | None) -> str:
    if member is None:
        return _("This bot serves a dispatch team. Ask an admin for an invite link.")
    lines = [_("Commands:"), _("/team — members and roles"), _("/cancel — stop the current dialog")]
    if member.has(Role.ADMIN):
        lines += [_("/invite — invite link for a role"), _("/bind — (in a group) make it the team chat"),
                  _("/digest_times — when digests go out, e.g. /digest_times 09:00,13:00,17:00"),
                  _("/area, /area_remove, /near, /far — the team's areas and neighbours"),
                  _("/matching — gender rule, fallback languages, weights, auto-dispatch"),
                  _("/target Anna 8 — a multiplier's meetings per 30 days"),
                  _("/apikey — keys for the HTTP intake API (new, list, revoke)"),
                  _("/form — lead forms for the team's web page (new, list)"),
                  _("/export contacts, /export audit — CSV tables (optionally since a date)"),
                  _("Send me a .csv file to import contacts (first row: column names)")]
    if member.has(Role.ADMIN, Role.DISPATCHER, Role.OPERATOR):
        lines.append(_("/new — enter a new contact (or forward me a seeker's message)"))
    if member.has(Role.ADMIN, Role.DISPATCHER):
        lines += [_("/queue — what waits for dispatch"),
                  _("/contacts — contacts by stage, multiplier, area, overdue or source:…, e.g. /contacts reached anna"),
                  _("/duplicates — possible duplicates waiting for a decision"),
                  _("/notify — real-time pings or digests at set times"),
                  _("/supply — waiting seekers vs free multipliers, per area and language"),
                  _("/map 12 Podil — put a contact's place on the map"),
                  _("/report — the last 7 days (or /report 30, or two dates)")]
    if member.has(Role.OPERATOR) and not member.has(Role.ADMIN, Role.DISPATCHER):
        lines.append(_("/notify — what became of the seekers you entered: digests at set "
                       "times, or none (realtime)"))
    if member.has(Role.DISPATCHER) and not member.has(Role.ADMIN):
        lines.append(_("/matching — how contacts are matched (admins change it)"))
    if member.has(Role.MULTIPLIER):
        lines += [_("/my — your contacts by stage"), _("/me — your own figures"),
                  _("/profile — your gender, languages, areas, capacity, travel")]
    lines.append(_("/c 12 — contact #12: its details (where you may see them) and history"))
    lines.append(_("/areas — the areas the team works in"))
    lines.append(_("/timezone — your time zone, e.g. /timezone Europe/Kyiv"))
    lines.append(_("/language — the language I write to you in (admins: in the team chat, "
                   "the team's)"))
    return "\n".join(lines)

"""aiogram routers, one per concern. Thin: parse, call a service, render, reply."""

from aiogram import Router

from handlers import (
    api_keys,
    areas,
    cards,
    common,
    contact_edit,
    contacts,
    csv_export,
    csv_import,
    duplicates,
    errors,
    escalations,
    fallback,
    followup,
    holding,
    intake,
    language,
    matching_settings,
    me,
    milestones,
    notifications,
    offers,
    profile,
    queue,
    relay,
    reports,
    seekers,
    start,
    supply,
    team,
    team_chat,
    triage,
    web_forms,
)
from views.filters import PrivateOrTeamChat


def get_routers() -> list[Router]:
    """Order matters: /bind works in any group; seekers (strangers in private) are taken
    before any team router; everything else only in private chats and the bound team chat;
    fallback answers whatever the others did not take."""
    team_only = Router(name="team_only")
    team_only.message.filter(PrivateOrTeamChat())
    team_only.callback_query.filter(PrivateOrTeamChat())
    team_only.include_routers(
        common.router(),
        start.router(),
        language.router(),
        relay.router(),
        triage.router(),
        team.router(),
        profile.router(),
        intake.router(),
        cards.router(),
        holding.router(),
        duplicates.router(),
        offers.router(),
        followup.router(),
        milestones.router(),
        queue.router(),
        contacts.router(),
        contact_edit.router(),
        escalations.router(),
        notifications.router(),
        areas.router(),
        matching_settings.router(),
        supply.router(),
        me.router(),
        reports.router(),
        api_keys.router(),
        web_forms.router(),
        csv_export.router(),
        csv_import.router(),
    )
    return [errors.router(), team_chat.router(), seekers.router(), team_only, fallback.router()]

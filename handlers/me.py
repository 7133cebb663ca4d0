"""/me: a multiplier's own figures, so they see what the dispatchers see."""

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.clock import Clock
from domain.members import Member
from domain.roles import Role
from services.my_figures import MyFigures, my_figures
from storage.uow import UnitOfWork
from views import labels, report_texts
from views.filters import HasRole, InPrivate


async def show(message: Message, member: Member, uow: UnitOfWork, clock: Clock) -> None:
    await message.answer(text(await my_figures(uow, member, clock.now())))


def text(figures: MyFigures) -> str:
    track, profile, progress = figures.track, figures.member.profile, figures.progress
    lines = [
        _("<b>Last 30 days</b>: {taken} taken, {reached} reached, {met} met, {closed} closed").format(
            taken=progress.taken, reached=progress.reached, met=progress.met, closed=progress.closed),
    ]
    if progress.target:
        lines.append(ngettext("Target: {met} of {target} meeting ({share})",
                              "Target: {met} of {target} meetings ({share})",
                              progress.target).format(
            met=progress.met, target=progress.target,
            share=labels.percent(progress.target_share or 0.0)))
    if figures.milestones:
        lines.append(report_texts.milestones(figures.milestones))
    lines += [
        _("Holding now: {n} of {capacity}").format(n=figures.holding, capacity=profile.capacity),
        "",
        _("<b>Track record</b> (last 180 days)"),
        _("{taken} taken of {offers} offered").format(taken=track.accepted, offers=track.offers),
    ]
    if track.acceptance is not None:
        lines.append(_("Acceptance: {share}").format(share=labels.percent(track.acceptance)))
    if track.median_answer is not None:
        lines.append(_("You usually answer an offer in {time}").format(
            time=labels.duration(track.median_answer)))
    if track.judged:
        lines.append(_("Reached within the promised days: {n} of {of}").format(
            n=track.in_time, of=track.judged))
    lines.append(_("Reminders in the last 30 days: {n}, escalations: {e}").format(
        n=track.recent_nags, e=track.recent_escalations))
    return "\n".join(lines)


def router() -> Router:
    r = Router(name="me")
    r.message.register(show, Command("me"), HasRole(Role.MULTIPLIER), InPrivate())
    return r

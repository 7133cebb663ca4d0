"""/matching: the team's matching policy, shown to dispatchers and changed by admins."""

from dataclasses import asdict
from html import escape

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from domain.clock import Clock
from domain.errors import DomainError
from domain.matching import MatchPolicy
from domain.members import Member
from domain.roles import DISPATCH_ROLES, Role
from services import matching
from storage.uow import UnitOfWork
from views import labels
from views.filters import HasRole


async def matching_policy(message: Message, command: CommandObject, member: Member,
                          uow: UnitOfWork, clock: Clock) -> None:
    name, _sep, value = (command.args or "").strip().partition(" ")
    try:
        if not name:
            await message.answer(describe(await matching.policy(uow, member)))
            return
        policy = await matching.change_policy(uow, member, name, value, clock.now())
    except DomainError as exc:
        await message.answer(labels.error(exc) + "\n\n" + usage())
        return
    await message.answer(_("Saved.") + "\n\n" + describe(policy))


def describe(policy: MatchPolicy) -> str:
    weights = ", ".join(f"{name} {value:g}" for name, value in asdict(policy.weights).items())
    fallback = ", ".join(labels.language(c) for c in sorted(policy.fallback_languages)) or "—"
    tries = ngettext("on, {n} try", "on, {n} tries", policy.auto_tries)
    auto = tries.format(n=policy.auto_tries) if policy.auto_dispatch else _("off")
    return "\n".join([
        _("<b>Matching</b>"),
        _("Gender rule: {rule}").format(rule=policy.gender_rule.value),
        _("Fallback languages: {langs}").format(langs=escape(fallback)),
        _("Weights: {weights}").format(weights=weights),
        ngettext("Fairness: full after {n} day without an offer",
                 "Fairness: full after {n} days without an offer",
                 policy.fairness_days).format(n=policy.fairness_days),
        _("Auto-dispatch: {state}").format(state=auto),
        (ngettext("Offers: {n} day to reach the seeker", "Offers: {n} days to reach the seeker",
                  policy.offer_days).format(n=policy.offer_days) if policy.offer_days
         else _("Offers: the deployment's default days (OFFER_DAYS)")),
    ])


def usage() -> str:
    return _("Admins change it with /matching gender required|preferred|ignored, /matching fallback en,ru (or -), /matching auto on|off, /matching tries 3, /matching fairness_days 14, /matching offer_days 3 (0: the deployment's default), or /matching same_area 4 (any weight name).")


def router() -> Router:
    r = Router(name="matching")
    r.message.register(matching_policy, Command("matching"), HasRole(Role.ADMIN, *DISPATCH_ROLES))
    return r

"""Group commit: POSTs of one key that arrive while an earlier group of them is being stored
wait, and go together in the next group: one transaction, one read of their candidates, one
INSERT of the new contacts in a burst (services.api_intake.submit_many). Eight clients
posting at once cost about one transaction per round instead of eight, one after the other
on SQLite's single writer. A post alone goes at once, as before: nothing waits for company.

Each post is answered as if it had been alone: a refused one refuses only itself. If the
database fails for the group, each post is tried again on its own, so one that cannot be
stored does not take the others with it."""

import asyncio
import logging
from dataclasses import dataclass, field

from domain.api_keys import ApiKey
from domain.errors import DomainError
from domain.members import Member
from scheduler.context import JobContext
from services import api_intake
from services.api_intake import Outcome, Post
from views import duplicate_texts
from views.language import for_reader

log = logging.getLogger(__name__)

#: Posts stored in one transaction at most (the rest wait for the next): a group holds
#: SQLite's write lock, and a press waiting behind it should not wait long.
GROUP_MOST = 32

Answer = Outcome | DomainError


@dataclass
class _Waiting:
    post: Post
    answer: asyncio.Future[Answer] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future())


class PostGroups:
    """One queue and one worker per (key, its owner) while posts are waiting."""

    def __init__(self, ctx: JobContext, most: int = GROUP_MOST) -> None:
        self.ctx = ctx
        self.most = most
        self._waiting: dict[tuple[int, int | None], list[_Waiting]] = {}
        self._workers: dict[tuple[int, int | None], asyncio.Task] = {}

    async def submit(self, key: ApiKey, owner: Member | None, post: Post) -> Answer:
        """The post's answer once its group is committed. Raises what the database raised."""
        group = (key.id, owner.id if owner else None)
        waiting = _Waiting(post)
        self._waiting.setdefault(group, []).append(waiting)
        if group not in self._workers:
            self._workers[group] = asyncio.create_task(self._work(group, key, owner))
        return await waiting.answer

    async def _work(self, group: tuple[int, int | None], key: ApiKey,
                    owner: Member | None) -> None:
        try:
            while waiting := self._waiting.pop(group, None):
                if len(waiting) > self.most:
                    waiting, self._waiting[group] = waiting[:self.most], waiting[self.most:]
                await self._store(key, owner, waiting)
        finally:
            del self._workers[group]

    async def _store(self, key: ApiKey, owner: Member | None, group: list[_Waiting]) -> None:
        answers: list[Answer | Exception]
        try:
            answers = list(await self._submit(key, owner, [w.post for w in group]))
        except Exception as exc:
            if len(group) == 1:
                answers = [exc]
            else:
                log.exception("posts not stored together; each on its own",
                              extra={"key": key.name, "posts": len(group)})
                answers = [await self._alone(key, owner, w.post) for w in group]
        for waiting, answer in zip(group, answers):
            if waiting.answer.done():  # its client went away: it was stored all the same
                continue
            if isinstance(answer, Exception) and not isinstance(answer, DomainError):
                waiting.answer.set_exception(answer)
            else:
                waiting.answer.set_result(answer)

    async def _submit(self, key: ApiKey, owner: Member | None, posts: list[Post]) -> list[Answer]:
        ctx = self.ctx
        async with ctx.uow() as uow:
            with ctx.texts():
                return await api_intake.submit_many(
                    uow, key, owner, posts, ctx.clock.now(), quiet=ctx.quiet,
                    compose_touch=for_reader(duplicate_texts.touch_notice))

    async def _alone(self, key: ApiKey, owner: Member | None, post: Post) -> Answer | Exception:
        try:
            [answer] = await self._submit(key, owner, [post])
            return answer
        except Exception as exc:
            return exc


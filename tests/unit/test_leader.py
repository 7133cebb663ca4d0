"""One scheduler at a time: the leader lease decides who runs the jobs, a leader that cannot
renew steps down before its lease can pass on, and a follower's tick does nothing."""

import asyncio

from scheduler.leader import Leadership
from scheduler.setup import _if_leading


class FakeLease:
    """Who holds the lease is whatever the test says."""

    owner = "replica-a"

    def __init__(self) -> None:
        self.ours: bool | Exception = True
        self.released = False

    async def hold(self) -> bool:
        if isinstance(self.ours, Exception):
            raise self.ours
        return self.ours

    async def release(self) -> None:
        self.released = True


async def test_leadership_follows_the_lease_and_steps_down_early() -> None:
    lease, changes = FakeLease(), []
    leader = Leadership(lease, seconds=0.3)  # type: ignore[arg-type]
    leader.on_change = changes.append
    await leader.step()
    assert leader.leading() and changes == [True]
    lease.ours = ConnectionError("redis away")  # not renewed: ours only for 2/3 of a lease
    await leader.step()
    assert leader.leading()
    await asyncio.sleep(0.21)
    await leader.step()
    assert not leader.leading() and changes == [True, False]
    lease.ours = True
    await leader.step()
    lease.ours = False  # someone else holds it now: at once no longer ours
    await leader.step()
    assert not leader.leading() and changes == [True, False, True, False]


async def test_a_clean_stop_gives_the_lease_up() -> None:
    lease = FakeLease()
    leader = Leadership(lease, seconds=30)  # type: ignore[arg-type]
    task = asyncio.create_task(leader.run())
    await asyncio.sleep(0.01)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert lease.released


async def test_a_follower_runs_no_job() -> None:
    lease, ran = FakeLease(), []
    leader = Leadership(lease, seconds=30)  # type: ignore[arg-type]

    async def job(ctx: object) -> None:
        ran.append(ctx)

    await _if_leading(job, "tick 1", leader)  # type: ignore[arg-type]
    await leader.step()
    await _if_leading(job, "tick 2", leader)  # type: ignore[arg-type]
    assert ran == ["tick 2"]


def test_a_webhook_on_postgresql_without_redis_says_it_assumes_it_is_alone(caplog) -> None:  # type: ignore[no-untyped-def]
    from bot.app import _warn_if_alone
    from bot.config import Settings

    def settings(**values: object) -> Settings:
        return Settings(_env_file=None, bot_token="1:x", webhook_secret="s", **values)  # type: ignore[arg-type]

    pg = "postgresql+asyncpg://u@h/db"
    _warn_if_alone(settings(mode="webhook", database_url=pg, redis_url=None))
    assert "assumes it is the only replica" in caplog.text
    caplog.clear()
    _warn_if_alone(settings(mode="webhook", database_url=pg, redis_url="redis://h"))
    _warn_if_alone(settings(mode="polling", redis_url=None))
    assert caplog.text == ""


class SwallowingLease(FakeLease):
    """A Redis call that catches the cancellation meant for its caller and returns."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = asyncio.Event()

    async def hold(self) -> bool:
        self.entered.set()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            pass
        return True


async def test_a_stop_ends_the_leader_even_if_the_lease_call_swallows_the_cancel() -> None:
    lease = SwallowingLease()
    task = asyncio.create_task(Leadership(lease, seconds=30).run())  # type: ignore[arg-type]
    await lease.entered.wait()
    task.cancel()
    async with asyncio.timeout(2):
        await asyncio.gather(task, return_exceptions=True)
    assert task.cancelled() and lease.released

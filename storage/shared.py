"""What replicas share through Redis (REDIS_URL set: shared mode): rate budgets and the
scheduler's leader lease. State outside any process, like the database, each change one
atomic Lua script timed by Redis's own clock (replicas' clocks never disagree about it)."""

import math

from redis.asyncio import BlockingConnectionPool, Redis

#: A GCRA budget (the same rule as scheduler.limits.Pacer): `interval` seconds apart with a
#: burst of `burst`, and never before KEYS[2] (a time _SENT wrote). KEYS[1]: the budget;
#: ARGV: interval, burst, peek ("1": look only).
#: Returns the seconds to wait before a turn ("0": the turn was taken, unless peeking).
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now,
                     tonumber(redis.call('GET', KEYS[2]) or '0'))
local wait = tat - (burst - 1) * interval - now
if wait > 0 or ARGV[3] == '1' then return tostring(math.max(wait, 0)) end
redis.call('SET', KEYS[1], string.format('%.6f', tat + interval), 'PX',
           math.ceil((tat + interval - now) * 1000) + 1000)
return '0'
"""

#: The next turn of a budget with a burst of one, reserved however far ahead it is (a direct
#: answer books its chat's turn, then waits for it). KEYS[1]: the budget; ARGV[1]: interval.
#: Returns the seconds until the reserved turn (0: now).
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(ARGV[1])
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now,
                     tonumber(redis.call('GET', KEYS[2]) or '0'))
redis.call('SET', KEYS[1], string.format('%.6f', tat + interval), 'PX',
           math.ceil((tat + interval - now) * 1000) + 1000)
return tostring(tat - now)
"""

#: A send to a chat came back: its next send starts no sooner than ARGV[1] seconds from now.
#: A send reaches Telegram some time after its turn, more under load; counting the spacing
#: from the answer too keeps it at Telegram whatever that lag. KEYS[1]: the chat's "sent"
#: key. Returns the seconds until then from an earlier send (ARGV[2] "1": look only).
_SENT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local after = tonumber(redis.call('GET', KEYS[1]) or '0')
if ARGV[2] == '1' then return tostring(math.max(after - now, 0)) end
local until_ = now + tonumber(ARGV[1])
if until_ > after then
  redis.call('SET', KEYS[1], string.format('%.6f', until_), 'PX',
             math.ceil(tonumber(ARGV[1]) * 1000) + 1000)
end
return '0'
"""

#: Nobody's turn for ARGV[1] seconds (Telegram answered 429 with retry_after).
_HOLD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local until_ = now + tonumber(ARGV[1])
if until_ > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], string.format('%.6f', until_), 'PX',
             math.ceil(tonumber(ARGV[1]) * 1000) + 1000)
end
return 1
"""

#: Take the lease if free, renew it if ours (ARGV: owner, milliseconds); 1 if ours now.
_LEASE = """
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"""

#: Give the lease up if ours (a clean stop: the next leader need not wait for it to run out).
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def connect(url: str, connections: int = 32) -> Redis:
    """A pool that makes a caller wait for a free connection rather than fail: hundreds of
    outbox workers may ask for their chat's turn at once."""
    return Redis(connection_pool=BlockingConnectionPool.from_url(
        url, max_connections=connections, timeout=None))


class Budgets:
    """Rate budgets every replica takes its turns from. `prefix` keeps one bot's budgets
    apart from another's on the same Redis (Telegram's limits are per bot)."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.prefix = prefix
        self._take = redis.register_script(_TAKE)
        self._hold = redis.register_script(_HOLD)
        self._reserve = redis.register_script(_RESERVE)
        self._sent = redis.register_script(_SENT)

    def _keys(self, name: str) -> list[str]:
        return [self.prefix + name, self.prefix + name + ":sent"]

    async def take(self, name: str, interval: float, burst: int = 1) -> float:
        """0 if a turn was taken now, else the seconds until the next one."""
        return float(await self._take(keys=self._keys(name), args=[interval, burst, 0]))

    async def peek(self, name: str, interval: float, burst: int = 1) -> float:
        """The seconds until a turn, taking nothing."""
        return float(await self._take(keys=self._keys(name), args=[interval, burst, 1]))

    async def reserve(self, name: str, interval: float) -> float:
        """Book the next turn (burst of one), however far ahead: the seconds until it. Whoever
        takes or peeks at the budget afterwards comes after it."""
        return float(await self._reserve(keys=self._keys(name), args=[interval]))

    async def sent(self, name: str, interval: float) -> None:
        """A send under this budget came back: the next one waits `interval` from now."""
        await self._sent(keys=self._keys(name)[1:], args=[interval, 0])

    async def since_sent(self, name: str) -> float:
        """The seconds until a send may follow the last one that came back (0: now)."""
        return float(await self._sent(keys=self._keys(name)[1:], args=[0, 1]))

    async def hold(self, name: str, seconds: float) -> None:
        await self._hold(keys=[self.prefix + name], args=[max(seconds, 0.0)])


class Lease:
    """One holder at a time, for `seconds` unless renewed (the scheduler's leader)."""

    def __init__(self, redis: Redis, key: str, owner: str, seconds: float) -> None:
        self.key, self.owner = key, owner
        self.milliseconds = max(math.ceil(seconds * 1000), 1)
        self._lease = redis.register_script(_LEASE)
        self._release = redis.register_script(_RELEASE)

    async def hold(self) -> bool:
        """Take it if nobody holds it, renew it if we do; True if it is ours now."""
        return bool(await self._lease(keys=[self.key], args=[self.owner, self.milliseconds]))

    async def release(self) -> None:
        await self._release(keys=[self.key], args=[self.owner])

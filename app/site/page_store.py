"""Where rendered public pages are kept: Redis (production) or this process (embedded mode). One interface.

An *entry* is the page as sent, minus what changes per response:
`<tenant>|<counted 0/1>|<expires>|<widget 0/1>|<stamp>|` + JSON (content type, headers, ETag seed, locale, the
visitor widget's template parts) + `\\n` + the body, which holds the widget's slot. The stamp is new for every
entry stored. Keys are made from the request alone (host, language choice, path and query), so that a hit needs
no tenant lookup: `hit()` is ONE Redis round trip (EVALSHA) that checks the entry, counts the visit and reads the
widget's live numbers. A process that already holds the entry with that stamp (app/site/fast_path.py) says so,
and gets only the stamp back instead of the whole page.

Invalidation deletes: each tenant has a set of its entries' keys (the portal's pages are in the portal's set),
and `invalidate(scopes)` removes them and bumps each scope's *generation*. `store()` writes an entry only if the
generations it was rendered under are still current (compare-and-set in one script), so a page rendered from
data that changed meanwhile is never kept.
"""

import secrets
import threading
import time

import redis

from app.stats.counters import LUA_FUNCTIONS, lua_script

GLOBAL, PORTAL = "*", "portal"


class Hit(tuple):
    """(entry bytes, or only its stamp when the caller knew it; live widget numbers or None: [stored base,
    today's visitors, online])."""

    @property
    def entry(self) -> bytes:
        return self[0]

    @property
    def live(self) -> list | None:
        return self[1]


# ARGV: app.stats.counters.visit_args(…), then the stamp of the entry the caller already holds ('' if none).
_HIT = LUA_FUNCTIONS + """
local head = redis.call('GETRANGE', KEYS[1], 0, 95)
local tid, counted, expires, widget, stamp = string.match(head, '^(%d+)|(%d)|(%d+)|(%d)|(%w+)|')
if not tid or tonumber(ARGV[5]) >= tonumber(expires) then return false end
if ARGV[1] == '1' and counted == '1' then
  count_visit(ARGV[8], tid, ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6]), ARGV[7])
end
local entry = stamp
if stamp ~= ARGV[10] then entry = redis.call('GET', KEYS[1]) end
if widget == '1' then
  local live = read_live(ARGV[8], tid, ARGV[3], ARGV[5], tonumber(ARGV[6]), ARGV[9] .. tid)
  return {entry, live[1], live[2], live[3]}
end
return {entry}
"""

# KEYS: entry, its tenant's key set, the registry of key sets, then the generation keys; ARGV: entry, TTL, then
# the generations the page was rendered under.
_STORE = """
for i = 4, #KEYS do
  if (redis.call('GET', KEYS[i]) or '0') ~= ARGV[i - 1] then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('SADD', KEYS[2], KEYS[1])
redis.call('SADD', KEYS[3], KEYS[2])
return 1
"""

# KEYS: generation keys to bump; ARGV: the registry, '1' to empty every key set (a global change), then key sets.
_INVALIDATE = """
for i = 1, #KEYS do redis.call('INCR', KEYS[i]) end
local sets = {}
for i = 3, #ARGV do sets[#sets + 1] = ARGV[i] end
if ARGV[2] == '1' then sets = redis.call('SMEMBERS', ARGV[1]) end
for _, set in ipairs(sets) do
  local members = redis.call('SMEMBERS', set)
  for j = 1, #members, 500 do redis.call('DEL', unpack(members, j, math.min(j + 499, #members))) end
  redis.call('DEL', set)
end
return #sets
"""


class RedisPageStore:
    def __init__(self, client: redis.Redis, prefix: str):
        self.client, self.prefix = client, prefix + "pc:"
        self.registry = self.prefix + "sets"

    def key(self, host: str, variant: str, path: str) -> str:
        return f"{self.prefix}p:{host}\x1f{variant}\x1f{path}"

    def _set(self, scope) -> str:
        return f"{self.prefix}keys:{scope}"

    def _gen(self, scope) -> str:
        return f"{self.prefix}gen:{scope}"

    def generations(self, scopes) -> tuple[str, ...]:
        """The scopes' generations; a missing one starts at a random number, so that what a process kept from
        before a Redis restart can never match again."""
        keys = [self._gen(s) for s in scopes]
        values = self.client.mget(keys)
        if None in values:
            pipe = self.client.pipeline(transaction=False)
            for key, value in zip(keys, values, strict=True):
                if value is None:
                    pipe.set(key, secrets.randbelow(10**12), nx=True)
            pipe.mget(keys)
            values = pipe.execute()[-1]
        return tuple(v.decode() for v in values)

    def hit(self, key: str, visit_args: list, known: str = "") -> Hit | None:
        """visit_args: app.stats.counters.visit_args(…) for the entry's tenant (its id is taken from the entry);
        known: the stamp of the entry the caller holds, if any."""
        found = lua_script(self.client, _HIT)(keys=[key], args=[*visit_args, known])
        if not found:
            return None
        return Hit((found[0], found[1:] if len(found) > 1 else None))

    def store(self, key: str, entry: bytes, set_scope, ttl: int, generations: dict) -> bool:
        keys = [key, self._set(set_scope), self.registry] + [self._gen(s) for s in generations]
        return bool(lua_script(self.client, _STORE)(keys=keys, args=[entry, ttl, *generations.values()]))

    def invalidate(self, scopes, tenant_sets) -> None:
        everything = GLOBAL in scopes
        lua_script(self.client, _INVALIDATE)(keys=[self._gen(s) for s in scopes],
                                             args=[self.registry, "1" if everything else "0",
                                                   *(self._set(s) for s in tenant_sets)])

    def clear(self) -> None:
        keys = list(self.client.scan_iter(self.prefix + "*", count=1000))
        for i in range(0, len(keys), 500):
            self.client.delete(*keys[i:i + 500])


class LocalPageStore:
    """The same rules in this process (embedded mode, or production without Redis): one lock, plain dicts.

    The visit is counted and the widget read by `on_hit(tenant_id, counted, visit_args)`, which the Flask side
    provides (the database counts in the embedded mode)."""

    MAX_ENTRIES = 5000

    def __init__(self, on_hit=None):
        self.on_hit = on_hit
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[bytes, float]] = {}
        self._sets: dict[object, set[str]] = {}
        self._gens: dict[object, int] = {}

    def key(self, host: str, variant: str, path: str) -> str:
        return f"p:{host}\x1f{variant}\x1f{path}"

    def generations(self, scopes) -> tuple[str, ...]:
        with self._lock:
            return tuple(str(self._gens.get(s, 0)) for s in scopes)

    def hit(self, key: str, visit_args: list, known: str = "") -> Hit | None:
        with self._lock:
            found = self._entries.get(key)
        if found is None or time.time() >= found[1]:
            return None
        entry = found[0]
        tenant_id, counted, _, widget, stamp = entry.split(b"|", 5)[:5]
        if known and stamp.decode() == known:
            entry = stamp
        live = self.on_hit(int(tenant_id), counted == b"1", visit_args) if self.on_hit else None
        return Hit((entry, live if widget == b"1" else None))

    def store(self, key: str, entry: bytes, set_scope, ttl: int, generations: dict) -> bool:
        with self._lock:
            if any(str(self._gens.get(s, 0)) != g for s, g in generations.items()):
                return False
            if len(self._entries) >= self.MAX_ENTRIES:
                self._entries.clear()
                self._sets.clear()
            self._entries[key] = (entry, time.time() + ttl)
            self._sets.setdefault(set_scope, set()).add(key)
            return True

    def invalidate(self, scopes, tenant_sets) -> None:
        with self._lock:
            for scope in scopes:
                self._gens[scope] = self._gens.get(scope, 0) + 1
            sets = list(self._sets) if GLOBAL in scopes else tenant_sets
            for scope in sets:
                for key in self._sets.pop(scope, ()):
                    self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._sets.clear()

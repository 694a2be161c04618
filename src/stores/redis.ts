// RedisHistoryStore: client history shared by every gateway instance, one Lua round trip per record.
import { createHash } from "node:crypto";
import { ConfigError, StoreError } from "../errors.js";
import { definedOnly, describe, functionOption, objectOption, rejectUnknownKeys } from "../internal/options.js";
import type { HistoryEntry, HistoryLimits, HistoryStore } from "./types.js";

/**
 * Sends one Redis command and resolves with its reply (rejects on an error reply). The first
 * argument is the command name, e.g. `("EVALSHA", sha, "1", key, ...)`.
 *
 * - node-redis: `(...args) => client.sendCommand(args)`
 * - ioredis: `(...args) => client.call(...args)`
 */
export type RedisSendCommand = (...args: [command: string, ...args: string[]]) => Promise<unknown>;

/** Options of {@link RedisHistoryStore}. */
export interface RedisHistoryStoreOptions {
  /**
   * How the store talks to Redis; any client fits, none is a dependency. The store never closes it.
   * @example (...args) => client.sendCommand(args)   // node-redis
   * @example (...args) => client.call(...args)       // ioredis
   */
  readonly sendCommand: RedisSendCommand;
  /**
   * Prepended to every key. Each client has one key, so the store works on Redis Cluster.
   * @default "promptward:h:"
   */
  readonly prefix?: string;
  /**
   * Clock in epoch ms, for the age cut-off; use the same clock as the guard's `now`.
   * Redis expires idle keys on its own clock (`PEXPIRE`).
   * @default Date.now
   */
  readonly now?: () => number;
}

const KNOWN: { readonly [K in keyof Required<RedisHistoryStoreOptions>]: true } = { sendCommand: true, prefix: true, now: true };

/**
 * Appends, drops expired entries from the head, trims to `maxEvents`, drops the tail of the entry
 * that just left the newest `textEvents`, refreshes the TTL and returns the window, atomically.
 * KEYS[1] = list key; ARGV = entry JSON, cut-off (ms), maxEvents, ttlMs, textEvents (-1: keep all).
 * Entries are written with `"at"` as their first member and `"tail"` as their last, so neither needs
 * a JSON parser (Lua cjson rejects lone surrogates, which a cut tail may hold): inside JSON strings a
 * quote is escaped, so `,"tail":` can only be the member separator. An element that does not start
 * with `{"at":` was not written by this store and is dropped once it reaches the head.
 */
const RECORD_SCRIPT = `local key = KEYS[1]
local cutoff = tonumber(ARGV[2])
local maxEvents = tonumber(ARGV[3])
local len = redis.call('RPUSH', key, ARGV[1])
local items = redis.call('LRANGE', key, -maxEvents, -1)
local n = #items
local first = 1
while first < n do
  local at = tonumber(string.match(items[first], '^{"at":(%-?[%d%.eE%+%-]+)'))
  if at ~= nil and at >= cutoff then break end
  first = first + 1
end
local drop = len - n + first - 1
if drop > 0 then redis.call('LTRIM', key, drop, -1) end
local textEvents = tonumber(ARGV[5])
local old = n - textEvents
if textEvents >= 0 and old >= first then
  local cut = string.find(items[old], ',"tail":', 1, true)
  if cut then
    items[old] = string.sub(items[old], 1, cut - 1) .. '}'
    redis.call('LSET', key, old - n - 1, items[old])
  end
end
redis.call('PEXPIRE', key, ARGV[4])
local out = {}
for i = first, n do out[#out + 1] = items[i] end
return out
`;

const RECORD_SHA = createHash("sha1").update(RECORD_SCRIPT).digest("hex");

/**
 * Keeps each client's recent prompts in Redis, shared by every gateway instance (`scope: "shared"`).
 *
 * Layout: one key per client, `prefix + key`, where `key` is the guard's SHA-256 hash of the client
 * id (raw ids never reach Redis). The value is a Redis list of JSON-encoded {@link HistoryEntry}
 * objects, oldest first, `"at"` first in each. `record` is one `EVALSHA` of a Lua script that
 * RPUSHes the entry, drops entries older than `now() - ttlMs` from the head, LTRIMs to `maxEvents`,
 * removes the `tail` of the entry that just fell out of the newest `limits.textEvents` (fragment
 * matching looks no further back; this keeps Redis memory small), PEXPIREs the key to `ttlMs`
 * (refreshed on every record) and returns the list; when Redis reports
 * the script missing (`NOSCRIPT`, e.g. after a restart or `SCRIPT FLUSH`) it is resent with `EVAL`.
 * `peek` is one `LRANGE` (age filtered here), `clear` one `DEL`. Elements that do not decode as
 * entries (written by someone else) are skipped. A failed command rejects with a {@link StoreError}
 * holding the client's error as `cause`; the guard turns it into a `STORE_UNAVAILABLE` finding.
 *
 * @example
 * import { createClient } from "redis";
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const store = new RedisHistoryStore({ sendCommand: (...args) => client.sendCommand(args) });
 * const guard = createGuard({ store });
 */
export class RedisHistoryStore implements HistoryStore {
  readonly scope = "shared" as const;
  /** The key prefix in use. */
  readonly prefix: string;
  readonly #send: RedisSendCommand;
  readonly #now: () => number;
  /** False until a script call succeeded: the first record sends EVAL, so even it is one round trip. */
  #loaded = false;

  /** @throws {ConfigError} on an unknown option or a bad value (`sendCommand` is required). */
  constructor(options: RedisHistoryStoreOptions) {
    const o = definedOnly(objectOption("RedisHistoryStore options", options ?? {}) as RedisHistoryStoreOptions);
    rejectUnknownKeys(o, KNOWN, "RedisHistoryStore.");
    this.#send = functionOption<RedisSendCommand>("RedisHistoryStore.sendCommand", o.sendCommand);
    this.prefix = o.prefix === undefined ? "promptward:h:" : stringOption("RedisHistoryStore.prefix", o.prefix);
    this.#now = o.now === undefined ? Date.now : functionOption<() => number>("RedisHistoryStore.now", o.now);
  }

  async record(key: string, entry: HistoryEntry, limits: HistoryLimits): Promise<readonly HistoryEntry[]> {
    const redisKey = this.prefix + key;
    const cutoff = this.#now() - limits.ttlMs;
    const textEvents = limits.textEvents === undefined ? -1 : Math.max(0, Math.floor(limits.textEvents));
    const args = [encode(entry), String(cutoff), String(Math.max(1, Math.floor(limits.maxEvents))), String(Math.max(1, Math.ceil(limits.ttlMs))), String(textEvents)];
    let reply: unknown;
    if (!this.#loaded) {
      reply = await this.#call("record", "EVAL", RECORD_SCRIPT, "1", redisKey, ...args);
      this.#loaded = true;
    } else {
      try {
        reply = await this.#send("EVALSHA", RECORD_SHA, "1", redisKey, ...args);
      } catch (error) {
        if (!isNoScript(error)) throw wrap("record", error);
        // Flushed or restarted server: EVAL runs the script and caches it again.
        reply = await this.#call("record", "EVAL", RECORD_SCRIPT, "1", redisKey, ...args);
      }
    }
    // The script already dropped expired heads; filter again for entries written out of order.
    return decodeList(reply, "record", cutoff);
  }

  async peek(key: string, limits: HistoryLimits): Promise<readonly HistoryEntry[]> {
    const cutoff = this.#now() - limits.ttlMs;
    const reply = await this.#call("peek", "LRANGE", this.prefix + key, String(-Math.max(1, Math.floor(limits.maxEvents))), "-1");
    return decodeList(reply, "peek", cutoff);
  }

  async clear(key: string): Promise<void> {
    await this.#call("clear", "DEL", this.prefix + key);
  }

  /** Does nothing: the Redis client belongs to the caller, who closes it. */
  close(): void {}

  async #call(op: string, ...args: [command: string, ...args: string[]]): Promise<unknown> {
    try {
      return await this.#send(...args);
    } catch (error) {
      throw wrap(op, error);
    }
  }
}

function stringOption(name: string, value: unknown): string {
  if (typeof value !== "string") throw new ConfigError("OPTION_INVALID", name, `"${name}" must be a string, got ${describe(value)}`);
  return value;
}

function wrap(op: string, error: unknown): StoreError {
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreError(`RedisHistoryStore.${op} failed: ${reason}; check the Redis connection`, { cause: error });
}

function isNoScript(error: unknown): boolean {
  const message = error instanceof Error ? error.message : typeof error === "string" ? error : "";
  return message.startsWith("NOSCRIPT") || message.includes(" NOSCRIPT ");
}

/** JSON with `at` first and `tail` last (the Lua script relies on both), optional members only when present. */
function encode(entry: HistoryEntry): string {
  const value: Record<string, unknown> = { at: entry.at, score: entry.score, ruleIds: entry.ruleIds, fingerprint: entry.fingerprint };
  if (entry.shape !== undefined) value["shape"] = entry.shape;
  if (entry.tail !== undefined) value["tail"] = entry.tail;
  return JSON.stringify(value);
}

const utf8 = new TextDecoder();

function decodeList(reply: unknown, op: string, cutoff: number): HistoryEntry[] {
  if (reply === null || reply === undefined) return [];
  if (!Array.isArray(reply)) throw new StoreError(`RedisHistoryStore.${op}: expected a list reply, got ${typeof reply}; is sendCommand returning the raw reply?`);
  const out: HistoryEntry[] = [];
  for (const item of reply) {
    const entry = decodeEntry(item);
    if (entry && entry.at >= cutoff) out.push(entry);
  }
  return out;
}

/** One list element as an entry, or undefined when it is not one (never throws). */
function decodeEntry(item: unknown): HistoryEntry | undefined {
  const text = typeof item === "string" ? item : item instanceof Uint8Array ? utf8.decode(item) : undefined;
  if (text === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== "object" || v === null) return undefined;
  const { at, score, ruleIds, fingerprint, shape, tail } = v as Record<string, unknown>;
  if (typeof at !== "number" || !Number.isFinite(at) || typeof score !== "number" || typeof fingerprint !== "string") return undefined;
  if (!Array.isArray(ruleIds) || !ruleIds.every((r) => typeof r === "string")) return undefined;
  if ((shape !== undefined && typeof shape !== "string") || (tail !== undefined && typeof tail !== "string")) return undefined;
  const entry: { -readonly [K in keyof HistoryEntry]: HistoryEntry[K] } = { at, score, ruleIds: ruleIds as string[], fingerprint };
  if (shape !== undefined) entry.shape = shape;
  if (tail !== undefined) entry.tail = tail;
  return entry;
}

// MemoryHistoryStore: per-process client history on lru-cache, always bounded in keys, events and time.
import { LRUCache } from "lru-cache";
import { definedOnly, functionOption, positiveInteger, rejectUnknownKeys } from "../internal/options.js";
import type { HistoryEntry, HistoryLimits, HistoryStore } from "./types.js";

/** Options of {@link MemoryHistoryStore}. */
export interface MemoryHistoryStoreOptions {
  /**
   * Most clients kept; the least recently seen client is forgotten first.
   * About 1.5 KB per client with 32 entries, so the default stays well under 200 MB.
   * @default 100_000
   */
  readonly maxKeys?: number;
  /**
   * Clock in epoch ms; inject one in tests. Use the same clock as the guard's `now`.
   * @default Date.now
   */
  readonly now?: () => number;
}

const KNOWN = { maxKeys: true, now: true } as const;

/**
 * Keeps each client's recent prompts in this process (lru-cache). A client's window holds at most
 * `limits.maxEvents` entries no older than `limits.ttlMs`; a client not seen for `ttlMs` is dropped,
 * and past `maxKeys` clients the least recently seen goes first. Every call answers synchronously.
 * Use {@link RedisHistoryStore} (`promptward/redis`) when several gateway instances share clients.
 * @example const guard = createGuard({ store: new MemoryHistoryStore({ maxKeys: 10_000 }) });
 */
export class MemoryHistoryStore implements HistoryStore {
  readonly scope = "local" as const;
  readonly #cache: LRUCache<string, readonly HistoryEntry[]>;
  readonly #now: () => number;

  /** @throws {ConfigError} on an unknown option or a bad value. */
  constructor(options: MemoryHistoryStoreOptions = {}) {
    const o = definedOnly(options);
    rejectUnknownKeys(o, KNOWN, "MemoryHistoryStore.");
    const maxKeys = positiveInteger("MemoryHistoryStore.maxKeys", o.maxKeys ?? 100_000);
    this.#now = o.now === undefined ? Date.now : functionOption<() => number>("MemoryHistoryStore.now", o.now);
    const now = this.#now;
    this.#cache = new LRUCache({ max: maxKeys, perf: { now: () => now() }, updateAgeOnGet: false });
  }

  /** Number of clients currently held (expired ones may still count until touched). */
  get size(): number {
    return this.#cache.size;
  }

  record(key: string, entry: HistoryEntry, limits: HistoryLimits): readonly HistoryEntry[] {
    const previous = this.#cache.get(key);
    const from = previous ? firstKept(previous, this.#now() - limits.ttlMs, limits.maxEvents - 1) : 0;
    // Copy on write: a window handed out earlier never changes under its reader.
    const window = previous ? [...previous.slice(from), entry] : [entry];
    this.#cache.set(key, window, { ttl: limits.ttlMs });
    return window;
  }

  peek(key: string, limits: HistoryLimits): readonly HistoryEntry[] {
    const window = this.#cache.get(key);
    if (!window) return [];
    const from = firstKept(window, this.#now() - limits.ttlMs, limits.maxEvents);
    return from === 0 ? window : window.slice(from);
  }

  clear(key: string): void {
    this.#cache.delete(key);
  }

  close(): void {
    this.#cache.clear();
  }
}

/** Index of the first entry to keep: not older than `cutoff`, and at most `room` entries from the end. */
function firstKept(window: readonly HistoryEntry[], cutoff: number, room: number): number {
  let from = Math.max(0, window.length - Math.max(room, 0));
  while (from < window.length && window[from]!.at < cutoff) from++;
  return from;
}

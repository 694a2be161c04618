// MemoryHistoryStore: per-process client history on lru-cache, always bounded in keys, events and time.
import { LRUCache } from "lru-cache";
import { definedOnly, functionOption, positiveInteger, rejectUnknownKeys } from "../internal/options.js";
import { hex13 } from "../internal/fingerprint.js";
import type { HistoryEntry, HistoryLimits, HistoryStore } from "./types.js";

/** Options of {@link MemoryHistoryStore}. */
export interface MemoryHistoryStoreOptions {
  /**
   * Most clients kept; the least recently seen client is forgotten first.
   * Under 2 KB per client with 32 entries and the guard's defaults, so the default stays under 200 MB.
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
 * Entries are packed (four unboxed numbers each, fingerprints as integers, text only for the newest
 * entries that `limits.textEvents` and `limits.textChars` allow): with the guard's defaults, 100,000
 * clients with full windows take under 200 MB (see the README's figures).
 * Use `RedisHistoryStore` (`promptward/redis`) when several gateway instances share clients.
 * @example const guard = createGuard({ store: new MemoryHistoryStore({ maxKeys: 10_000 }) });
 */
export class MemoryHistoryStore implements HistoryStore {
  readonly scope = "local" as const;
  readonly #cache: LRUCache<string, PackedWindow>;
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
    let window = this.#cache.get(key);
    if (!window) window = new PackedWindow();
    window.drop(this.#now() - limits.ttlMs, limits.maxEvents - 1);
    window.push(entry, limits.maxEvents, limits.textEvents ?? limits.maxEvents, limits.textChars ?? Infinity);
    this.#cache.set(key, window, { ttl: limits.ttlMs });
    return window.entries(0);
  }

  peek(key: string, limits: HistoryLimits): readonly HistoryEntry[] {
    const window = this.#cache.get(key);
    return window ? window.entries(window.firstKept(this.#now() - limits.ttlMs, limits.maxEvents)) : [];
  }

  clear(key: string): void {
    this.#cache.delete(key);
  }

  close(): void {
    this.#cache.clear();
  }
}

/** Fingerprints the guard writes: 13 hex digits (52 bits), exact as a float64. */
const HEX13 = /^[0-9a-f]{13}$/;
/** Numbers per entry in {@link PackedWindow.num}: at, score, fingerprint, shape (-1: none). */
const SLOTS = 4;

/**
 * One client's entries, oldest first, in plain arrays (no typed arrays: at 32 entries their objects
 * cost more than the data):
 * - `num`: per entry `at`, `score`, and the fingerprint and shape as integers (unboxed doubles), in an
 *   array sized exactly (grown by doubling up to `maxEvents`, shifted in place when entries leave);
 * - `tails`: the tails of the newest `tails.length` entries only (older text is released);
 * - `metas`: null while every entry is a guard entry without rule ids (the common case); otherwise per
 *   entry `undefined`, its frozen rule ids, or a whole {@link Odd} entry (a caller's own format).
 */
class PackedWindow {
  length = 0;
  num: number[] = [];
  tails: (string | undefined)[] = [];
  metas: (readonly string[] | Odd | undefined)[] | null = null;

  /** Index of the first entry not older than `cutoff`, keeping at most `room` entries. */
  firstKept(cutoff: number, room: number): number {
    let from = Math.max(0, this.length - Math.max(room, 0));
    while (from < this.length && this.num[from * SLOTS]! < cutoff) from++;
    return from;
  }

  /** Drops entries older than `cutoff` and all but the newest `room`. */
  drop(cutoff: number, room: number): void {
    const from = this.firstKept(cutoff, room);
    if (from === 0) return;
    this.num.copyWithin(0, from * SLOTS, this.length * SLOTS);
    this.length -= from;
    if (this.tails.length > this.length) this.tails = this.tails.slice(this.tails.length - this.length);
    if (this.metas !== null) {
      this.metas = this.metas.slice(from);
      if (this.metas.every((m) => m === undefined)) this.metas = null;
    }
  }

  push(entry: HistoryEntry, maxEvents: number, textEvents: number, textChars: number): void {
    const { at, score, fingerprint, shape, ruleIds } = entry;
    const packed = typeof at === "number" && typeof score === "number" && HEX13.test(fingerprint) && (shape === undefined || HEX13.test(shape));
    const i = this.length;
    if ((i + 1) * SLOTS > this.num.length) this.grow(Math.min(Math.max(4, i * 2), Math.max(maxEvents, i + 1)));
    const b = i * SLOTS;
    this.num[b] = Number(at);
    this.num[b + 1] = packed ? score : 0;
    this.num[b + 2] = packed ? parseInt(fingerprint, 16) : 0;
    this.num[b + 3] = packed && shape !== undefined ? parseInt(shape, 16) : -1;
    this.length = i + 1;
    const meta = !packed ? new Odd(entry) : ruleIds.length > 0 ? Object.freeze([...ruleIds]) : undefined;
    if (meta !== undefined && this.metas === null) this.metas = new Array<undefined>(i).fill(undefined);
    this.metas?.push(meta);
    this.tails = keptTails(this.tails, entry.tail, textEvents, textChars);
  }

  /** Fresh entry objects from index `from` on (callers may keep them; they never change). */
  entries(from: number): HistoryEntry[] {
    const out: HistoryEntry[] = [];
    const { num, tails, metas, length } = this;
    const firstTail = length - tails.length;
    for (let i = from; i < length; i++) {
      const tail = i >= firstTail ? tails[i - firstTail] : undefined;
      const meta = metas === null ? undefined : metas[i];
      if (meta instanceof Odd) {
        out.push(tail === undefined ? meta.entry : { ...meta.entry, tail });
        continue;
      }
      const b = i * SLOTS;
      const e: { at: number; score: number; ruleIds: readonly string[]; fingerprint: string; shape?: string; tail?: string } = {
        at: num[b]!,
        score: num[b + 1]!,
        ruleIds: meta ?? NO_RULES,
        fingerprint: hex13(num[b + 2]!),
      };
      if (num[b + 3]! >= 0) e.shape = hex13(num[b + 3]!);
      if (tail !== undefined) e.tail = tail;
      out.push(e);
    }
    return out;
  }

  private grow(capacity: number): void {
    const num = new Array<number>(capacity * SLOTS).fill(0.5); // doubles from the start: unboxed storage
    for (let k = 0; k < this.length * SLOTS; k++) num[k] = this.num[k]!;
    this.num = num;
  }
}

/**
 * The tails after appending `tail`, as a new array of exactly the kept ones: those of the newest
 * entries that fragment matching can use, at most `textEvents` entries and only as many non-empty
 * tails as fill `textChars` characters (one separator each), newest first. Leading entries without
 * text are not kept either.
 */
function keptTails(tails: readonly (string | undefined)[], tail: string | undefined, textEvents: number, textChars: number): (string | undefined)[] {
  const all = tails.length + 1;
  const at = (k: number): string | undefined => (k === tails.length ? tail : tails[k]);
  let first = all;
  for (let room = textChars; first > 0 && all - first < textEvents && room > 0; ) {
    const t = at(--first);
    if (t !== undefined && t.length > 0) room -= t.length + 1;
  }
  while (first < all && at(first) === undefined) first++;
  const kept = new Array<string | undefined>(all - first);
  for (let k = first; k < all; k++) kept[k - first] = at(k);
  return kept;
}

const NO_RULES: readonly string[] = Object.freeze([]);

/** An entry kept whole (without its tail, which lives in `tails`): a caller's own fingerprint format. */
class Odd {
  readonly entry: HistoryEntry;
  constructor(entry: HistoryEntry) {
    const { tail: _tail, ...rest } = entry;
    this.entry = Object.freeze({ ...rest, ruleIds: Object.freeze([...entry.ruleIds]) });
  }
}

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
 * Entries are packed (numbers in typed arrays, fingerprints as integers, text only for the newest
 * `limits.textEvents` entries), about 40 bytes per entry plus its text.
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
    window.push(entry, limits.maxEvents, limits.textEvents ?? limits.maxEvents);
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

const NO_RULES: readonly string[] = Object.freeze([]);
const HEX16 = /^[0-9a-f]{16}$/;

/**
 * One client's entries, oldest first, packed into one buffer: per entry `at`, `score` and the two
 * 64-bit fingerprints (as 32-bit halves) in four float64 slots; per entry two references in `refs`:
 * the tail, and {@link SHAPE_NO_RULES} (the common case), {@link Meta} or a whole odd entry (one
 * whose fingerprints are not 16 hex digits: a caller's own format).
 */
class PackedWindow {
  length = 0;
  num = new Float64Array(SLOTS * 4);
  u32 = new Uint32Array(this.num.buffer);
  refs: unknown[] = new Array(REFS * 4).fill(undefined);

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
    this.refs.copyWithin(0, from * REFS, this.length * REFS);
    this.length -= from;
    this.refs.fill(undefined, this.length * REFS);
  }

  push(entry: HistoryEntry, maxEvents: number, textEvents: number): void {
    const i = this.length;
    if ((i + 1) * SLOTS > this.num.length) this.grow(Math.min(Math.max(4, i * 2), Math.max(maxEvents, i + 1)));
    const b = i * SLOTS;
    this.num[b] = entry.at;
    this.num[b + 1] = entry.score;
    const packable = HEX16.test(entry.fingerprint) && (entry.shape === undefined || HEX16.test(entry.shape));
    let meta: unknown;
    if (packable) {
      this.u32[(b + 2) * 2] = parseInt(entry.fingerprint.slice(0, 8), 16);
      this.u32[(b + 2) * 2 + 1] = parseInt(entry.fingerprint.slice(8), 16);
      if (entry.shape !== undefined) {
        this.u32[(b + 3) * 2] = parseInt(entry.shape.slice(0, 8), 16);
        this.u32[(b + 3) * 2 + 1] = parseInt(entry.shape.slice(8), 16);
      }
      meta = entry.ruleIds.length === 0 && entry.shape !== undefined ? SHAPE_NO_RULES : new Meta(Object.freeze([...entry.ruleIds]), entry.shape !== undefined);
    } else {
      meta = Object.freeze({ ...entry, ruleIds: Object.freeze([...entry.ruleIds]) });
    }
    this.refs[i * REFS] = entry.tail;
    this.refs[i * REFS + 1] = meta;
    this.length = i + 1;
    // Only the newest `textEvents` entries take part in fragment matching: older text is released.
    if (this.length > textEvents) this.refs[(this.length - textEvents - 1) * REFS] = undefined;
  }

  /** Fresh entry objects from index `from` on (callers may keep them; they never change). */
  entries(from: number): HistoryEntry[] {
    const out: HistoryEntry[] = [];
    for (let i = from; i < this.length; i++) {
      const b = i * SLOTS;
      const tail = this.refs[i * REFS] as string | undefined;
      const meta = this.refs[i * REFS + 1];
      if (meta !== SHAPE_NO_RULES && !(meta instanceof Meta)) {
        const odd = meta as HistoryEntry;
        out.push(odd.tail === tail ? odd : withoutTail(odd));
        continue;
      }
      const m = meta as Meta;
      const e: { at: number; score: number; ruleIds: readonly string[]; fingerprint: string; shape?: string; tail?: string } = {
        at: this.num[b]!,
        score: this.num[b + 1]!,
        ruleIds: m.ruleIds,
        fingerprint: hex8(this.u32[(b + 2) * 2]!) + hex8(this.u32[(b + 2) * 2 + 1]!),
      };
      if (m.hasShape) e.shape = hex8(this.u32[(b + 3) * 2]!) + hex8(this.u32[(b + 3) * 2 + 1]!);
      if (tail !== undefined) e.tail = tail;
      out.push(e);
    }
    return out;
  }

  private grow(capacity: number): void {
    const num = new Float64Array(capacity * SLOTS);
    num.set(this.num);
    this.num = num;
    this.u32 = new Uint32Array(num.buffer);
    const refs = new Array(capacity * REFS).fill(undefined);
    for (let k = 0; k < this.length * REFS; k++) refs[k] = this.refs[k];
    this.refs = refs;
  }
}
const SLOTS = 4;
const REFS = 2;

/** Rule ids and whether a shape fingerprint is present, for a packed entry. */
class Meta {
  constructor(readonly ruleIds: readonly string[], readonly hasShape: boolean) {}
}
const SHAPE_NO_RULES = new Meta(NO_RULES, true);

function withoutTail(entry: HistoryEntry): HistoryEntry {
  const { tail: _tail, ...rest } = entry;
  return rest;
}

const hex8 = (n: number): string => n.toString(16).padStart(8, "0");

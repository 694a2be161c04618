// The HistoryStore interface: where the guard keeps each client's recent prompts.

/** One past prompt of a client, as the guard records it. */
export interface HistoryEntry {
  /** Epoch ms from the guard's injected clock. */
  readonly at: number;
  /** Aggregate score of the structure and pattern checks for that prompt. */
  readonly score: number;
  /** Rule ids that fired on that prompt. */
  readonly ruleIds: readonly string[];
  /** Hash of the normalised input, for repetition runs. */
  readonly fingerprint: string;
  /** Hash of the input with digits, punctuation and whitespace removed, for near-identical floods. */
  readonly shape?: string;
  /** Bounded normalised excerpt, for fragmentation; omitted when text retention is off. */
  readonly tail?: string;
}

/** Bounds the guard passes on every call; a store keeps at most `maxEvents` entries per key for `ttlMs`. */
export interface HistoryLimits {
  readonly maxEvents: number;
  readonly ttlMs: number;
  /**
   * Only the newest `textEvents` entries need their `tail` (fragment matching looks no further back);
   * a store may drop older tails to save memory. Absent: keep every tail.
   */
  readonly textEvents?: number;
  /**
   * Of those, only the newest non-empty tails that together fill `textChars` characters (counting one
   * separator each, the entry that crosses the limit included) need keeping; a store may drop older
   * tails. Absent: no character limit.
   */
  readonly textChars?: number;
}

/** A value or a promise of it: in-memory stores answer synchronously. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Per-client history. Keys are already hashed by the guard; raw client ids never reach a store.
 * Implement it to keep history anywhere (see the README's "Your own store").
 */
export interface HistoryStore {
  /** `local`: per process; `shared`: visible to every gateway instance. */
  readonly scope: "local" | "shared";
  /** Append atomically, trim to the limits, and return the window after the append (oldest first). */
  record(key: string, entry: HistoryEntry, limits: HistoryLimits): MaybePromise<readonly HistoryEntry[]>;
  /** The current window (oldest first), without changing it. */
  peek(key: string, limits: HistoryLimits): MaybePromise<readonly HistoryEntry[]>;
  /** Forget one client. */
  clear(key: string): MaybePromise<void>;
  /** Release resources (the Redis store does not close the client it was given). */
  close?(): MaybePromise<void>;
}

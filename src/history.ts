// The guard's side of client history: option checks, hashed keys, one store call per prompt, timeouts and outages.
import { BEHAVIOR_DEFAULTS, behaviorFindings, entryFor, JOIN_LENGTH, type BehaviorOptions } from "./checks/behavior.js";
import { ConfigError } from "./errors.js";
import { definedOnly, functionOption, numberInRange, objectOption, oneOf, positiveInteger, rejectUnknownKeys, toggle } from "./internal/options.js";
import { sha256Hex } from "./internal/sha256.js";
import type { RuleSet } from "./rules/load.js";
import { MemoryHistoryStore } from "./stores/memory.js";
import type { HistoryEntry, HistoryLimits, HistoryStore } from "./stores/types.js";
import type { GuardOptions } from "./guard.js";
import type { PreparedText } from "./text/normalize.js";
import type { Finding } from "./types.js";

/** How much of each client's history the guard keeps. */
export interface HistoryOptions {
  /**
   * Entries kept per client; at least the flood thresholds and `fragmentWindow + 1`.
   * @default 32
   */
  readonly maxEvents?: number;
  /**
   * How long (ms) a client's history lives after its last prompt.
   * @default 900_000 (15 minutes)
   */
  readonly ttlMs?: number;
  /**
   * Keep a bounded normalised excerpt (the last 160 characters) of each prompt, which fragmentation needs.
   * `false` stores fingerprints only: floods and probing still work, fragmentation is off.
   * @default true
   */
  readonly retainText?: boolean;
}

/** The history-related options of the guard (documented on {@link GuardOptions}). */
export type HistoryGuardOptions = Pick<GuardOptions, "behavior" | "history" | "store" | "storeTimeoutMs" | "onStoreError" | "now">;

interface Logger {
  warn(message: string, details?: Readonly<Record<string, unknown>>): void;
}

export const HISTORY_DEFAULTS = Object.freeze({ maxEvents: 32, ttlMs: 900_000, retainText: true, storeTimeoutMs: 50 });
const KNOWN_BEHAVIOR: { readonly [K in keyof Required<BehaviorOptions>]: true } = {
  fragmentWindow: true, windowMs: true, floodThreshold: true, nearFloodThreshold: true, probeThreshold: true,
};
const KNOWN_HISTORY: { readonly [K in keyof Required<HistoryOptions>]: true } = { maxEvents: true, ttlMs: true, retainText: true };
const DAY_MS = 86_400_000;

/** Everything {@link HistoryTracker} needs, resolved once at guard creation. */
interface HistorySettings {
  readonly store: HistoryStore | undefined;
  readonly limits: HistoryLimits;
  readonly behavior: Required<BehaviorOptions>;
  readonly retainText: boolean;
  readonly timeoutMs: number;
  readonly failClosed: boolean;
  readonly now: () => number;
  readonly logger: Logger;
  /** The guard's rules (for fragments) and flag threshold (for probing). */
  readonly rules: RuleSet;
  readonly flagAt: number;
}

/** Runs the behaviour check for prompts that carry a client id. Created once per guard. */
export class HistoryTracker {
  readonly #settings: HistorySettings;
  readonly #store: HistoryStore;
  #outage = false;

  constructor(settings: HistorySettings) {
    this.#settings = settings;
    this.#store = settings.store ?? new MemoryHistoryStore({ now: settings.now });
  }

  get store(): HistoryStore {
    return this.#store;
  }

  /**
   * Records this prompt under the hashed client id (one store call) and judges it against the
   * client's earlier prompts. A failing or slow store yields a `behavior.store-unavailable` finding.
   */
  async observe(clientId: string, prepared: PreparedText, statelessScore: number, ruleIds: readonly string[]): Promise<Finding[]> {
    const { limits, behavior, retainText, timeoutMs, failClosed, now, logger, rules, flagAt } = this.#settings;
    const entry = entryFor(prepared, now(), statelessScore, ruleIds, retainText);
    let window: readonly HistoryEntry[];
    try {
      window = await withTimeout(this.#store.record(clientKey(clientId), entry, limits), timeoutMs);
      if (!Array.isArray(window)) throw new TypeError(`store.record returned ${typeof window}, not an array of entries`);
    } catch (error) {
      if (!this.#outage) {
        this.#outage = true;
        logger.warn(`promptward: history store unavailable; behaviour checks are skipped (${failClosed ? "prompts with a client id are blocked" : "stateless checks still run"}) until it answers again`, { error });
      }
      return [storeUnavailable(error, failClosed)];
    }
    if (this.#outage) {
      this.#outage = false;
      logger.warn("promptward: history store available again");
    }
    return behaviorFindings(prepared, entry, before(window, entry), behavior, rules, flagAt, statelessScore);
  }

  /** Closes the store when the guard created it (a store you pass in stays yours to close). */
  async close(): Promise<void> {
    if (this.#settings.store === undefined) await this.#store.close?.();
  }
}

/**
 * Validates the history options once, at guard creation.
 * @returns null when behaviour checks are off (`behavior: false` or `history: false`).
 */
export function resolveHistory(o: HistoryGuardOptions, logger: Logger, rules: RuleSet, flagAt: number): HistoryTracker | null {
  const behaviorToggle = o.behavior === undefined ? true : toggle("behavior", o.behavior);
  const historyOff = o.history === false;
  if (o.history !== undefined && o.history !== false) objectOption("history", o.history);
  const off = behaviorToggle === false || historyOff;
  if (off) {
    const why = historyOff ? "history: false" : "behavior: false";
    if (o.store !== undefined) throw new ConfigError("OPTION_INVALID", "store", `"store" is set but behaviour checks are off (${why}); remove one of them`);
    return null;
  }
  const behavior = resolveBehavior(behaviorToggle);
  const h = definedOnly(o.history === undefined ? {} : (o.history as HistoryOptions));
  rejectUnknownKeys(h, KNOWN_HISTORY, "history.");
  const maxEvents = h.maxEvents === undefined ? HISTORY_DEFAULTS.maxEvents : positiveInteger("history.maxEvents", h.maxEvents, 2);
  const ttlMs = h.ttlMs === undefined ? HISTORY_DEFAULTS.ttlMs : positiveInteger("history.ttlMs", h.ttlMs);
  const retainText = h.retainText === undefined ? true : booleanOption("history.retainText", h.retainText);
  const needed = Math.max(behavior.floodThreshold, behavior.nearFloodThreshold, behavior.fragmentWindow + 1);
  if (maxEvents < needed) {
    throw new ConfigError("OPTION_INVALID", "history.maxEvents", `"history.maxEvents" (${maxEvents}) must be at least ${needed}: the flood thresholds and behavior.fragmentWindow + 1 need that many entries per client`);
  }
  if (!retainText) logger.warn("promptward: history.retainText is false, so fragmented instructions across prompts are not detected (floods and probing still are)");
  if (ttlMs > DAY_MS) logger.warn(`promptward: history.ttlMs is ${ttlMs} ms (more than a day); client history is meant to be short-lived`);
  if (ttlMs < behavior.windowMs) logger.warn(`promptward: history.ttlMs (${ttlMs}) is shorter than behavior.windowMs (${behavior.windowMs}); history older than ttlMs is gone before the window ends`);
  const store = o.store === undefined ? undefined : validateStore(o.store);
  const timeoutMs = o.storeTimeoutMs === undefined ? HISTORY_DEFAULTS.storeTimeoutMs : positiveInteger("storeTimeoutMs", o.storeTimeoutMs);
  const failClosed = (o.onStoreError === undefined ? "allow" : oneOf("onStoreError", o.onStoreError, ["allow", "block"] as const)) === "block";
  const now = o.now === undefined ? Date.now : functionOption<() => number>("now", o.now);
  return new HistoryTracker({ store, limits: { maxEvents, ttlMs, textEvents: behavior.fragmentWindow, textChars: JOIN_LENGTH }, behavior, retainText, timeoutMs, failClosed, now, logger, rules, flagAt });
}

function resolveBehavior(value: true | object): Required<BehaviorOptions> {
  if (value === true) return BEHAVIOR_DEFAULTS;
  const b = definedOnly(value as BehaviorOptions);
  rejectUnknownKeys(b, KNOWN_BEHAVIOR, "behavior.");
  return {
    fragmentWindow: b.fragmentWindow === undefined ? BEHAVIOR_DEFAULTS.fragmentWindow : positiveInteger("behavior.fragmentWindow", b.fragmentWindow),
    windowMs: b.windowMs === undefined ? BEHAVIOR_DEFAULTS.windowMs : positiveInteger("behavior.windowMs", b.windowMs),
    floodThreshold: b.floodThreshold === undefined ? BEHAVIOR_DEFAULTS.floodThreshold : positiveInteger("behavior.floodThreshold", b.floodThreshold, 2),
    nearFloodThreshold: b.nearFloodThreshold === undefined ? BEHAVIOR_DEFAULTS.nearFloodThreshold : positiveInteger("behavior.nearFloodThreshold", b.nearFloodThreshold, 2),
    probeThreshold: b.probeThreshold === undefined ? BEHAVIOR_DEFAULTS.probeThreshold : positiveInteger("behavior.probeThreshold", b.probeThreshold),
  };
}

function booleanOption(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new ConfigError("OPTION_INVALID", name, `"${name}" must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function validateStore(value: unknown): HistoryStore {
  const s = value as Partial<HistoryStore> | null;
  const missing = typeof s !== "object" || s === null ? ["record", "peek", "clear"] : (["record", "peek", "clear"] as const).filter((m) => typeof s[m] !== "function");
  if (missing.length > 0) throw new ConfigError("OPTION_INVALID", "store", `"store" must implement HistoryStore (record, peek, clear); missing ${missing.join(", ")}`);
  if (s!.scope !== "local" && s!.scope !== "shared") throw new ConfigError("OPTION_INVALID", "store", `"store.scope" must be "local" or "shared", got ${JSON.stringify(s!.scope)}`);
  return s as HistoryStore;
}

/** The store key of a client: 32 hex digits of SHA-256(clientId). Raw ids and tokens never reach a store. */
export function clientKey(clientId: string): string {
  return sha256Hex(encoder.encode(clientId), 32);
}
const encoder = new TextEncoder();

/** The entries recorded before `entry`: the window minus this prompt (other requests may have landed after it). */
function before(window: readonly HistoryEntry[], entry: HistoryEntry): readonly HistoryEntry[] {
  for (let i = window.length - 1; i >= 0; i--) {
    const e = window[i]!;
    if (e === entry || (e.at === entry.at && e.fingerprint === entry.fingerprint)) return window.slice(0, i);
  }
  return window;
}

/** Settles with `value`, or rejects after `ms` when it is a promise that has not settled. */
function withTimeout<T>(value: T | Promise<T>, ms: number): Promise<T> {
  if (typeof (value as { then?: unknown } | null)?.then !== "function") return Promise.resolve(value);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`history store did not answer within ${ms} ms`)), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  return Promise.race([value, timeout]).finally(() => clearTimeout(timer));
}

function storeUnavailable(error: unknown, failClosed: boolean): Finding {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    check: "behavior",
    ruleId: "behavior.store-unavailable",
    category: "availability",
    severity: failClosed ? "critical" : "low",
    message: `STORE_UNAVAILABLE: the history store failed (${reason.slice(0, 120)}); behaviour checks were skipped for this prompt${failClosed ? " and onStoreError is \"block\"" : ""}`,
  };
}

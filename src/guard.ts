// createGuard: validates options and compiles rules once, then runs the checks on each prompt.
import { patternFindings } from "./checks/patterns.js";
import { STRUCTURE_DEFAULTS, structureFindings, tooLong, type ResolvedStructureOptions } from "./checks/structure.js";
import type { BehaviorOptions } from "./checks/behavior.js";
import { ConfigError } from "./errors.js";
import { resolveHistory, type HistoryOptions } from "./history.js";
import { definedOnly, functionOption, numberInRange, objectOption, oneOf, positiveInteger, rejectUnknownKeys, toggle } from "./internal/options.js";
import { defaultRuleSet, loadRulePacks, RuleSet, type LoadRulePacksOptions } from "./rules/load.js";
import { DEFAULT_BLOCK_AT, DEFAULT_FLAG_AT, SEVERITY_SCORES, scoreFindings } from "./score.js";
import { decodePayloads } from "./text/decode.js";
import { prepareText } from "./text/normalize.js";
import type { HistoryStore } from "./stores/types.js";
import { buildViews } from "./text/views.js";
import type { Action, Finding, Verdict } from "./types.js";

/** Where the guard reports problems that must not break `check` (a throwing hook, a store outage). */
export interface Logger {
  warn(message: string, details?: Readonly<Record<string, unknown>>): void;
  error(message: string, details?: Readonly<Record<string, unknown>>): void;
}

/** What a prompt is checked as: plain text, or text with the client it came from. */
export type CheckInput = string | { readonly text: string; readonly clientId?: string };

/** Passed to `onVerdict` with each verdict. */
export interface VerdictContext {
  readonly text: string;
  readonly clientId?: string;
}

/** Options of the pattern check inside a guard. */
export interface GuardPatternOptions extends LoadRulePacksOptions {
  /** Precompiled rules (from `loadRulePacks`); when given, `builtins`, `packs` and `disable` must be left out. */
  readonly rules?: RuleSet;
}

/** Options of {@link createGuard}. Every option is checked once, when the guard is created. */
export interface GuardOptions {
  /**
   * The structure check: `true` (defaults), `false` (off) or its options.
   * @default true
   */
  readonly structure?: boolean | { readonly normalization?: "smart" | "strict" };
  /**
   * The pattern check: `true` (all built-in packs), `false` (off), or which packs to load.
   * @default true
   */
  readonly patterns?: boolean | GuardPatternOptions;
  /**
   * Score (0..1) from which a prompt is flagged.
   * @default 0.4
   */
  readonly flagAt?: number;
  /**
   * Score (0..1) from which a prompt is blocked; at least `flagAt`.
   * @default 0.75
   */
  readonly blockAt?: number;
  /**
   * `"enforce"` returns the action; `"monitor"` computes everything but never blocks
   * (`verdict.intendedAction` says what enforce mode would have done).
   * @default "enforce"
   */
  readonly mode?: "enforce" | "monitor";
  /**
   * Longest prompt analysed, in UTF-16 code units; longer ones get a critical
   * `structure.input.too-long` finding (they are blocked, never silently truncated).
   * @default 1_000_000
   */
  readonly maxLength?: number;
  /**
   * The behaviour check (fragmented instructions across prompts, floods, probing) for prompts that
   * carry a `clientId`: `true` (defaults), `false` (off) or its options. Prompts without a
   * `clientId` are judged alone and touch no history.
   * @default true
   */
  readonly behavior?: boolean | BehaviorOptions;
  /**
   * How much history is kept per client, or `false` to keep none (behaviour checks off).
   * @default { maxEvents: 32, ttlMs: 900_000, retainText: true }
   */
  readonly history?: false | HistoryOptions;
  /**
   * Where client history lives. Client ids are hashed (SHA-256) before they reach it.
   * @default a new MemoryHistoryStore (per process); use RedisHistoryStore from `promptward/redis` to share it between instances
   */
  readonly store?: HistoryStore;
  /**
   * How long (ms) `check` waits for the store before judging the prompt without history.
   * @default 50
   */
  readonly storeTimeoutMs?: number;
  /**
   * When the store fails or times out: `"allow"` runs the stateless checks and adds a low
   * `behavior.store-unavailable` finding; `"block"` fails closed (the finding is critical).
   * Either way `check` never rejects, and the logger gets one warning per outage.
   * @default "allow"
   */
  readonly onStoreError?: "allow" | "block";
  /**
   * Clock in epoch ms for history entries; inject one in tests.
   * @default Date.now
   */
  readonly now?: () => number;
  /** Called with every verdict, e.g. for an audit trail. A throwing hook never breaks `check`: its error goes to `logger`. */
  readonly onVerdict?: (verdict: Verdict, context: VerdictContext) => void;
  /**
   * Receives warnings and hook errors.
   * @default console
   */
  readonly logger?: Logger;
}

/** A compiled guard. Create one per process and reuse it. */
export interface Guard {
  /**
   * Checks one prompt. Never rejects for hostile input: a blocked prompt is a verdict.
   * @throws {TypeError} (as a rejected promise) only when `input` is not a string or `{ text: string }`.
   */
  check(input: CheckInput): Promise<Verdict>;
  /** The compiled rules (empty when the pattern check is off). */
  readonly rules: RuleSet;
  /** The history store, or `null` when behaviour checks are off. */
  readonly store: HistoryStore | null;
  /** Releases the history store if the guard created it (a store you passed in stays open). */
  close(): Promise<void>;
  /** The thresholds and mode in force. */
  readonly settings: { readonly flagAt: number; readonly blockAt: number; readonly mode: "enforce" | "monitor"; readonly maxLength: number };
}

const KNOWN: { readonly [K in keyof Required<GuardOptions>]: true } = {
  structure: true, patterns: true, flagAt: true, blockAt: true, mode: true, maxLength: true, onVerdict: true, logger: true,
  behavior: true, history: true, store: true, storeTimeoutMs: true, onStoreError: true, now: true,
};
const KNOWN_PATTERNS: { readonly [K in keyof Required<GuardPatternOptions>]: true } = { rules: true, builtins: true, packs: true, disable: true };
const EMPTY_RULES = new RuleSet([]);

/**
 * Creates a guard: validates options and compiles rule packs once; `check` then runs only precompiled work.
 * @example
 * const guard = createGuard({ mode: "monitor" });
 * const verdict = await guard.check({ text: prompt, clientId: apiKeyHash });
 * if (verdict.action === "block") return reject(verdict.findings);
 * @throws {ConfigError} for an unknown option (with a "did you mean" hint) or a wrong type or range.
 * @throws {RulePackError} for a bad rule pack.
 */
export function createGuard(options: GuardOptions = {}): Guard {
  const opts = definedOnly(objectOption("options", options) as GuardOptions);
  rejectUnknownKeys(opts, KNOWN);
  const flagAt = opts.flagAt === undefined ? DEFAULT_FLAG_AT : numberInRange("flagAt", opts.flagAt, 0, 1);
  const blockAt = opts.blockAt === undefined ? DEFAULT_BLOCK_AT : numberInRange("blockAt", opts.blockAt, 0, 1);
  if (blockAt < flagAt) throw new ConfigError("OPTION_INVALID", "blockAt", `"blockAt" (${blockAt}) must be at least "flagAt" (${flagAt})`);
  const mode = opts.mode === undefined ? "enforce" : oneOf("mode", opts.mode, ["enforce", "monitor"] as const);
  const maxLength = opts.maxLength === undefined ? STRUCTURE_DEFAULTS.maxLength : positiveInteger("maxLength", opts.maxLength);
  const onVerdict = opts.onVerdict === undefined ? undefined : functionOption<NonNullable<GuardOptions["onVerdict"]>>("onVerdict", opts.onVerdict);
  const logger = opts.logger === undefined ? console : validateLogger(opts.logger);
  const structure = resolveStructure(opts.structure, maxLength);
  const rules = resolvePatterns(opts.patterns).compile();
  const patternsOn = opts.patterns !== false;
  const history = resolveHistory(opts, logger, rules, flagAt);
  const settings = Object.freeze({ flagAt, blockAt, mode, maxLength });

  const check = async (input: CheckInput): Promise<Verdict> => {
    const started = performance.now();
    const { text, clientId } = readInput(input);
    const findings: Finding[] = [];
    let normalizedLength = 0;
    if (text.length > maxLength) {
      findings.push(tooLong(text, maxLength));
    } else {
      const prepared = prepareText(text);
      normalizedLength = prepared.folded.length;
      const payloads = decodePayloads(prepared);
      if (structure) findings.push(...structureFindings(prepared, payloads, structure));
      if (patternsOn) findings.push(...patternFindings(buildViews(prepared, payloads, rules.keywords), rules, text));
      if (history && clientId !== undefined) {
        const ruleIds = [...new Set(findings.map((f) => f.ruleId))];
        findings.push(...(await history.observe(clientId, prepared, scoreFindings(findings), ruleIds)));
      }
    }
    findings.sort(bySeverityThenPosition);
    const score = scoreFindings(findings);
    const intendedAction: Action = score >= blockAt ? "block" : score >= flagAt ? "flag" : "allow";
    const verdict: Verdict = {
      action: mode === "monitor" && intendedAction === "block" ? "flag" : intendedAction,
      intendedAction,
      score,
      findings,
      mode,
      textLength: text.length,
      normalizedLength,
      elapsedUs: Math.round((performance.now() - started) * 1000),
    };
    if (onVerdict) {
      try {
        onVerdict(verdict, clientId === undefined ? { text } : { text, clientId });
      } catch (error) {
        logger.error("promptward: onVerdict hook threw; the verdict was returned anyway", { error });
      }
    }
    return verdict;
  };
  return { check, rules, settings, store: history?.store ?? null, close: async () => history?.close() };
}

function readInput(input: CheckInput): { text: string; clientId?: string } {
  if (typeof input === "string") return { text: input };
  if (typeof input === "object" && input !== null && typeof input.text === "string") {
    if (input.clientId !== undefined && typeof input.clientId !== "string") throw new TypeError(`guard.check: "clientId" must be a string, got ${typeof input.clientId}`);
    return input.clientId === undefined ? { text: input.text } : { text: input.text, clientId: input.clientId };
  }
  throw new TypeError(`guard.check expects a string or { text: string, clientId?: string }, got ${input === null ? "null" : typeof input}`);
}

function resolveStructure(value: GuardOptions["structure"], maxLength: number): ResolvedStructureOptions | null {
  if (value === undefined) return { ...STRUCTURE_DEFAULTS, maxLength };
  const t = toggle("structure", value);
  if (t === false) return null;
  if (t === true) return { ...STRUCTURE_DEFAULTS, maxLength };
  const o = definedOnly(t as { normalization?: "smart" | "strict" });
  rejectUnknownKeys(o, { normalization: true }, "structure.");
  return { maxLength, normalization: o.normalization === undefined ? "smart" : oneOf("structure.normalization", o.normalization, ["smart", "strict"] as const) };
}

function resolvePatterns(value: GuardOptions["patterns"]): RuleSet {
  if (value === undefined || value === true) return defaultRuleSet();
  const t = toggle("patterns", value);
  if (t === false) return EMPTY_RULES;
  const o = definedOnly(t as GuardPatternOptions);
  rejectUnknownKeys(o, KNOWN_PATTERNS, "patterns.");
  if (o.rules !== undefined) {
    if (!(o.rules instanceof RuleSet)) throw new ConfigError("OPTION_INVALID", "patterns.rules", `"patterns.rules" must come from loadRulePacks(), got ${typeof o.rules}`);
    if (o.builtins !== undefined || o.packs !== undefined || o.disable !== undefined) throw new ConfigError("OPTION_INVALID", "patterns.rules", `"patterns.rules" is already compiled: pass builtins/packs/disable to loadRulePacks() instead`);
    return o.rules;
  }
  if (o.builtins !== undefined && o.builtins !== "all" && o.builtins !== "none" && !Array.isArray(o.builtins)) throw new ConfigError("OPTION_INVALID", "patterns.builtins", `"patterns.builtins" must be "all", "none" or a list of languages, got ${JSON.stringify(o.builtins)}`);
  if (o.packs !== undefined && !Array.isArray(o.packs)) throw new ConfigError("OPTION_INVALID", "patterns.packs", `"patterns.packs" must be an array of pack objects or file paths`);
  if (o.disable !== undefined && (!Array.isArray(o.disable) || o.disable.some((d) => typeof d !== "string"))) throw new ConfigError("OPTION_INVALID", "patterns.disable", `"patterns.disable" must be an array of rule ids or id prefixes ending in "."`);
  if (o.builtins === undefined && o.packs === undefined && o.disable === undefined) return defaultRuleSet();
  return loadRulePacks(o);
}

function validateLogger(value: unknown): Logger {
  const l = value as Partial<Logger> | null;
  if (typeof l !== "object" || l === null || typeof l.warn !== "function" || typeof l.error !== "function") {
    throw new ConfigError("OPTION_INVALID", "logger", `"logger" must have warn() and error() methods (console works), got ${typeof value}`);
  }
  return l as Logger;
}

function bySeverityThenPosition(a: Finding, b: Finding): number {
  return SEVERITY_SCORES[b.severity] - SEVERITY_SCORES[a.severity] || (a.span?.[0] ?? 0) - (b.span?.[0] ?? 0);
}

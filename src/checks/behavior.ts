// checkBehavior: what a client sent before. Instructions split across prompts, floods of (near-)identical prompts, probing.
import { excerpt } from "../internal/excerpt.js";
import { fingerprints } from "../internal/fingerprint.js";
import { defaultRuleSet, type CompiledRule, type RuleSet } from "../rules/load.js";
import { entryFound } from "../rules/keyword-index.js";
import { acceptedMatch, mayMatchIn, textBit, type AnchorPlaces } from "../rules/run.js";
import { DEFAULT_FLAG_AT, scoreFindings } from "../score.js";
import type { HistoryEntry } from "../stores/types.js";
import type { TextFeature } from "../text/features.js";
import { originalSpan, prepareText, type PreparedText } from "../text/normalize.js";
import type { CheckResult, Finding } from "../types.js";

/** Options of {@link checkBehavior}. */
export interface BehaviorOptions {
  /**
   * How many earlier prompts may take part in a fragmented instruction.
   * @default 8
   */
  readonly fragmentWindow?: number;
  /**
   * How far back (ms) earlier prompts may take part in a fragmented instruction, and count for probing.
   * @default 600_000 (10 minutes)
   */
  readonly windowMs?: number;
  /**
   * Identical prompts in a row (the current one included) from which a flood blocks.
   * @default 30
   */
  readonly floodThreshold?: number;
  /**
   * Near-identical prompts in a row (only digits, punctuation or whitespace differ) from which a flood blocks.
   * @default 30
   */
  readonly nearFloodThreshold?: number;
  /**
   * Earlier prompts within `windowMs` that were flagged or blocked, from which the client counts as probing.
   * @default 3
   */
  readonly probeThreshold?: number;
}

/** Defaults of {@link BehaviorOptions}. */
export const BEHAVIOR_DEFAULTS: Required<BehaviorOptions> = Object.freeze({
  fragmentWindow: 8,
  windowMs: 600_000,
  floodThreshold: 30,
  nearFloodThreshold: 30,
  probeThreshold: 3,
});

/** Longest normalised excerpt kept per prompt for fragmentation (the end of the prompt). */
export const TAIL_LENGTH = 160;
/** How much of the current prompt's start takes part in a cross-prompt match. */
const HEAD_LENGTH = 256;
/** Most characters of earlier prompts (their tails, newest first) joined with the current one. */
export const JOIN_LENGTH = 480;

/** The prompt being judged, as {@link checkBehavior} needs it. */
export interface BehaviorInput {
  readonly text: string;
  /** Epoch ms of this prompt (the guard's injected clock). */
  readonly now: number;
}

/** Extra inputs of {@link checkBehavior}. */
export interface CheckBehaviorOptions extends BehaviorOptions {
  /** Rules for fragment matching. @default all built-in packs */
  readonly rules?: RuleSet;
  /** Score from which an earlier prompt counts as flagged (for probing). @default 0.4 */
  readonly flagAt?: number;
  /** Score of the current prompt from the stateless checks (raises probing to high when > 0). @default 0 */
  readonly currentScore?: number;
}

/**
 * Looks at a client's recent history: an instruction split across prompts ("ignore" now,
 * "instructions" next), floods of identical or near-identical prompts, and a client that keeps
 * getting flagged. Pure and synchronous: history and time are passed in.
 * @example
 * const history = [{ at: 1000, score: 0, ruleIds: [], fingerprint: "x", tail: "please ignore all" }];
 * checkBehavior({ text: "previous instructions", now: 2000 }, history).findings[0].ruleId // "behavior.fragmentation"
 */
export function checkBehavior(current: BehaviorInput, history: readonly HistoryEntry[], options: CheckBehaviorOptions = {}): CheckResult {
  const { rules, flagAt, currentScore, ...rest } = options;
  const prepared = prepareText(current.text);
  const findings = behaviorFindings(prepared, entryFor(prepared, current.now, 0, [], true), history, {
    ...BEHAVIOR_DEFAULTS,
    ...rest,
  }, rules ?? defaultRuleSet(), flagAt ?? DEFAULT_FLAG_AT, currentScore ?? 0);
  return { findings, score: scoreFindings(findings) };
}

/** The history entry the guard records for a prompt. */
export function entryFor(prepared: PreparedText, at: number, score: number, ruleIds: readonly string[], retainText: boolean): HistoryEntry {
  const { fingerprint, shape } = fingerprints(prepared.folded);
  const base = { at, score, ruleIds, fingerprint, shape };
  return retainText ? { ...base, tail: detached(prepared.folded.slice(-TAIL_LENGTH)) } : base;
}

/**
 * A copy of `s` that does not keep its parent string alive: V8 represents a slice as a view of the
 * whole prompt, so a stored tail would otherwise pin the full normalised prompt in memory.
 */
function detached(s: string): string {
  const codes = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) codes[i] = s.charCodeAt(i);
  return String.fromCharCode.apply(null, codes as unknown as number[]);
}

/** Behaviour findings for the current prompt against the entries recorded before it (oldest first). */
export function behaviorFindings(
  prepared: PreparedText,
  current: HistoryEntry,
  history: readonly HistoryEntry[],
  options: Required<BehaviorOptions>,
  rules: RuleSet,
  flagAt: number,
  currentScore: number,
): Finding[] {
  const findings: Finding[] = [];
  flood(current, history, options, findings);
  const recent = history.filter((e) => e.at >= current.at - options.windowMs && e.at <= current.at);
  probing(recent, options, flagAt, currentScore, findings);
  fragmentation(prepared, recent.slice(-options.fragmentWindow), rules, findings);
  return findings;
}

function flood(current: HistoryEntry, history: readonly HistoryEntry[], options: Required<BehaviorOptions>, findings: Finding[]): void {
  let same = 1;
  while (same <= history.length && history[history.length - same]!.fingerprint === current.fingerprint) same++;
  if (same >= options.floodThreshold) {
    findings.push({ check: "behavior", ruleId: "behavior.flood.identical", category: "flood", severity: "high", message: `The same prompt ${same} times in a row (threshold ${options.floodThreshold})` });
    return;
  }
  if (current.shape === undefined) return;
  let near = 1;
  while (near <= history.length && history[history.length - near]!.shape === current.shape) near++;
  if (near >= options.nearFloodThreshold) {
    findings.push({ check: "behavior", ruleId: "behavior.flood.near-identical", category: "flood", severity: "high", message: `${near} prompts in a row that differ only in digits, punctuation or spacing (threshold ${options.nearFloodThreshold})` });
  }
}

function probing(recent: readonly HistoryEntry[], options: Required<BehaviorOptions>, flagAt: number, currentScore: number, findings: Finding[]): void {
  const flagged = recent.filter((e) => e.score >= flagAt).length;
  if (flagged < options.probeThreshold) return;
  findings.push({
    check: "behavior",
    ruleId: "behavior.probing",
    category: "probing",
    // A client that keeps getting flagged is watched (medium); a suspicious prompt from it is blocked (high).
    severity: currentScore > 0 ? "high" : "medium",
    message: `${flagged} of this client's ${recent.length} prompts in the last ${Math.round(options.windowMs / 60_000)} min were flagged or blocked`,
  });
}

/**
 * Joins the tails of recent prompts with the head of the current one and reports rule matches
 * that cross into the current prompt from an earlier one (a match inside one prompt is the pattern
 * check's). A benign prompt in between is tolerated: when the full join has candidate rules, the
 * joins that leave out one earlier prompt are tried too.
 */
function fragmentation(prepared: PreparedText, recent: readonly HistoryEntry[], rules: RuleSet, findings: Finding[]): void {
  // Tails longer than the guard writes (a store or caller of checkBehavior with its own entries) are cut,
  // so the work stays bounded whatever the history holds.
  const withText = recent
    .filter((e) => typeof e.tail === "string" && e.tail.length > 0)
    .map((e) => (e.tail!.length > TAIL_LENGTH ? { ...e, tail: e.tail!.slice(-TAIL_LENGTH) } : e));
  // The most recent prompts whose tails fit in JOIN_LENGTH: fragments are short, and the work stays bounded.
  let first = withText.length;
  for (let room = JOIN_LENGTH; first > 0 && room > 0; ) room -= withText[--first]!.tail!.length + 1;
  const parts = withText.slice(first);
  if (parts.length === 0 || prepared.folded.length === 0) return;
  const head = prepared.folded.slice(0, HEAD_LENGTH);
  const full = join(parts, head);
  // A benign prompt in between is tolerated: variants that leave out one earlier prompt are tried
  // too, for the rules with a keyword in the current prompt (the rest only on the full join).
  const variants = [full];
  if (parts.length > 1) for (let skip = 0; skip < parts.length; skip++) variants.push(join(parts.filter((_, i) => i !== skip), head));
  // Every variant is scanned (one bit each): a required literal can span a join that only a variant has.
  const hits = rules.scratch;
  try {
    const places = variants.map((variant, v) => rules.locate(variant.text, hits, textBit(v)));
    const features = variants.map(() => new Map<TextFeature, boolean>());
    const candidates = rules.candidates(hits);
    if (candidates.length === 0) return;
    rules.keywords.scan(head, hits, HEAD_BIT);
    const reported = new Set<CompiledRule>();
    for (const rule of candidates) {
      if (reported.size >= 5) break;
      if (isShapeRule(rule)) continue;
      const tries = rule.keywordEntries.some((entry) => entryFound(entry, hits.found, HEAD_BIT)) ? variants.length : 1;
      for (let t = 0; t < tries; t++) {
        const variant = variants[t]!;
        if (!mayMatchIn(rule, hits.found, textBit(t), variant.text, features[t]!)) continue;
        const hit = crossingMatch(rule, variant, places[t]!);
        if (!hit) continue;
        reported.add(rule);
        const used = variant.parts.slice(hit.first);
        findings.push({
          check: "behavior",
          ruleId: "behavior.fragmentation",
          category: rule.category,
          severity: rule.severity,
          message: `"${rule.title}" (${rule.id}) matches across ${used.length + 1} prompts (earlier ones at ${used.map((e) => new Date(e.at).toISOString()).join(", ")}): ${excerpt(hit.text, 80)}`,
          span: originalSpan(prepared, 0, hit.endInCurrent),
        });
        break;
      }
    }
  } finally {
    hits.clear();
  }
}

/**
 * Whether fragment matching leaves the rule out: a repetition or obfuscation rule that requires no
 * particular string (neither inside nor at the start of a match), only a shape of text (any word
 * many times in a row, letters joined by odd separators, upside-down or small-capital letters).
 * Such shapes are judged per prompt: a word sent once per prompt is no instruction (identical
 * prompts are the flood detector's job), and these rules search every position. Rules about words
 * ("ignore ignore ignore", "erongi", fenced "NEW INSTRUCTIONS") still take part.
 */
function isShapeRule(rule: CompiledRule): boolean {
  return (rule.category === "repetition" || rule.category === "obfuscation") && rule.derivedEntries === 0 && rule.anchors === null;
}

/**
 * The bit of the current prompt's head in the hit set; the variants use the low bits (past 30 variants
 * they share bits with it, which only makes the checks more conservative: the head is in every variant).
 */
const HEAD_BIT = 1 << 30;

interface Joined {
  readonly text: string;
  readonly parts: readonly HistoryEntry[];
  /** Where each part starts in `text`. */
  readonly starts: readonly number[];
  /** Where the current prompt's head starts in `text`. */
  readonly currentStart: number;
}

function join(parts: readonly HistoryEntry[], head: string): Joined {
  const starts: number[] = [];
  let text = "";
  for (const e of parts) {
    starts.push(text.length);
    text += `${e.tail!} `;
  }
  return { text: text + head, parts, starts, currentStart: text.length };
}

/** The first match that begins in an earlier prompt and reaches into the current one. */
function crossingMatch(rule: CompiledRule, joined: Joined, places: AnchorPlaces): { first: number; text: string; endInCurrent: number } | null {
  const m = acceptedMatch(rule, joined.text, places, joined.currentStart, (found) => found.index + found[0].length > joined.currentStart);
  if (m === null) return null;
  let first = joined.starts.length - 1;
  while (first > 0 && joined.starts[first]! > m.index) first--;
  return { first, text: m[0], endInCurrent: m.index + m[0].length - joined.currentStart };
}

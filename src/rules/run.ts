// Runs one compiled rule over a text: at the places where its required prefixes occur, or by a search.
import { hasFeatures, type TextFeature } from "../text/features.js";
import { entryFound, type Places } from "./keyword-index.js";
import type { CompiledRule } from "./load.js";

/** Where each anchor keyword occurs in one text, from {@link RuleSet.locate}. */
export type AnchorPlaces = Places;

/**
 * The rule's first match in `text` that starts at or after `from`: the same match a search from
 * `from` would give. An anchored rule is tried with its sticky matcher only where one of the strings
 * every match starts with occurs (in order, so the first success is the leftmost match); any other
 * rule is searched with its global matcher.
 */
export function firstMatch(rule: CompiledRule, text: string, places: AnchorPlaces, from = 0): RegExpExecArray | null {
  if (rule.anchors === null) {
    rule.matcher.lastIndex = from;
    return rule.matcher.exec(text);
  }
  return atPlaces(rule, text, placesOf(rule.anchors, places, from), Infinity, () => true);
}

/**
 * The first of the rule's successive matches (each found from the code point after the previous
 * one's start, as {@link firstMatch} from there would) that starts before `before` and that `accept`
 * takes, or null. An anchored rule's places are collected once for the whole walk.
 */
export function acceptedMatch(rule: CompiledRule, text: string, places: AnchorPlaces, before: number, accept: (m: RegExpExecArray) => boolean): RegExpExecArray | null {
  if (rule.anchors !== null) return atPlaces(rule, text, placesOf(rule.anchors, places, 0), before, accept);
  let m: RegExpExecArray | null;
  for (let from = 0; (m = firstMatch(rule, text, places, from)) !== null && m.index < before; from = nextFrom(text, m.index)) {
    if (accept(m)) return m;
  }
  return null;
}

/** Tries an anchored rule's sticky matcher at each of `starts` (ascending) below `before`; the first accepted match. */
function atPlaces(rule: CompiledRule, text: string, starts: readonly number[], before: number, accept: (m: RegExpExecArray) => boolean): RegExpExecArray | null {
  const matcher = rule.matcher;
  for (let k = 0; k < starts.length && starts[k]! < before; k++) {
    if (k > 0 && starts[k] === starts[k - 1]) continue;
    matcher.lastIndex = starts[k]!;
    const m = matcher.exec(text);
    if (m && accept(m)) return m;
  }
  return null;
}

/** The sorted start offsets (at or after `from`) of the given anchor keywords; may hold duplicates. */
function placesOf(anchors: readonly number[], places: AnchorPlaces, from: number): number[] {
  const out: number[] = [];
  for (const id of anchors) places.collect(id, from, out);
  if (out.length > 1) {
    if (anchors.length === 1) out.reverse(); // one list, newest first
    else out.sort((a, b) => a - b);
  }
  return out;
}

/** The bit of the `i`-th scanned text in {@link KeywordHits.found} (texts past the 31st share the last bit). */
export function textBit(i: number): number {
  return i < 31 ? 1 << i : 1 << 31;
}

/**
 * Whether the rule can match in one scanned text (bit `bit` in `found`): every keyword entry derived
 * from its pattern occurs there, and the text has the features its keywords require (answers kept
 * in `features`, one cache per text).
 */
export function mayMatchIn(rule: CompiledRule, found: Uint32Array, bit: number, text: string, features: Map<TextFeature, boolean>): boolean {
  for (let e = 0; e < rule.derivedEntries; e++) if (!entryFound(rule.keywordEntries[e]!, found, bit)) return false;
  return rule.features.length === 0 || hasFeatures(rule.features, text, features);
}

/**
 * Where to search for the next match after one that starts at `index`: the next code point. With the
 * `u` flag, a search from inside a surrogate pair starts at the pair, so `index + 1` after a match
 * that starts with an astral character (an emoji) would find the same match forever.
 */
export function nextFrom(text: string, index: number): number {
  const c = text.charCodeAt(index);
  const d = text.charCodeAt(index + 1);
  return c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? index + 2 : index + 1;
}

// checkPatterns: runs the compiled rule packs over the folded, compact and decoded views of a prompt.
import { excerpt } from "../internal/excerpt.js";
import { defaultRuleSet, type CompiledRule, type RuleSet } from "../rules/load.js";
import { firstMatch, mayMatchIn, textBit } from "../rules/run.js";
import { scoreFindings } from "../score.js";
import { decodePayloads } from "../text/decode.js";
import { prepareText } from "../text/normalize.js";
import type { TextFeature } from "../text/features.js";
import { VIEW_NOTES, buildViews, type MatchView } from "../text/views.js";
import type { CheckResult, Finding } from "../types.js";

/** Options of {@link checkPatterns}. */
export interface PatternOptions {
  /**
   * The rules to run, from {@link loadRulePacks}.
   * @default all built-in packs
   */
  readonly rules?: RuleSet;
}

/**
 * Runs multilingual rule packs over a prompt: on the folded text (case, NFKC, invisible characters,
 * look-alike letters), on a compact view (letter spacing, inner punctuation, leetspeak undone) and
 * on text decoded from base64, hex or Unicode tag characters. Spans point into `text`. Pure; never
 * throws on any string.
 * @example checkPatterns("Please IGNORE all previous instructions").findings[0].category // "instruction_override"
 */
export function checkPatterns(text: string, options: PatternOptions = {}): CheckResult {
  const prepared = prepareText(text);
  const rules = options.rules ?? defaultRuleSet();
  const findings = patternFindings(buildViews(prepared, decodePayloads(prepared), rules.keywords), rules, text);
  return { findings, score: scoreFindings(findings) };
}

/** One rule match in one view. */
export interface RuleMatch {
  readonly rule: CompiledRule;
  readonly view: MatchView;
  readonly index: number;
  readonly length: number;
}

/** Matches of the candidate rules in each view: at most one per rule (the first view that matches wins). */
export function matchRules(views: readonly MatchView[], rules: RuleSet): RuleMatch[] {
  // One bit per view (views past the 31st share the last bit, which only means they are never skipped).
  const hits = rules.scratch;
  try {
    const places = views.map((view, v) => rules.locate(view.text, hits, textBit(v)));
    const features = views.map(() => new Map<TextFeature, boolean>());
    const matches: RuleMatch[] = [];
    for (const rule of rules.candidates(hits)) {
      for (let v = 0; v < views.length; v++) {
        const view = views[v]!;
        if (!mayMatchIn(rule, hits.found, textBit(v), view.text, features[v]!)) continue;
        const m = firstMatch(rule, view.text, places[v]!);
        if (m) {
          matches.push({ rule, view, index: m.index, length: m[0].length });
          break;
        }
      }
    }
    return matches;
  } finally {
    hits.clear();
  }
}

/** Pattern findings for prepared views (the guard calls this with views it already built). */
export function patternFindings(views: readonly MatchView[], rules: RuleSet, original: string): Finding[] {
  return matchRules(views, rules).map(({ rule, view, index, length }) => {
    const span = view.span(index, index + Math.max(length, 1));
    return {
      check: "patterns",
      ruleId: rule.id,
      category: rule.category,
      severity: rule.severity,
      message: `${rule.title}: ${excerpt(original.slice(span[0], span[1]))}${VIEW_NOTES[view.kind]}`,
      span,
    } satisfies Finding;
  });
}

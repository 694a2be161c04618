// Severity -> score mapping and how findings combine: the one place that decides both.
import type { Finding, Severity } from "./types.js";

/**
 * The score each severity contributes. Findings combine like independent evidence
 * (`1 - product(1 - s)`), counting each rule id once, so one `high` blocks at the default
 * thresholds, one `medium` flags, and a `low` alone does not flag.
 */
export const SEVERITY_SCORES: Readonly<Record<Severity, number>> = Object.freeze({
  low: 0.2,
  medium: 0.45,
  high: 0.8,
  critical: 0.97,
});

/** Default score from which a prompt is flagged. */
export const DEFAULT_FLAG_AT = 0.4;
/** Default score from which a prompt is blocked. */
export const DEFAULT_BLOCK_AT = 0.75;

/**
 * Aggregate score of a set of findings, 0..1.
 * @example scoreFindings([{ severity: "medium", ruleId: "a" }, { severity: "medium", ruleId: "b" }]) // 0.6975
 */
export function scoreFindings(findings: readonly Pick<Finding, "severity" | "ruleId">[]): number {
  if (findings.length === 0) return 0;
  const best = new Map<string, number>();
  for (const f of findings) {
    const s = SEVERITY_SCORES[f.severity];
    if ((best.get(f.ruleId) ?? 0) < s) best.set(f.ruleId, s);
  }
  let keep = 1;
  for (const s of best.values()) keep *= 1 - s;
  return Math.round((1 - keep) * 10_000) / 10_000;
}

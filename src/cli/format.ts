// Human-readable rendering of verdicts for terminals.
import type { Verdict } from "../types.js";

const COLORS = { allow: "\u001b[32m", flag: "\u001b[33m", block: "\u001b[31m", reset: "\u001b[0m" } as const;

/** One verdict as a few readable lines. */
export function formatVerdict(verdict: Verdict, color: boolean, label?: string): string {
  const action = verdict.mode === "monitor" && verdict.intendedAction !== verdict.action ? `${verdict.action} (would ${verdict.intendedAction})` : verdict.action;
  const paint = (s: string): string => (color ? `${COLORS[verdict.intendedAction]}${s}${COLORS.reset}` : s);
  const head = `${label ? `${label}  ` : ""}${paint(action.toUpperCase().padEnd(5))}  score ${verdict.score.toFixed(2)}  ${verdict.findings.length} finding${verdict.findings.length === 1 ? "" : "s"}  ${verdict.elapsedUs} us`;
  const lines = verdict.findings.map((f) => `  - ${f.severity.padEnd(8)} ${f.ruleId}${f.span ? ` [${f.span[0]}, ${f.span[1]})` : ""}\n    ${f.message}`);
  return [head, ...lines].join("\n");
}

/** A fixed-width table: one row per entry. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join("  ")).join("\n");
}

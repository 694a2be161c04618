// `promptward eval`: recall on attacks and false-positive rate on benign lines of labelled JSONL files.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Guard } from "../guard.js";
import { table } from "./format.js";
import type { Io } from "./scan.js";

/** Confusion counts for one group of lines. */
export interface EvalCounts {
  attacks: number;
  /** Attacks flagged or blocked. */
  detected: number;
  /** Attacks blocked. */
  blocked: number;
  benign: number;
  /** Benign lines flagged or blocked. */
  falseAlarms: number;
  /** Benign lines blocked. */
  falseBlocks: number;
}

/** The report for one file. */
export interface FileReport {
  readonly file: string;
  readonly total: EvalCounts;
  readonly byCategory: Record<string, EvalCounts>;
  readonly byLanguage: Record<string, EvalCounts>;
  /** Attacks with the lowest scores (first 80 characters). */
  readonly worstMisses: { score: number; text: string }[];
  /** Benign lines with the highest scores (first 80 characters) and the rules that fired. */
  readonly worstFalseAlarms: { score: number; text: string; rules: string[] }[];
  readonly errors: { line: number; error: string }[];
}

const empty = (): EvalCounts => ({ attacks: 0, detected: 0, blocked: 0, benign: 0, falseAlarms: 0, falseBlocks: 0 });

/** Evaluates a guard on labelled JSONL files (`{"text", "label": "attack"|"benign", "lang"?, "category"?}` per line). */
export async function evaluate(guard: Guard, files: readonly string[], io: Io, json: boolean, worst = 5): Promise<number> {
  const reports: FileReport[] = [];
  let failed = false;
  for (const file of files) {
    let content: string;
    try {
      content = readFileSync(file, "utf8");
    } catch (e) {
      io.err(`promptward eval: cannot read ${JSON.stringify(file)}: ${(e as Error).message}`);
      failed = true;
      continue;
    }
    const report: FileReport = { file, total: empty(), byCategory: {}, byLanguage: {}, worstMisses: [], worstFalseAlarms: [], errors: [] };
    const lines = content.split(/\r?\n/);
    for (let n = 0; n < lines.length; n++) {
      if (n % 500 === 0) io.progress?.(`${basename(file)}: line ${n} of ${lines.length}`);
      const line = lines[n]!.trim();
      if (!line) continue;
      let row: { text?: unknown; label?: unknown; lang?: unknown; category?: unknown };
      try {
        row = JSON.parse(line);
      } catch (e) {
        report.errors.push({ line: n + 1, error: `not valid JSON (${(e as Error).message})` });
        continue;
      }
      if (typeof row?.text !== "string" || (row.label !== "attack" && row.label !== "benign")) {
        report.errors.push({ line: n + 1, error: `expected {"text": string, "label": "attack"|"benign"}` });
        continue;
      }
      const verdict = await guard.check(row.text);
      const hit = verdict.intendedAction !== "allow";
      const block = verdict.intendedAction === "block";
      const groups = [report.total, (report.byCategory[String(row.category ?? "-")] ??= empty()), (report.byLanguage[String(row.lang ?? "-")] ??= empty())];
      const preview = row.text.replace(/\s+/g, " ").slice(0, 80);
      for (const g of groups) {
        if (row.label === "attack") { g.attacks++; if (hit) g.detected++; if (block) g.blocked++; }
        else { g.benign++; if (hit) g.falseAlarms++; if (block) g.falseBlocks++; }
      }
      if (row.label === "attack" && !hit) keep(report.worstMisses, { score: verdict.score, text: preview }, worst, (a, b) => a.score - b.score);
      if (row.label === "benign" && hit) keep(report.worstFalseAlarms, { score: verdict.score, text: preview, rules: [...new Set(verdict.findings.map((f) => f.ruleId))] }, worst, (a, b) => b.score - a.score);
    }
    io.progress?.("");
    for (const e of report.errors) io.err(`promptward eval: ${file}:${e.line}: ${e.error}; skipped`);
    reports.push(report);
  }
  if (json) io.out(JSON.stringify(reports, null, 2));
  else for (const r of reports) io.out(render(r));
  return failed || reports.some((r) => r.errors.length > 0) ? 2 : 0;
}

function keep<T>(list: T[], item: T, max: number, order: (a: T, b: T) => number): void {
  list.push(item);
  list.sort(order);
  if (list.length > max) list.length = max;
}

const pct = (a: number, b: number): string => (b === 0 ? "-" : `${((100 * a) / b).toFixed(1)}%`);

function render(r: FileReport): string {
  const rows: string[][] = [["group", "attacks", "recall", "recall(block)", "benign", "FPR", "FPR(block)"]];
  const add = (name: string, c: EvalCounts): void => {
    rows.push([name, String(c.attacks), pct(c.detected, c.attacks), pct(c.blocked, c.attacks), String(c.benign), pct(c.falseAlarms, c.benign), pct(c.falseBlocks, c.benign)]);
  };
  add("all", r.total);
  for (const [k, c] of Object.entries(r.byCategory).sort()) add(`category:${k}`, c);
  for (const [k, c] of Object.entries(r.byLanguage).sort()) add(`lang:${k}`, c);
  const t = r.total;
  const parts = [
    `== ${r.file}`,
    table(rows),
    `confusion: TP ${t.detected}  FN ${t.attacks - t.detected}  FP ${t.falseAlarms}  TN ${t.benign - t.falseAlarms}`,
  ];
  if (r.worstMisses.length) parts.push(`worst misses:\n${r.worstMisses.map((m) => `  ${m.score.toFixed(2)}  ${m.text}`).join("\n")}`);
  if (r.worstFalseAlarms.length) parts.push(`worst false alarms:\n${r.worstFalseAlarms.map((m) => `  ${m.score.toFixed(2)}  ${m.text}  <- ${m.rules.join(", ")}`).join("\n")}`);
  return `${parts.join("\n")}\n`;
}

// `promptward eval --sessions`: replays multi-prompt sessions through a fresh guard each and reports detection per category.
import { readFileSync } from "node:fs";
import type { Guard } from "../guard.js";
import { table } from "./format.js";
import type { Io } from "./scan.js";

/** Time between two prompts of a replayed session (the guard's clock is simulated, so replay is instant). */
export const SESSION_STEP_MS = 20_000;

/** Detection figures for one category of sessions. */
export interface SessionCounts {
  sessions: number;
  /** Attack sessions with a prompt flagged or blocked; for benign sessions, the false alarms. */
  detected: number;
  /** Sum over detected sessions of the 1-based index of the first flagged prompt. */
  promptsUntilDetection: number;
}

/** The report for one sessions file. */
export interface SessionReport {
  readonly file: string;
  readonly attack: Record<string, SessionCounts>;
  readonly benign: Record<string, SessionCounts>;
  readonly missed: string[];
  readonly falseAlarms: { id: string; prompt: number; rules: string[] }[];
  readonly errors: { line: number; error: string }[];
}

/**
 * Replays each session (`{"id", "client", "prompts": [...], "label", "category"}` per line) in order
 * through a fresh guard (memory history, a simulated clock 20 s per prompt). A session counts as
 * detected when any prompt is flagged or blocked.
 * @param makeGuard builds a fresh guard on the given clock.
 */
export async function evaluateSessions(makeGuard: (now: () => number) => Guard, file: string, io: Io, json: boolean): Promise<number> {
  let content: string;
  try {
    content = readFileSync(file, "utf8");
  } catch (e) {
    io.err(`promptward eval: cannot read ${JSON.stringify(file)}: ${(e as Error).message}`);
    return 2;
  }
  const report: SessionReport = { file, attack: {}, benign: {}, missed: [], falseAlarms: [], errors: [] };
  const lines = content.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (!line) continue;
    const session = parseSession(line);
    if (typeof session === "string") {
      report.errors.push({ line: n + 1, error: session });
      continue;
    }
    let t = Date.UTC(2026, 0, 1);
    const guard = makeGuard(() => t);
    let first = 0;
    let rules: string[] = [];
    for (let i = 0; i < session.prompts.length; i++) {
      t += SESSION_STEP_MS;
      const v = await guard.check({ text: session.prompts[i]!, clientId: session.client });
      if (v.intendedAction !== "allow" && first === 0) {
        first = i + 1;
        rules = [...new Set(v.findings.map((f) => f.ruleId))];
      }
    }
    await guard.close();
    const byCategory = session.label === "attack" ? report.attack : report.benign;
    const c = (byCategory[session.category] ??= { sessions: 0, detected: 0, promptsUntilDetection: 0 });
    c.sessions++;
    if (first > 0) {
      c.detected++;
      c.promptsUntilDetection += first;
      if (session.label === "benign") report.falseAlarms.push({ id: session.id, prompt: first, rules });
    } else if (session.label === "attack") report.missed.push(session.id);
  }
  for (const e of report.errors) io.err(`promptward eval: ${file}:${e.line}: ${e.error}; skipped`);
  io.out(json ? JSON.stringify(report, null, 2) : render(report));
  return report.errors.length > 0 ? 2 : 0;
}

interface Session {
  id: string;
  client: string;
  prompts: string[];
  label: "attack" | "benign";
  category: string;
}

function parseSession(line: string): Session | string {
  let row: Partial<Record<keyof Session, unknown>>;
  try {
    row = JSON.parse(line);
  } catch (e) {
    return `not valid JSON (${(e as Error).message})`;
  }
  if (typeof row !== "object" || row === null) return "expected an object";
  const { id, client, prompts, label, category } = row;
  if (!Array.isArray(prompts) || prompts.length === 0 || prompts.some((p) => typeof p !== "string")) return `"prompts" must be a non-empty array of strings`;
  if (label !== "attack" && label !== "benign") return `"label" must be "attack" or "benign"`;
  return {
    id: typeof id === "string" ? id : String(id ?? "?"),
    client: typeof client === "string" ? client : "session",
    prompts: prompts as string[],
    label,
    category: typeof category === "string" ? category : "-",
  };
}

const pct = (a: number, b: number): string => (b === 0 ? "-" : `${((100 * a) / b).toFixed(1)}%`);

function render(r: SessionReport): string {
  const rows: string[][] = [["label", "category", "sessions", "detected", "rate", "prompts until detection"]];
  const add = (label: string, all: Record<string, SessionCounts>): void => {
    for (const [k, c] of Object.entries(all).sort()) {
      rows.push([label, k, String(c.sessions), String(c.detected), pct(c.detected, c.sessions), c.detected ? (c.promptsUntilDetection / c.detected).toFixed(1) : "-"]);
    }
  };
  add("attack", r.attack);
  add("benign", r.benign);
  const parts = [`== ${r.file} (sessions)`, table(rows)];
  if (r.missed.length) parts.push(`missed attack sessions: ${r.missed.join(", ")}`);
  if (r.falseAlarms.length) parts.push(`benign sessions flagged:\n${r.falseAlarms.map((f) => `  ${f.id} at prompt ${f.prompt} <- ${f.rules.join(", ")}`).join("\n")}`);
  return `${parts.join("\n")}\n`;
}

// `promptward scan`: check a text, stdin, a text file or a JSONL file and print verdicts.
import { existsSync, readFileSync } from "node:fs";
import type { Guard } from "../guard.js";
import type { Action, Verdict } from "../types.js";
import { formatVerdict, table } from "./format.js";

/** What a scan run needs from the command line. */
export interface ScanArgs {
  readonly inputs: readonly string[];
  readonly json: boolean;
  readonly jsonl: boolean;
  readonly failOn?: Action;
}

/** Output streams, injectable for tests. */
export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly stdin: () => string;
  readonly tty: boolean;
  /** Progress for long runs (a carriage-return line on an interactive stderr); absent: no progress. */
  readonly progress?: (line: string) => void;
}

const RANK: Record<Action, number> = { allow: 0, flag: 1, block: 2 };

/** Runs a scan; returns the process exit code (0 ok, 1 a verdict reached --fail-on, 2 bad input). */
export async function scan(guard: Guard, args: ScanArgs, io: Io): Promise<number> {
  const source = args.inputs.length === 1 ? args.inputs[0]! : undefined;
  let text: string;
  let jsonl = args.jsonl;
  if (source === "-") {
    text = io.stdin();
  } else if (source !== undefined && existsSync(source)) {
    try {
      text = readFileSync(source, "utf8");
    } catch (e) {
      io.err(`promptward scan: cannot read ${JSON.stringify(source)}: ${(e as Error).message}`);
      return 2;
    }
    jsonl ||= source.endsWith(".jsonl") || source.endsWith(".ndjson");
  } else if (args.inputs.length > 0) {
    if (source !== undefined && /\.(jsonl|ndjson|txt|json)$/.test(source)) {
      io.err(`promptward scan: no such file ${JSON.stringify(source)} (to scan that literal text, pass it through stdin: echo '...' | promptward scan -)`);
      return 2;
    }
    text = args.inputs.join(" ");
  } else {
    io.err("promptward scan: nothing to scan; give a text, '-' for stdin, or a .jsonl file (see --help)");
    return 2;
  }
  const human = io.tty && !args.json;
  let worst: Action = "allow";
  if (!jsonl) {
    const verdict = await guard.check(text);
    worst = verdict.intendedAction;
    io.out(human ? formatVerdict(verdict, !process.env.NO_COLOR) : JSON.stringify(verdict));
    return exitCode(worst, args.failOn, false);
  }
  let bad = false;
  const rows: string[][] = [["line", "id", "action", "score", "rules"]];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === "") continue;
    const parsed = parseLine(line);
    if (typeof parsed === "string") {
      bad = true;
      io.err(`promptward scan: line ${n + 1}: ${parsed}; skipped, the other lines are still scanned`);
      if (!human) io.out(JSON.stringify({ line: n + 1, error: parsed }));
      else rows.push([String(n + 1), "-", "ERROR", "-", parsed]);
      continue;
    }
    const verdict: Verdict = await guard.check(parsed.text);
    if (RANK[verdict.intendedAction] > RANK[worst]) worst = verdict.intendedAction;
    if (human) rows.push([String(n + 1), parsed.id === undefined ? "-" : String(parsed.id), verdict.action, verdict.score.toFixed(2), [...new Set(verdict.findings.map((f) => f.ruleId))].join(", ")]);
    else io.out(JSON.stringify({ line: n + 1, ...(parsed.id === undefined ? {} : { id: parsed.id }), ...verdict }));
  }
  if (human) io.out(table(rows));
  return exitCode(worst, args.failOn, bad);
}

function parseLine(line: string): { text: string; id?: unknown } | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return `not valid JSON (${(e as Error).message})`;
  }
  if (typeof value !== "object" || value === null || typeof (value as { text?: unknown }).text !== "string") return `expected an object with a "text" string`;
  const { text, id } = value as { text: string; id?: unknown };
  return id === undefined ? { text } : { text, id };
}

function exitCode(worst: Action, failOn: Action | undefined, bad: boolean): number {
  if (failOn && RANK[worst] >= RANK[failOn]) return 1;
  return bad ? 2 : 0;
}

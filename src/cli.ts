// The promptward command: scan prompts, evaluate on labelled corpora, verify rule packs.
import { readFileSync } from "node:fs";
import { evaluate } from "./cli/eval.js";
import { evaluateSessions } from "./cli/eval-sessions.js";
import { scan, type Io } from "./cli/scan.js";
import { createGuard, type GuardOptions } from "./guard.js";
import { isPromptSecurityError } from "./errors.js";
import { readPackFile } from "./rules/load.js";
import { verifyRulePack } from "./rules/verify.js";
import type { Action } from "./types.js";
import { VERSION } from "./version.js";

const HELP = `promptward ${VERSION}: prompt-security checks for LLM gateways

Usage:
  promptward scan <text...>           check a text, print the verdict
  promptward scan -                   check standard input as one text
  promptward scan <file>              check a text file, or a .jsonl file ({"text", "id"?} per line)
  promptward eval <files.jsonl...>    recall and false-positive rate on labelled lines
                                      ({"text", "label": "attack"|"benign", "lang"?, "category"?})
  promptward eval --sessions <file>   replay multi-prompt sessions, one fresh guard each
                                      ({"id", "client", "prompts": [...], "label", "category"})
  promptward rules verify <files...>  verify rule pack files (schema, examples, keywords, time budget)

Options:
  --json             JSON output (the default when stdout is not a terminal)
  --jsonl            treat standard input as JSONL
  --fail-on <level>  scan: exit 1 when any prompt is at least "flag" or "block"
  --mode monitor     never block (verdicts say what would have happened)
  --pack <file>      also load this rule pack (repeatable)
  --lang <codes>     built-in packs for these languages only, e.g. en,fr
  -h, --help         this help;  -v, --version  the version

Exit codes: 0 ok, 1 --fail-on reached or a pack failed verification, 2 bad input or usage.`;

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const flags = new Set<string>();
  const values: Record<string, string[]> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--fail-on" || a === "--mode" || a === "--pack" || a === "--lang") {
      const v = argv[++i];
      if (v === undefined) { io.err(`promptward: ${a} needs a value (see --help)`); return 2; }
      (values[a] ??= []).push(v);
    } else if (a.startsWith("--") || a === "-h" || a === "-v") flags.add(a);
    else positional.push(a);
  }
  if (flags.has("-h") || flags.has("--help") || positional.length === 0) { io.out(HELP); return positional.length === 0 && !flags.has("-h") && !flags.has("--help") ? 2 : 0; }
  if (flags.has("-v") || flags.has("--version")) { io.out(VERSION); return 0; }
  const unknown = [...flags].filter((f) => !["--json", "--jsonl", "--sessions"].includes(f));
  if (unknown.length) { io.err(`promptward: unknown option ${unknown[0]} (see --help)`); return 2; }
  const failOn = values["--fail-on"]?.[0];
  if (failOn !== undefined && failOn !== "flag" && failOn !== "block") { io.err(`promptward: --fail-on must be "flag" or "block", got ${JSON.stringify(failOn)}`); return 2; }
  const [command, ...rest] = positional;
  try {
    if (command === "rules") return verifyCommand(rest, io, flags.has("--json"));
    const options: GuardOptions = {
      ...(values["--mode"] ? { mode: values["--mode"][0] as "monitor" } : {}),
      patterns: { ...(values["--lang"] ? { builtins: values["--lang"].join(",").split(",") } : {}), ...(values["--pack"] ? { packs: values["--pack"] } : {}) },
    };
    const guard = createGuard(options);
    if (command === "scan") return await scan(guard, { inputs: rest, json: flags.has("--json") || !io.tty, jsonl: flags.has("--jsonl"), ...(failOn ? { failOn: failOn as Action } : {}) }, io);
    if (command === "eval" && flags.has("--sessions")) {
      if (rest.length !== 1) { io.err("promptward eval --sessions: give one sessions .jsonl file"); return 2; }
      return await evaluateSessions((now) => createGuard({ ...options, now }), rest[0]!, io, flags.has("--json") || !io.tty);
    }
    if (command === "eval") {
      if (rest.length === 0) { io.err("promptward eval: give one or more labelled .jsonl files"); return 2; }
      return await evaluate(guard, rest, io, flags.has("--json") || !io.tty);
    }
    io.err(`promptward: unknown command ${JSON.stringify(command)} (see --help)`);
    return 2;
  } catch (e) {
    if (isPromptSecurityError(e)) { io.err(`promptward: ${e.code}: ${e.message}`); return 2; }
    throw e;
  }
}

function verifyCommand(args: readonly string[], io: Io, json: boolean): number {
  const [sub, ...files] = args;
  if (sub !== "verify" || files.length === 0) { io.err("promptward rules: usage: promptward rules verify <pack.json...>"); return 2; }
  let failed = false;
  const reports = [];
  for (const file of files) {
    let report;
    try {
      report = verifyRulePack(JSON.parse(readFileSync(file, "utf8")));
    } catch (e) {
      try { readPackFile(file); } catch (inner) { e = inner; }
      report = { packId: file, ok: false, rules: 0, problems: [{ pointer: "", message: (e as Error).message }], slowest: [] };
    }
    failed ||= !report.ok;
    reports.push({ file, ...report });
    if (!json) {
      io.out(`${report.ok ? "ok  " : "FAIL"} ${file} (${report.packId}): ${report.rules} rules${report.slowest[0] ? `, slowest ${report.slowest.map((s) => `${s.ruleId} ${s.worstMs.toFixed(2)} ms`).slice(0, 3).join(", ")}` : ""}`);
      for (const p of report.problems) io.out(`     ${p.pointer || "/"}: ${p.message}`);
    }
  }
  if (json) io.out(JSON.stringify(reports, null, 2));
  return failed ? 1 : 0;
}

const isMain = process.argv[1] !== undefined && /(?:^|[\\/])(?:cli\.[cm]?[jt]s|promptward)$/.test(process.argv[1]);
if (isMain) {
  const io: Io = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    stdin: () => readFileSync(0, "utf8"),
    tty: Boolean(process.stdout.isTTY),
    ...(process.stderr.isTTY ? { progress: (line: string) => process.stderr.write(`\r\u001b[K${line}`) } : {}),
  };
  main(process.argv.slice(2), io).then((code) => { process.exitCode = code; }, (e: unknown) => { process.stderr.write(`promptward: internal error: ${(e as Error)?.stack ?? String(e)}\n`); process.exitCode = 70; });
}

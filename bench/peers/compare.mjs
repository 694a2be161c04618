#!/usr/bin/env node
// Side-by-side comparison of promptward against the regex/heuristic prompt-injection detectors on npm:
// accuracy (recall on attack corpora, false-positive rate on benign corpora) and throughput, measured
// in one process on the same inputs. See README.md beside this file.
//
//   node bench/peers/compare.mjs [--n 300] [--per-lang 50] [--rounds 5] [--budget-ms 1500]
//                                [--with-hai-heuristic]
//
// The peers live in a private package (bench/peers/package.json, exact versions), installed here on
// first run with `npm install --prefix bench/peers`, so promptward's own dependencies stay untouched.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { sized } from "../inputs.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const corpora = process.env.PROMPTWARD_CORPORA ?? resolve(repo, "../shared/corpora");

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : def;
};
const N = opt("n", 300); // first N lines of each file
const PER_LANG = opt("per-lang", 50); // xsafety goal_hijacking: first K per language
const ROUNDS = opt("rounds", 5);
const BUDGET_MS = opt("budget-ms", 1500); // per library, per round, per input set
const WITH_HAI_HEURISTIC = argv.includes("--with-hai-heuristic");
const ONLY = argv.includes("--only") ? argv[argv.indexOf("--only") + 1].split(",") : null; // e.g. --only promptward,vard

// ---------------------------------------------------------------------------------------------
// 1. Install the peers and build promptward when missing.
function run(cmd, args, cwd) {
  console.error(`$ ${cmd} ${args.join(" ")}   (in ${cwd})`);
  const r = spawnSync(cmd, args, { cwd, stdio: ["ignore", "inherit", "inherit"], shell: process.platform === "win32" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status ?? r.error})`);
}
const peerPkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const peerNames = Object.keys(peerPkg.dependencies);
if (!peerNames.every((p) => existsSync(join(here, "node_modules", p, "package.json")))) {
  run("npm", ["install", "--prefix", here, "--no-audit", "--no-fund"], here);
}
if (!existsSync(join(repo, "dist/index.js"))) run("npm", ["run", "build"], repo);

const version = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
const peerDir = (p) => join(here, "node_modules", p);
const { createGuard } = await import(pathToFileURL(join(repo, "dist/index.js")).href);
const { default: vard } = await import("@andersmyrmel/vard");
const hai = await import("@presidio-dev/hai-guardrails");
const { LLMGuard } = (await import("llm-guard")).default ?? (await import("llm-guard"));

// ---------------------------------------------------------------------------------------------
// 2. Adapters: detect(text) -> { hit, sizeOnly }. `sizeOnly`: flagged only for being long.
const pwGuard = createGuard(); // no clientId: stateless, each prompt judged alone
const haiPattern = [
  hai.injectionGuard({ roles: ["user"] }, { mode: "pattern", threshold: 0.5 }),
  hai.leakageGuard({ roles: ["user"] }, { mode: "pattern", threshold: 0.6 }),
];
const haiHeuristic = [
  hai.injectionGuard({ roles: ["user"] }, { mode: "heuristic", threshold: 0.7 }),
  hai.leakageGuard({ roles: ["user"] }, { mode: "pattern", threshold: 0.6 }),
];
const haiRun = async (guards, text) => {
  for (const g of guards) {
    const results = await g([{ role: "user", content: text }]);
    if (results.some((r) => r.inScope !== false && r.passed === false)) return true;
  }
  return false;
};
const llmGuardInjection = new LLMGuard({ pii: false, profanity: false, toxicity: false, relevance: false });
const llmGuardAll = new LLMGuard();

const allLibs = [
  {
    name: "promptward",
    version: version(repo),
    config: "createGuard() defaults; detected = intendedAction !== 'allow'",
    detect: async (t) => {
      const v = await pwGuard.check(t);
      const hit = v.intendedAction !== "allow";
      return { hit, sizeOnly: hit && v.findings.every((f) => f.category === "input_size") };
    },
  },
  {
    name: "vard",
    version: version(peerDir("@andersmyrmel/vard")),
    config: "vard.safe(text) (moderate preset); detected = !safe",
    detect: async (t) => {
      const r = vard.safe(t);
      return { hit: !r.safe, sizeOnly: !r.safe && r.threats.every((x) => /^Input exceeds \d+ characters$/.test(x.match)) };
    },
  },
  {
    name: "hai-guardrails pattern",
    version: version(peerDir("@presidio-dev/hai-guardrails")),
    config: "injectionGuard + leakageGuard, mode 'pattern'; detected = any passed === false",
    detect: async (t) => ({ hit: await haiRun(haiPattern, t), sizeOnly: false }),
  },
  ...(WITH_HAI_HEURISTIC
    ? [{
        name: "hai-guardrails heuristic",
        version: version(peerDir("@presidio-dev/hai-guardrails")),
        config: "injectionGuard heuristic 0.7 (README quick start) + leakageGuard pattern 0.6",
        detect: async (t) => ({ hit: await haiRun(haiHeuristic, t), sizeOnly: false }),
      }]
    : []),
  {
    name: "llm-guard inj+jb",
    version: version(peerDir("llm-guard")),
    config: "new LLMGuard({promptInjection, jailbreak}) (pii/profanity/toxicity/relevance off); detected = !isValid",
    detect: async (t) => ({ hit: !(await llmGuardInjection.validate(t)).isValid, sizeOnly: false }),
  },
  {
    name: "llm-guard all",
    version: version(peerDir("llm-guard")),
    config: "new LLMGuard() (all six guards, the package default); detected = !isValid",
    detect: async (t) => ({ hit: !(await llmGuardAll.validate(t)).isValid, sizeOnly: false }),
  },
];
const libs = ONLY ? allLibs.filter((l) => ONLY.some((o) => l.name.startsWith(o))) : allLibs;

// ---------------------------------------------------------------------------------------------
// 3. Corpora: deterministic, first lines of each file.
function readJsonl(file) {
  const path = join(corpora, `${file}.jsonl`);
  if (!existsSync(path)) {
    console.error(`missing ${path}: skipped`);
    return [];
  }
  return readFileSync(path, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
}
const first = (rows, n = N) => rows.slice(0, n);
const attackSets = [];
const benignSets = [];
{
  const deepset = first(readJsonl("deepset_prompt_injections"));
  attackSets.push({ name: "deepset_prompt_injections (attack)", rows: deepset.filter((r) => r.label === "attack") });
  benignSets.push({ name: "deepset_prompt_injections (benign)", rows: deepset.filter((r) => r.label === "benign") });
  const xs = readJsonl("xsafety_instruction_attacks").filter((r) => r.category === "goal_hijacking");
  const xsRows = ["en", "fr", "zh", "ja", "de", "es", "ru"].flatMap((lang) => xs.filter((r) => r.lang === lang).slice(0, PER_LANG));
  attackSets.push({ name: "xsafety goal_hijacking", rows: xsRows, byLang: true });
  attackSets.push({ name: "cyberseceval_prompt_injection", rows: first(readJsonl("cyberseceval_prompt_injection")), byLang: true });
  for (const f of ["jailbreak_llms_inthewild", "gptfuzz_templates"]) {
    attackSets.push({ name: f, rows: first(readJsonl(f)).filter((r) => r.label === "attack") });
  }
  for (const f of ["notinject", "english_instructions", "ntrex_news", "mgsm", "jglue_ja", "awesome_chatgpt_prompts", "react_docs"]) {
    benignSets.push({ name: f, rows: first(readJsonl(f)).filter((r) => r.label === "benign") });
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Accuracy.
const errors = Object.fromEntries(libs.map((l) => [l.name, 0]));
async function safeDetect(lib, text) {
  try {
    return await lib.detect(text);
  } catch {
    errors[lib.name]++;
    return { hit: false, sizeOnly: false };
  }
}
async function score(rows) {
  const out = {};
  for (const lib of libs) {
    let hits = 0;
    let sizeOnly = 0;
    for (const r of rows) {
      const d = await safeDetect(lib, r.text);
      if (d.hit) hits++;
      if (d.sizeOnly) sizeOnly++;
    }
    out[lib.name] = { hits, sizeOnly, n: rows.length };
  }
  return out;
}
const pct = (x, n) => (n ? `${((100 * x) / n).toFixed(1)}%` : "n/a");
const cell = (s) => pct(s.hits, s.n) + (s.sizeOnly ? ` (${s.sizeOnly} size-only)` : "");

const t0 = performance.now();
const recallRows = [];
const totalA = Object.fromEntries(libs.map((l) => [l.name, { hits: 0, sizeOnly: 0, n: 0 }]));
for (const set of attackSets) {
  if (!set.rows.length) continue;
  const s = await score(set.rows);
  recallRows.push([`${set.name} (n=${set.rows.length})`, s]);
  for (const l of libs) for (const k of ["hits", "sizeOnly", "n"]) totalA[l.name][k] += s[l.name][k];
  if (set.byLang) {
    const langs = [...new Set(set.rows.map((r) => r.lang))];
    const counts = Object.fromEntries(langs.map((g) => [g, set.rows.filter((r) => r.lang === g).length]));
    const big = langs.filter((g) => counts[g] >= 10).sort((a, b) => counts[b] - counts[a]);
    const groups = big.map((g) => [g, set.rows.filter((r) => r.lang === g)]);
    const rest = set.rows.filter((r) => !big.includes(r.lang));
    if (rest.length) groups.push(["other", rest]);
    for (const [g, rows] of groups) recallRows.push([`  ${g} (n=${rows.length})`, await score(rows)]);
  }
}
const fprRows = [];
const totalB = Object.fromEntries(libs.map((l) => [l.name, { hits: 0, sizeOnly: 0, n: 0 }]));
for (const set of benignSets) {
  if (!set.rows.length) continue;
  const s = await score(set.rows);
  fprRows.push([`${set.name} (n=${set.rows.length})`, s]);
  for (const l of libs) for (const k of ["hits", "sizeOnly", "n"]) totalB[l.name][k] += s[l.name][k];
}
const accuracyMs = performance.now() - t0;

// ---------------------------------------------------------------------------------------------
// 5. Throughput: interleaved rounds on the same inputs, median of rounds.
const allRows = [...attackSets, ...benignSets].flatMap((s) => s.rows);
const shortInputs = allRows.filter((_, i) => i % 7 === 0).map((r) => r.text); // a fixed, mixed sample
const benignPool = benignSets.flatMap((s) => s.rows.map((r) => r.text));
const longInputs = sized(benignPool, 4096, 100);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

async function timeRound(lib, inputs) {
  const times = [];
  const start = performance.now();
  for (let i = 0; i < inputs.length; i++) {
    const a = process.hrtime.bigint();
    await safeDetect(lib, inputs[i]);
    times.push(Number(process.hrtime.bigint() - a) / 1e3);
    if (performance.now() - start > BUDGET_MS) break; // bounded for slow libraries: a prefix of the set
  }
  const total = (performance.now() - start) / 1e3;
  return { rate: times.length / total, p50: median(times), calls: times.length };
}
const speed = {};
for (const [setName, inputs] of [["short", shortInputs], ["4KB", longInputs]]) {
  for (const lib of libs) for (let i = 0; i < Math.min(30, inputs.length); i++) await safeDetect(lib, inputs[i]); // warm-up
  const per = Object.fromEntries(libs.map((l) => [l.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = libs.map((_, i) => libs[(i + r) % libs.length]); // rotate who goes first
    for (const lib of order) per[lib.name].push(await timeRound(lib, inputs));
  }
  speed[setName] = Object.fromEntries(
    libs.map((l) => [l.name, {
      rate: median(per[l.name].map((x) => x.rate)),
      p50: median(per[l.name].map((x) => x.p50)),
      calls: median(per[l.name].map((x) => x.calls)),
    }]),
  );
}

// hai-guardrails' heuristic mode (the README's quick-start) is too slow to run over the corpora by
// default: time a few short prompts only, and say so.
let heuristicNote = "";
if (!WITH_HAI_HEURISTIC) {
  const lib = { name: "hai heuristic", detect: async (t) => ({ hit: await haiRun(haiHeuristic, t) }) };
  errors[lib.name] = 0;
  const sample = shortInputs.filter((t) => t.length <= 200).slice(0, 10);
  const times = [];
  for (const t of sample) {
    const a = performance.now();
    await safeDetect(lib, t);
    times.push(performance.now() - a);
  }
  const len = median(sample.map((t) => t.length));
  heuristicNote = `hai-guardrails heuristic mode (injectionGuard heuristic 0.7): p50 ${median(times).toFixed(0)} ms per prompt on ${sample.length} short prompts (median ${len} chars); left out of the tables (run with --with-hai-heuristic).`;
}

// ---------------------------------------------------------------------------------------------
// 6. Report.
const names = libs.map((l) => l.name);
const head = (first) => `| ${first} | ${names.join(" | ")} |\n|---|${names.map(() => "---:").join("|")}|`;
const line = (label, cells) => `| ${label} | ${cells.join(" | ")} |`;
const out = [];
const cpus = os.cpus();
out.push(`Machine: ${cpus[0]?.model ?? "?"} x ${cpus.length}, ${os.platform()} ${os.release()}, Node ${process.version}, load average at the end ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
out.push(`Versions: ${libs.map((l) => `${l.name.split(" ")[0]}@${l.version}`).filter((v, i, a) => a.indexOf(v) === i).join(", ")}`);
out.push(`Sample: first ${N} lines per corpus file (xsafety: first ${PER_LANG} goal_hijacking per language). Accuracy pass: ${(accuracyMs / 1e3).toFixed(1)} s.`);
out.push("");
out.push("Adapters:");
for (const l of libs) out.push(`- ${l.name}: ${l.config}`);
out.push("");
out.push("### Recall on attacks (higher is better)\n");
out.push(head("attack set"));
for (const [label, s] of recallRows) out.push(line(label, names.map((n) => cell(s[n]))));
out.push(line(`**all attacks** (n=${totalA[names[0]].n})`, names.map((n) => `**${cell(totalA[n])}**`)));
out.push("\n### False-positive rate on benign text (lower is better)\n");
out.push(head("benign set"));
for (const [label, s] of fprRows) out.push(line(label, names.map((n) => cell(s[n]))));
out.push(line(`**all benign** (n=${totalB[names[0]].n})`, names.map((n) => `**${cell(totalB[n])}**`)));
out.push(`\n### Throughput (one process, interleaved rounds, median of ${ROUNDS}; ${BUDGET_MS} ms budget per library per round)\n`);
out.push(head("input set"));
const pw = (set) => speed[set].promptward?.rate ?? NaN;
for (const set of ["short", "4KB"]) {
  const n = set === "short" ? shortInputs.length : longInputs.length;
  const avg = Math.round((set === "short" ? shortInputs : longInputs).reduce((a, t) => a + t.length, 0) / n);
  out.push(line(`${set === "short" ? "corpus prompts as they are" : "4 KB benign"}: prompts/s (${n} inputs, mean ${avg} chars)`, names.map((k) => `${Math.round(speed[set][k].rate).toLocaleString("en-US")}`)));
  out.push(line(`${set === "short" ? "as they are" : "4 KB"}: p50 us per prompt`, names.map((k) => speed[set][k].p50.toFixed(1))));
  out.push(line(`${set === "short" ? "as they are" : "4 KB"}: throughput / promptward's`, names.map((k) => `${(speed[set][k].rate / pw(set)).toFixed(1)}x`)));
}
out.push("");
out.push(`Exceptions (counted as not detected): ${Object.entries(errors).map(([k, v]) => `${k} ${v}`).join(", ")}`);
if (heuristicNote) out.push(heuristicNote);
console.log(out.join("\n"));
process.exit(0); // peers may keep handles (loggers) open

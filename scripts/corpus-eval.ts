// Dev tool for rule authors: detection and false-positive rates of the rule packs on labelled JSONL corpora.
// Usage: npx tsx scripts/corpus-eval.ts [--only <rule-id-prefix>] [--show N] [--lang xx] [--packs a.json,b.json] files.jsonl...
// --packs runs only the listed pack files (no built-ins), so a pack can be tried before it is indexed.
// A line counts as flagged when the structure + pattern findings score >= flagAt (0.4), as the guard does.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { checkPatterns } from "../src/checks/patterns.js";
import { checkStructure } from "../src/checks/structure.js";
import { scoreFindings, DEFAULT_FLAG_AT } from "../src/score.js";
import { loadRulePacks } from "../src/rules/load.js";

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => { const i = args.indexOf(name); if (i < 0) return undefined; const v = args[i + 1]; args.splice(i, 2); return v; };
const only = opt("--only");
const show = Number(opt("--show") ?? 8);
const lang = opt("--lang");
const packFiles = opt("--packs");
const rules = packFiles ? loadRulePacks({ builtins: "none", packs: packFiles.split(",").filter(Boolean) }) : undefined;
for (const file of args) {
  const rows = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { text: string; label: string; lang?: string; category?: string });
  const groups = new Map<string, { n: number; hit: number }>();
  const misses: string[] = [];
  const alarms: string[] = [];
  const ruleHits = new Map<string, number>();
  for (const row of rows) {
    if (lang && row.lang !== lang) continue;
    let findings = [...checkStructure(row.text).findings, ...checkPatterns(row.text, rules ? { rules } : {}).findings];
    if (only) findings = findings.filter((f) => f.ruleId.startsWith(only));
    const flagged = scoreFindings(findings) >= DEFAULT_FLAG_AT;
    const key = `${row.label}/${row.category ?? "-"}/${row.lang ?? "-"}`;
    const g = groups.get(key) ?? { n: 0, hit: 0 };
    g.n++; if (flagged) g.hit++;
    groups.set(key, g);
    if (flagged) for (const f of new Set(findings.map((f) => f.ruleId))) ruleHits.set(f, (ruleHits.get(f) ?? 0) + 1);
    const short = row.text.replace(/\s+/g, " ").slice(0, 140);
    if (row.label === "attack" && !flagged) misses.push(short);
    if (row.label !== "attack" && flagged) alarms.push(`${short}  <= ${findings.map((f) => f.ruleId).join(", ")}`);
  }
  console.log(`\n== ${basename(file)}`);
  for (const [key, g] of [...groups].sort()) console.log(`  ${key.padEnd(40)} ${String(g.hit).padStart(5)}/${String(g.n).padEnd(5)} ${((100 * g.hit) / g.n).toFixed(1)}% ${key.startsWith("attack") ? "detected" : "FLAGGED (false positives)"}`);
  if (misses.length) console.log(`  misses (${misses.length}):\n${misses.slice(0, show).map((m) => `    - ${m}`).join("\n")}`);
  if (alarms.length) console.log(`  false alarms (${alarms.length}):\n${alarms.slice(0, show).map((m) => `    - ${m}`).join("\n")}`);
  console.log(`  rules that fired on flagged lines: ${[...ruleHits].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([r, n]) => `${r}=${n}`).join(" ")}`);
}

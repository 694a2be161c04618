// Dev tool: verify rule pack files (the same checks as `promptward rules verify`). Usage: npx tsx scripts/verify-packs.ts rules/fr/*.json
import { readFileSync } from "node:fs";
import { verifyRulePack } from "../src/rules/verify.js";

let bad = 0;
for (const file of process.argv.slice(2)) {
  const report = verifyRulePack(JSON.parse(readFileSync(file, "utf8")));
  console.log(`${report.ok ? "ok  " : "FAIL"} ${file}: ${report.rules} rules, slowest ${report.slowest[0]?.worstMs.toFixed(2) ?? "-"} ms (${report.slowest[0]?.ruleId ?? ""})`);
  for (const p of report.problems) console.log(`     ${p.ruleId ?? ""} ${p.pointer}: ${p.message}`);
  if (!report.ok) bad++;
}
process.exit(bad ? 1 : 0);

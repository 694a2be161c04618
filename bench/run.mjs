// `npm run bench`: runs every bench/*.bench.mjs in turn (after the build), each printing its own figures.
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";

const only = process.argv.slice(2);
const files = readdirSync(new URL(".", import.meta.url)).filter((f) => f.endsWith(".bench.mjs") && (only.length === 0 || only.some((o) => f.includes(o)))).sort();
console.log(`promptward benchmarks: Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? "unknown CPU"}\n`);
let failed = 0;
for (const file of files) {
  console.log(`## ${file}`);
  const r = spawnSync(process.execPath, ["--expose-gc", new URL(file, import.meta.url).pathname], { stdio: "inherit" });
  if (r.status !== 0) failed++;
  console.log();
}
process.exit(failed ? 1 : 0);

// guard.check with client history (memory store, behaviour checks) vs the same guard without a clientId,
// on 4 KB prompts, measured side by side in alternating rounds. Target: history adds <= 20%.
import { existsSync, readFileSync } from "node:fs";
import { createGuard } from "../dist/index.js";

const corpora = new URL("../../shared/corpora/", import.meta.url).pathname;
const read = (file) => (existsSync(`${corpora}${file}`) ? readFileSync(`${corpora}${file}`, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l).text) : []);
const pool = [...read("english_instructions.jsonl"), ...read("ntrex_news.jsonl")];
if (pool.length === 0) pool.push("How do I sort an array of objects by a key in JavaScript?", "Quelle est la capitale de l'Australie ?");
const prompts = [];
for (let n = 0, i = 0; n < 200; n++) {
  let text = "";
  while (text.length < 4096) text += `${pool[i++ % pool.length]}\n\n`;
  prompts.push(text.slice(0, 4096));
}

const CLIENTS = 200;
const guard = createGuard();
let k = 0;
const sides = {
  stateless: (text) => guard.check(text),
  "with history": (text) => guard.check({ text, clientId: `client-${k++ % CLIENTS}` }),
};
// Fill every client's window (32 entries) first, so the history side works on full windows.
for (let i = 0; i < CLIENTS * 32; i++) await sides["with history"](prompts[i % prompts.length]);

const ROUNDS = 6, PER_ROUND = 300;
const perOp = { stateless: [], "with history": [] };
for (let r = 0; r < ROUNDS; r++) {
  for (const name of r % 2 ? ["with history", "stateless"] : ["stateless", "with history"]) {
    const start = performance.now();
    for (let i = 0; i < PER_ROUND; i++) await sides[name](prompts[i % prompts.length]);
    perOp[name].push(((performance.now() - start) * 1000) / PER_ROUND);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const a = median(perOp.stateless), b = median(perOp["with history"]);
console.log(`guard.check 4 KB, stateless:                  ${a.toFixed(1).padStart(7)} us/op (median of ${ROUNDS} rounds)`);
console.log(`guard.check 4 KB, memory history (${CLIENTS} clients): ${b.toFixed(1).padStart(7)} us/op`);
console.log(`added by history + behaviour checks: ${(((b - a) / a) * 100).toFixed(1)}% (target <= 20%)`);

// guard.check with client history (memory store, behaviour checks) vs the same guard without a clientId,
// on 4 KB prompts, measured side by side in alternating rounds. Target: history adds <= 20%.
import { createGuard } from "../dist/index.js";
import { readCorpus, sized } from "./inputs.mjs";

const pool = [...readCorpus("english_instructions.jsonl"), ...readCorpus("ntrex_news.jsonl")];
if (pool.length === 0) pool.push("How do I sort an array of objects by a key in JavaScript?", "Quelle est la capitale de l'Australie ?");
const prompts = sized(pool, 4096, 200);

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

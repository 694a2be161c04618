import { readFileSync } from "node:fs";
const steps = process.argv[2].split(",");
const { createGuard } = await import("/work/main/dist/index.js");
const g = createGuard();
const read = (f) => readFileSync(`/work/shared/corpora/${f}.jsonl`,"utf8").split("\n").filter(Boolean).slice(0,300).map(l=>JSON.parse(l)).filter(r=>r.label==="benign").map(r=>r.text);
const benign = ["deepset_prompt_injections","notinject","english_instructions","ntrex_news","mgsm","jglue_ja","awesome_chatgpt_prompts","react_docs"].flatMap(read);
let i=0; const inputs=[]; for(let n=0;n<40;n++){let text="";while(text.length<4096) text+=benign[i++%benign.length]+"\n\n"; inputs.push(text.slice(0,4096));}
async function m(label){ const per=[]; for(const x of inputs){const a=performance.now(); await g.check(x); per.push(performance.now()-a);} per.sort((a,b)=>a-b); console.log(steps.join(","), label, "4KB p50 ms", per[20].toFixed(2)); }
await m("before"); await m("before");
if (steps.includes("vard")) await import("@andersmyrmel/vard");
if (steps.includes("hai")) { const hai = await import("@presidio-dev/hai-guardrails"); hai.injectionGuard({ roles: ["user"] }, { mode: "pattern", threshold: 0.5 }); hai.injectionGuard({ roles: ["user"] }, { mode: "heuristic", threshold: 0.7 }); hai.leakageGuard({ roles: ["user"] }, { mode: "pattern", threshold: 0.6 });}
if (steps.includes("llm")) { const { LLMGuard } = (await import("llm-guard")).default; new LLMGuard(); }
await m("after"); await m("after");
process.exit(0);

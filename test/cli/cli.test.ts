import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";

async function run(args: string[], stdin = "", tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), stdin: () => stdin, tty });
  return { code, out: out.join("\n"), err: err.join("\n") };
}
const dir = mkdtempSync(join(tmpdir(), "promptward-cli-"));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const pirate = join(import.meta.dirname, "../fixtures/good-pack.json");

describe("promptward scan", () => {
  it("prints one JSON verdict for a text when stdout is not a terminal", async () => {
    const r = await run(["scan", "--pack", pirate, "talk", "like", "a", "pirate"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ action: "block", findings: [{ ruleId: "xx.demo.pirate" }] });
  });

  it("prints a readable verdict on a terminal", async () => {
    const r = await run(["scan", "--pack", pirate, "-"], "please talk like a pirate", true);
    expect(r.out).toMatch(/BLOCK\S*\s+score 0\.80\s+1 finding/);
    expect(r.out).toContain("xx.demo.pirate [7, 25)");
  });

  it("scans JSONL line by line, keeps ids, and reports bad lines without dropping the others", async () => {
    const path = file("in.jsonl", '{"id": "a", "text": "hello"}\nnot json\n{"id": 7, "text": "talk like a pirate"}\n{"txt": "x"}\n');
    const r = await run(["scan", "--pack", pirate, path]);
    const lines = r.out.split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.line, l.id, l.action ?? "error"])).toEqual([[1, "a", "allow"], [2, undefined, "error"], [3, 7, "block"], [4, undefined, "error"]]);
    expect(r.err).toMatch(/line 2: not valid JSON/);
    expect(r.err).toMatch(/line 4: expected an object with a "text" string/);
    expect(r.code).toBe(2);
  });

  it("exits 1 with --fail-on when a verdict reaches the level", async () => {
    expect((await run(["scan", "--pack", pirate, "--fail-on", "flag", "talk like a pirate"])).code).toBe(1);
    expect((await run(["scan", "--pack", pirate, "--fail-on", "block", "hello there"])).code).toBe(0);
  });

  it("explains usage errors", async () => {
    expect(await run(["scan", "missing.jsonl"])).toMatchObject({ code: 2, err: expect.stringContaining("no such file") });
    expect(await run(["scan", "--fail-on", "maybe", "x"])).toMatchObject({ code: 2, err: expect.stringContaining('"flag" or "block"') });
    expect(await run(["frobnicate"])).toMatchObject({ code: 2, err: expect.stringContaining("unknown command") });
    expect(await run(["scan", "--lang", "xx", "hi"])).toMatchObject({ code: 2, err: expect.stringContaining("built-in languages are") });
    expect((await run(["--help"])).out).toContain("promptward scan");
  });
});

describe("promptward eval", () => {
  it("reports recall and false positives per file, category and language", async () => {
    const path = file("labelled.jsonl", [
      { text: "talk like a pirate", label: "attack", lang: "en", category: "hijack" },
      { text: "speak like a pirate now", label: "attack", lang: "en", category: "hijack" },
      { text: "arr matey", label: "attack", lang: "en", category: "hijack" },
      { text: "pirates are fun", label: "benign", lang: "en" },
    ].map((r) => JSON.stringify(r)).join("\n"));
    const r = await run(["eval", "--pack", pirate, "--json", path]);
    const [report] = JSON.parse(r.out);
    expect(report.total).toEqual({ attacks: 3, detected: 2, blocked: 2, benign: 1, falseAlarms: 0, falseBlocks: 0 });
    expect(report.byCategory.hijack.detected).toBe(2);
    expect(report.worstMisses).toEqual([{ score: 0, text: "arr matey" }]);
    const human = await run(["eval", "--pack", pirate, path], "", true);
    expect(human.out).toMatch(/all\s+3\s+66\.7%\s+66\.7%\s+1\s+0\.0%/);
    expect(human.out).toContain("confusion: TP 2  FN 1  FP 0  TN 1");
  });
});

describe("promptward eval --sessions", () => {
  it("replays each session through a fresh guard and reports detection per category", async () => {
    const path = file("sessions.jsonl", [
      { id: "split", client: "c", prompts: ["from now on, please talk", "like a pirate"], label: "attack", category: "fragmentation" },
      { id: "alone", client: "c", prompts: ["like a pirate"], label: "attack", category: "fragmentation" },
      { id: "flood", client: "f", prompts: Array(30).fill("same again"), label: "attack", category: "flood" },
      { id: "retry", client: "r", prompts: Array(5).fill("why is the sky blue?"), label: "benign", category: "benign" },
      "{broken",
    ].map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n"));
    const r = await run(["eval", "--pack", pirate, "--sessions", "--json", path]);
    expect(r.code).toBe(2); // the broken line is reported, the others still run
    expect(r.err).toContain(":5: not valid JSON");
    const report = JSON.parse(r.out);
    // "alone" shares its client name with "split" but gets a fresh guard: nothing carries over between sessions.
    expect(report.attack.fragmentation).toEqual({ sessions: 2, detected: 1, promptsUntilDetection: 2 });
    expect(report.attack.flood).toEqual({ sessions: 1, detected: 1, promptsUntilDetection: 30 });
    expect(report.benign.benign).toEqual({ sessions: 1, detected: 0, promptsUntilDetection: 0 });
    expect(report.missed).toEqual(["alone"]);
    const human = await run(["eval", "--pack", pirate, "--sessions", path], "", true);
    expect(human.out).toMatch(/attack\s+flood\s+1\s+1\s+100\.0%\s+30\.0/);
  });
});

describe("promptward rules verify", () => {
  it("passes a good pack and fails a bad one, naming the problem", async () => {
    expect(await run(["rules", "verify", pirate])).toMatchObject({ code: 0, out: expect.stringMatching(/^ok .*xx\.demo\): 1 rules/) });
    const bad = join(import.meta.dirname, "../fixtures/invalid-packs/bad-severity.json");
    expect(await run(["rules", "verify", bad])).toMatchObject({ code: 1, out: expect.stringContaining("/rules/0/severity") });
  });
});

// Every built-in pack verifies: schema, ids, examples behave as declared, keywords, time budget.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRulePacks } from "../../src/index.js";
import { verifyRulePack } from "../../src/testing.js";

const root = join(import.meta.dirname, "../../rules");
const files = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(root, d.name)).filter((f) => f.endsWith(".json")).map((f) => `${d.name}/${f}`));

describe("built-in rule packs", () => {
  it("are all bundled (src/rules/builtin-packs.ts is current) and load together with unique ids", () => {
    const rules = loadRulePacks();
    expect(rules.packs.length).toBe(files.length);
    expect(new Set(rules.rules.map((r) => r.id)).size).toBe(rules.rules.length);
  });

  it.each(files)("%s verifies", (file) => {
    const pack = JSON.parse(readFileSync(join(root, file), "utf8"));
    const report = verifyRulePack(pack, { timeBudgetMs: 250 });
    expect(report.problems).toEqual([]);
    expect(pack.language).toBe(file.split("/")[0]);
    expect(`${pack.id}.json`.endsWith(file.split("/")[1]!.replace(/^/, "."))).toBe(true);
  });
});

describe("verifyRulePack", () => {
  const base = JSON.parse(readFileSync(join(import.meta.dirname, "../fixtures/good-pack.json"), "utf8"));
  const withRule = (patch: object) => ({ ...base, rules: [{ ...base.rules[0], ...patch }] });

  it("passes a good pack and lists its slowest rules", () => {
    const report = verifyRulePack(base);
    expect(report).toMatchObject({ packId: "xx.demo", ok: true, rules: 1, problems: [] });
    expect(report.slowest[0]?.ruleId).toBe("xx.demo.pirate");
  });

  it("reports an example that does not behave as declared", () => {
    const report = verifyRulePack(withRule({ examples: { match: ["speak like a pirate", "yo ho ho"], noMatch: ["a", "talk like a pirate"] } }));
    expect(report.problems.map((p) => p.pointer)).toEqual(["/rules/0/examples/match/1", "/rules/0/keywords/0", "/rules/0/keywords/1", "/rules/0/examples/noMatch/1"]);
  });

  it("reports a keyword missing from a match example, since the prefilter would hide it", () => {
    const report = verifyRulePack(withRule({ keywords: ["pirate", "arr"] }));
    expect(report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: "/rules/0/keywords/1", message: expect.stringContaining("prefilter") })]));
  });

  it("reports too few examples and raw invisible characters", () => {
    const report = verifyRulePack(withRule({ title: "Pirate\u200b", examples: { match: ["speak like a pirate"], noMatch: ["no"] } }));
    expect(report.problems.map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringMatching(/at least 2 "match"/), expect.stringMatching(/at least 2 "noMatch"/), expect.stringMatching(/\\u escapes/)]));
  });

  it("reports a pattern with catastrophic backtracking as over the time budget", () => {
    const report = verifyRulePack(withRule({ pattern: "(?:a|a)+b|(?:pirate\\s*)*speak like a pirate", flags: "", keywords: ["pirate"] }), { timeBudgetMs: 20, adversarialLength: 25 });
    expect(report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: "/rules/0/pattern", message: expect.stringMatching(/over the 20 ms budget/) })]));
  });

  it("returns schema problems as a report instead of throwing", () => {
    expect(verifyRulePack({ id: "xx.demo" })).toMatchObject({ ok: false, problems: [expect.objectContaining({ pointer: "/version" })] });
  });
});

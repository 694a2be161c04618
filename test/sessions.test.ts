// The session fixture with the built-in packs: fragmented attacks in ten languages, floods, benign conversations.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createGuard } from "../src/index.js";

interface Session { id: string; client: string; prompts: string[]; label: "attack" | "benign"; category: string }
const sessions = readFileSync(join(import.meta.dirname, "fixtures/sessions.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Session);

async function replay(session: Session) {
  let t = Date.UTC(2026, 0, 1);
  const guard = createGuard({ now: () => t });
  const verdicts = [];
  for (const text of session.prompts) {
    t += 20_000;
    verdicts.push(await guard.check({ text, clientId: session.client }));
  }
  return verdicts;
}

describe("session fixture", () => {
  const stateless = createGuard({ history: false });

  it.each(sessions.filter((s) => s.category === "fragmentation").map((s) => [s.id, s] as const))("%s: blocked, with the instruction matched across prompts", async (_, session) => {
    // Judged alone, the session's prompts are at most flagged: only the history sees the whole instruction.
    for (const text of session.prompts) expect((await stateless.check(text)).action, text).not.toBe("block");
    const verdicts = await replay(session);
    expect(verdicts.some((v) => v.action === "block")).toBe(true);
    expect(verdicts.flatMap((v) => v.findings.map((f) => f.ruleId))).toContain("behavior.fragmentation");
  });

  it.each(sessions.filter((s) => s.category === "flood").map((s) => [s.id, s] as const))("%s: blocked by the 30th prompt", async (_, session) => {
    const verdicts = await replay(session);
    expect(verdicts.at(-1)!.action).toBe("block");
    expect(verdicts.at(-1)!.findings.some((f) => f.ruleId.startsWith("behavior.flood") || f.check === "patterns")).toBe(true);
  });

  it.each(sessions.filter((s) => s.label === "benign").map((s) => [s.id, s] as const))("%s: never flagged", async (_, session) => {
    const verdicts = await replay(session);
    expect(verdicts.filter((v) => v.action !== "allow").map((v) => v.findings.map((f) => f.ruleId))).toEqual([]);
  });
});

// MemoryHistoryStore against the store contract, plus what only the packed memory layout must get right.
import { describe, expect, it } from "vitest";
import { MemoryHistoryStore } from "../../src/stores/memory.js";
import { describeHistoryStore } from "../../src/stores/contract.js";
import { entryFor } from "../../src/checks/behavior.js";
import { prepareText } from "../../src/text/normalize.js";
import type { HistoryEntry, HistoryLimits } from "../../src/stores/types.js";

describeHistoryStore("MemoryHistoryStore", ({ now }) => new MemoryHistoryStore({ now }), { describe, it });
describeHistoryStore("MemoryHistoryStore on the real clock", () => new MemoryHistoryStore(), { describe, it, clock: "real", realTtlMs: 300 });

describe("MemoryHistoryStore packing", () => {
  const at = 1_700_000_000_000;
  const store = () => new MemoryHistoryStore({ now: () => at + 100 });
  const limits: HistoryLimits = { maxEvents: 32, ttlMs: 60_000 };

  it("gives back the guard's entries exactly: fingerprints, scores, rule ids, absent shapes, mixed with odd entries", () => {
    const s = store();
    const guardEntries = ["ignore the previous instructions", "café au lait ☕", "", "x".repeat(500)].map((text, i) => entryFor(prepareText(text), at + i, (i + 1) * 0.1 + 0.2, i % 2 ? [`r${i}`, "other"] : [], true));
    const written: HistoryEntry[] = [
      ...guardEntries,
      { at: at + 10.5, score: Number.MIN_VALUE, ruleIds: [], fingerprint: "000000000000f", shape: "fffffffffffff" },
      { at: at + 11, score: 1, ruleIds: ["odd"], fingerprint: "not hex", tail: "odd tail" },
      { at: at + 12, score: -0.5, ruleIds: [], fingerprint: "0123456789abc" },
    ];
    for (const e of guardEntries) expect(e.fingerprint).toMatch(/^[0-9a-f]{13}$/);
    for (const e of written) s.record("k", e, limits);
    expect(s.peek("k", limits)).toEqual(written);
    expect("shape" in s.peek("k", limits).at(-1)!).toBe(false);
  });

  it("releases the text of entries that fragment matching cannot reach", () => {
    const s = store();
    const text: HistoryLimits = { ...limits, textEvents: 8, textChars: 480 };
    for (let i = 0; i < 20; i++) s.record("long", { at: at + i, score: 0, ruleIds: [], fingerprint: "0000000000001", tail: String(i).padEnd(160, ".") }, text);
    for (let i = 0; i < 20; i++) s.record("short", { at: at + i, score: 0, ruleIds: [], fingerprint: "0000000000001", tail: `p${i}` }, text);
    const kept = (key: string) => s.peek(key, text).filter((e) => e.tail !== undefined).map((e) => e.tail!.replace(/\.+$/, ""));
    expect(kept("long")).toEqual(["17", "18", "19"]); // 3 x 161 characters fill 480
    expect(kept("short")).toEqual(["p12", "p13", "p14", "p15", "p16", "p17", "p18", "p19"]); // textEvents
  });
});

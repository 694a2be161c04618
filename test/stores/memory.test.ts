// MemoryHistoryStore against the store contract.
import { describe, it } from "vitest";
import { MemoryHistoryStore } from "../../src/stores/memory.js";
import { describeHistoryStore } from "../../src/stores/contract.js";

describeHistoryStore("MemoryHistoryStore", ({ now }) => new MemoryHistoryStore({ now }), { describe, it });
describeHistoryStore("MemoryHistoryStore on the real clock", () => new MemoryHistoryStore(), { describe, it, clock: "real", realTtlMs: 300 });

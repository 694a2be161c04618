// describeHistoryStore: the behaviour every HistoryStore must show, runnable from any test runner.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { HistoryEntry, HistoryLimits, HistoryStore, MaybePromise } from "./types.js";

/** What the suite gives `makeStore`: the clock the store must use (inject it as the store's `now`). */
export interface HistoryStoreContext {
  /** Epoch ms; a fake clock the suite advances, or `Date.now` when `clock: "real"`. */
  readonly now: () => number;
}

/** The test runner's `describe` and `it` (vitest, jest, mocha and `node:test` all fit). */
export interface HistoryStoreContractOptions {
  readonly describe: (name: string, fn: () => void) => void;
  readonly it: (name: string, fn: () => Promise<void>) => void;
  /**
   * `"injected"`: the suite passes a fake clock to `makeStore` and moves it forward (fast, exact).
   * `"real"`: the store keeps real time and the suite sleeps; use it for a store that cannot take a clock,
   * or to exercise real expiry (e.g. Redis `PEXPIRE`).
   * @default "injected"
   */
  readonly clock?: "injected" | "real";
  /**
   * The history TTL of the expiry tests with `clock: "real"`; they sleep about 1.5 times this.
   * @default 600
   */
  readonly realTtlMs?: number;
}

/**
 * Registers the history-store contract as one `describe` block: append order, `maxEvents` trim, TTL
 * expiry, `peek` without side effects, `clear`, isolation between keys, windows that never change
 * under their reader, long and odd keys, Unicode tails and concurrent records on one key. Each test
 * makes a fresh store, uses keys of its own and calls `close` at the end. Assertions use
 * `node:assert`, so no test runner is imported here.
 *
 * @example
 * import { describe, it } from "vitest";
 * import { describeHistoryStore } from "promptward/testing";
 * describeHistoryStore("MyStore", ({ now }) => new MyStore({ now }), { describe, it });
 */
export function describeHistoryStore(
  name: string,
  makeStore: (context: HistoryStoreContext) => MaybePromise<HistoryStore>,
  options: HistoryStoreContractOptions,
): void {
  const { describe, it } = options;
  const real = options.clock === "real";
  const realTtl = options.realTtlMs ?? 600;

  /** Runs `body` with a fresh store, a clock, and a key prefix unique to this test. */
  const withStore = (body: (s: HistoryStore, t: Clock, key: (k: string) => string) => Promise<void>) => async () => {
    const clock = real ? realClock() : fakeClock();
    const store = await makeStore({ now: clock.now });
    const run = randomUUID();
    try {
      await body(store, clock, (k) => `contract:${run}:${k}`);
    } finally {
      await store.close?.();
    }
  };
  const limits = (maxEvents: number, ttlMs = real ? realTtl : 60_000): HistoryLimits => ({ maxEvents, ttlMs });

  describe(`HistoryStore contract: ${name}`, () => {
    it("declares its scope as local or shared", withStore(async (s) => {
      assert.ok(s.scope === "local" || s.scope === "shared", `scope is ${String(s.scope)}`);
    }));

    it("returns the window after each append, oldest first", withStore(async (s, t, key) => {
      const k = key("order");
      const a = entry(t.now(), 1);
      assert.deepStrictEqual([...(await s.record(k, a, limits(8)))], [a]);
      await t.advance(1);
      const b = entry(t.now(), 2);
      assert.deepStrictEqual([...(await s.record(k, b, limits(8)))], [a, b]);
      const c = entry(t.now(), 3);
      assert.deepStrictEqual([...(await s.record(k, c, limits(8)))], [a, b, c]);
      assert.deepStrictEqual([...(await s.peek(k, limits(8)))], [a, b, c]);
    }));

    it("peeks [] for a client it has never seen", withStore(async (s, _t, key) => {
      assert.deepStrictEqual([...(await s.peek(key("unknown"), limits(8)))], []);
    }));

    it("keeps at most maxEvents entries, dropping the oldest first", withStore(async (s, t, key) => {
      const k = key("trim");
      const all = [1, 2, 3, 4, 5].map((n) => entry(t.now() + n, n));
      let window: readonly HistoryEntry[] = [];
      for (const e of all) window = await s.record(k, e, limits(3));
      assert.deepStrictEqual([...window], all.slice(2));
      assert.deepStrictEqual([...(await s.peek(k, limits(3)))], all.slice(2));
      const one = entry(t.now() + 9, 9);
      assert.deepStrictEqual([...(await s.record(k, one, limits(1)))], [one], "maxEvents 1 keeps only the new entry");
    }));

    it("peek with a smaller maxEvents returns the newest entries and trims nothing", withStore(async (s, t, key) => {
      const k = key("peek-small");
      const all = [1, 2, 3, 4].map((n) => entry(t.now() + n, n));
      for (const e of all) await s.record(k, e, limits(8));
      assert.deepStrictEqual([...(await s.peek(k, limits(2)))], all.slice(2));
      assert.deepStrictEqual([...(await s.peek(k, limits(8)))], all);
    }));

    it("peek changes nothing: repeated peeks agree and the next record continues the window", withStore(async (s, t, key) => {
      const k = key("peek-pure");
      const a = entry(t.now(), 1);
      await s.record(k, a, limits(8));
      const first = [...(await s.peek(k, limits(8)))];
      const second = [...(await s.peek(k, limits(8)))];
      assert.deepStrictEqual(first, [a]);
      assert.deepStrictEqual(second, first);
      assert.deepStrictEqual([...(await s.peek(key("never-recorded"), limits(8)))], []);
      const b = entry(t.now(), 2);
      assert.deepStrictEqual([...(await s.record(k, b, limits(8)))], [a, b]);
      assert.deepStrictEqual([...(await s.peek(key("never-recorded"), limits(8)))], [], "peeking an unknown key does not create it");
    }));

    it("drops entries older than ttlMs and keeps the younger ones", withStore(async (s, t, key) => {
      const k = key("ttl-partial");
      const ttl = real ? realTtl : 1_000;
      const old = entry(t.now(), 1);
      await s.record(k, old, limits(8, ttl));
      await t.advance(ttl * 0.6);
      const young = entry(t.now(), 2);
      assert.deepStrictEqual([...(await s.record(k, young, limits(8, ttl)))], [old, young]);
      await t.advance(ttl * 0.6);
      assert.deepStrictEqual([...(await s.peek(k, limits(8, ttl)))], [young], "peek filters by age");
      const last = entry(t.now(), 3);
      assert.deepStrictEqual([...(await s.record(k, last, limits(8, ttl)))], [young, last], "record drops expired entries");
    }));

    it("forgets a client after ttlMs without records", withStore(async (s, t, key) => {
      const k = key("ttl-all");
      const ttl = real ? realTtl : 1_000;
      await s.record(k, entry(t.now(), 1), limits(8, ttl));
      await s.record(k, entry(t.now(), 2), limits(8, ttl));
      await t.advance(ttl * 1.2);
      assert.deepStrictEqual([...(await s.peek(k, limits(8, ttl)))], []);
      const fresh = entry(t.now(), 3);
      assert.deepStrictEqual([...(await s.record(k, fresh, limits(8, ttl)))], [fresh]);
    }));

    it("clear forgets one client and leaves the others; clearing an unknown client is fine", withStore(async (s, t, key) => {
      const a = entry(t.now(), 1);
      const b = entry(t.now(), 2);
      await s.record(key("clear-a"), a, limits(8));
      await s.record(key("clear-b"), b, limits(8));
      await s.clear(key("clear-a"));
      await s.clear(key("clear-never-seen"));
      assert.deepStrictEqual([...(await s.peek(key("clear-a"), limits(8)))], []);
      assert.deepStrictEqual([...(await s.peek(key("clear-b"), limits(8)))], [b]);
      const c = entry(t.now(), 3);
      assert.deepStrictEqual([...(await s.record(key("clear-a"), c, limits(8)))], [c], "a cleared client starts afresh");
    }));

    it("keeps clients apart, also when one key is a prefix of another", withStore(async (s, t, key) => {
      const keys = [key("iso"), key("iso:"), key("iso:x"), key("ISO"), key("iso ")];
      const entries = keys.map((_, i) => entry(t.now(), i));
      await Promise.all(keys.map((k, i) => s.record(k, entries[i]!, limits(8))));
      for (const [i, k] of keys.entries()) assert.deepStrictEqual([...(await s.peek(k, limits(8)))], [entries[i]], k);
    }));

    it("never changes a window it handed out, after later records, trims or clear", withStore(async (s, t, key) => {
      const k = key("snapshot");
      const a = entry(t.now(), 1);
      const fromRecord = await s.record(k, a, limits(2));
      const fromPeek = await s.peek(k, limits(2));
      const copyOfRecord = structuredClone([...fromRecord]);
      const copyOfPeek = structuredClone([...fromPeek]);
      await s.record(k, entry(t.now(), 2), limits(2));
      await s.record(k, entry(t.now(), 3), limits(2));
      await s.clear(k);
      assert.deepStrictEqual([...fromRecord], copyOfRecord);
      assert.deepStrictEqual([...fromPeek], copyOfPeek);
    }));

    it("round-trips long and odd keys", withStore(async (s, t, key) => {
      const odd = [
        "x".repeat(10_000),
        "with space\nnewline\ttab",
        "{hash-tag}",
        "*?[glob]",
        "quote\"back\\slash",
        "\u00e9t\u00e9 \u4e2d\u6587 \ud83d\ude00",
        "0",
      ];
      for (const [i, raw] of odd.entries()) {
        const e = entry(t.now(), i);
        assert.deepStrictEqual([...(await s.record(key(raw), e, limits(4)))], [e], `record ${JSON.stringify(raw.slice(0, 30))}`);
        assert.deepStrictEqual([...(await s.peek(key(raw), limits(4)))], [e], `peek ${JSON.stringify(raw.slice(0, 30))}`);
      }
    }));

    it("round-trips entries: Unicode, lone surrogates, JSON-like text, long tails, optional members absent", withStore(async (s, t, key) => {
      const k = key("entries");
      const tails = [
        "caf\u00e9 \u4e2d\u6587 \u05e9\u05dc\u05d5\u05dd \ud83d\ude00 e\u0301 \u202eevil",
        "cut surrogate \ud83d",
        "\udc00 leading low surrogate",
        "{\"at\":0,\"score\":99} \"quoted\" back\\slash \u0000 nul",
        "long ".repeat(1_000),
        "",
      ];
      const written: HistoryEntry[] = tails.map((tail, i) => ({ ...entry(t.now() + i, i), tail, shape: `s${i}` }));
      const bare: HistoryEntry = { at: t.now() + 10, score: 0.25, ruleIds: [], fingerprint: "" };
      written.push(bare);
      for (const e of written) await s.record(k, e, limits(16));
      const back = [...(await s.peek(k, limits(16)))];
      assert.deepStrictEqual(back, written);
      assert.ok(!("tail" in back.at(-1)!) && !("shape" in back.at(-1)!), "absent optional members stay absent");
    }));

    it("keeps the tails of the newest textEvents entries; older entries may lose only their tail", withStore(async (s, t, key) => {
      const written = [1, 2, 3, 4, 5, 6].map((n) => ({ ...entry(t.now() + n, n), shape: `s${n}`, tail: `tail ${n} \u00e9` }));
      await expectNewestTails(s, key("text-events"), written, { maxEvents: 8, ttlMs: limits(8).ttlMs, textEvents: 2 }, 2);
    }));

    it("keeps the newest tails that fill textChars (empty tails cost nothing); older entries may lose only their tail", withStore(async (s, t, key) => {
      // 11-character tails, one empty: the newest three entries (11 + 1, 0, 11 + 1 characters) fill 20.
      const written = [1, 2, 3, 4, 5, 6].map((n) => ({ ...entry(t.now() + n, n), tail: n === 5 ? "" : `tail ${n} \u00e9bc` }));
      await expectNewestTails(s, key("text-chars"), written, { maxEvents: 8, ttlMs: limits(8).ttlMs, textEvents: 8, textChars: 20 }, 3);
    }));

    it("lands every one of many concurrent records on one key, each seeing a distinct window", withStore(async (s, t, key) => {
      const k = key("concurrent");
      const n = 25;
      const entries = Array.from({ length: n }, (_, i) => entry(t.now(), i));
      const windows = await Promise.all(entries.map((e) => s.record(k, e, limits(64))));
      assert.deepStrictEqual(windows.map((w) => w.length).sort((x, y) => x - y), entries.map((_, i) => i + 1));
      const stored = await s.peek(k, limits(64));
      assert.deepStrictEqual(stored.map((e) => e.fingerprint).sort(), entries.map((e) => e.fingerprint).sort());
    }));
  });
}

/** Records `written` under `k`; then the record and peek windows hold every entry, the newest `kept` whole, older ones at most without their tail. */
async function expectNewestTails(s: HistoryStore, k: string, written: readonly HistoryEntry[], limits: HistoryLimits, kept: number): Promise<void> {
  let fromRecord: readonly HistoryEntry[] = [];
  for (const e of written) fromRecord = await s.record(k, e, limits);
  for (const [label, window] of [["record", fromRecord], ["peek", await s.peek(k, limits)]] as const) {
    assert.equal(window.length, written.length, label);
    for (const [i, got] of window.entries()) {
      const want = written[i]!;
      if (i >= written.length - kept || "tail" in got) assert.deepStrictEqual(got, want, `${label} entry ${i}`);
      else assert.deepStrictEqual(got, withoutTail(want), `${label} entry ${i} without its tail`);
    }
  }
}

interface Clock {
  now: () => number;
  advance: (ms: number) => Promise<void>;
}

function fakeClock(): Clock {
  let now = 1_700_000_000_000;
  return { now: () => now, advance: async (ms) => { now += Math.ceil(ms); } };
}

function realClock(): Clock {
  return { now: Date.now, advance: (ms) => new Promise((resolve) => setTimeout(resolve, Math.ceil(ms))) };
}

function withoutTail(e: HistoryEntry): HistoryEntry {
  const { tail: _tail, ...rest } = e;
  return rest;
}

function entry(at: number, n: number): HistoryEntry {
  return { at, score: n, ruleIds: [`contract.rule.r${n}`], fingerprint: `fp-${n}` };
}

// RedisHistoryStore: the store contract on node-redis and ioredis against a real redis-server, plus its own behaviour.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ConfigError, isPromptSecurityError, StoreError } from "../../src/errors.js";
import { RedisHistoryStore, type RedisHistoryStoreOptions, type RedisSendCommand } from "../../src/redis.js";
import { describeHistoryStore } from "../../src/stores/contract.js";
import type { HistoryEntry } from "../../src/stores/types.js";

const url = inject("redisUrl");
const skipReason = inject("redisSkipReason");
const run = randomUUID().slice(0, 8);
const entry = (at: number, n: number): HistoryEntry => ({ at, score: n, ruleIds: [`r${n}`], fingerprint: `f${n}` });
const limits = { maxEvents: 8, ttlMs: 60_000 };

describe("RedisHistoryStore options", () => {
  const sendCommand: RedisSendCommand = async () => null;
  const build = (options: unknown) => () => new RedisHistoryStore(options as RedisHistoryStoreOptions);

  it("rejects an unknown option with a did-you-mean hint", () => {
    expect(build({ sendCommand, prefx: "x:" })).toThrow(/unknown option "RedisHistoryStore.prefx"; did you mean "RedisHistoryStore.prefix"\?/);
    expect(build({ sendComand: sendCommand })).toThrow(ConfigError);
  });

  it("names the option and the value on a wrong type", () => {
    expect(build({ sendCommand, prefix: 42 })).toThrow('"RedisHistoryStore.prefix" must be a string, got 42');
    expect(build({ sendCommand, now: "soon" })).toThrow('"RedisHistoryStore.now" must be a function, got "soon"');
    expect(build({ sendCommand: "redis://localhost" })).toThrow('"RedisHistoryStore.sendCommand" must be a function, got "redis://localhost"');
    expect(build({})).toThrow('"RedisHistoryStore.sendCommand" must be a function, got undefined');
    expect(build(undefined)).toThrow(ConfigError);
    expect(build(sendCommand)).toThrow(ConfigError);
  });

  it("treats undefined values as defaults and reports scope shared and the default prefix", () => {
    const store = new RedisHistoryStore({ sendCommand, prefix: undefined as unknown as string });
    expect(store.scope).toBe("shared");
    expect(store.prefix).toBe("promptward:h:");
  });
});

describe("RedisHistoryStore errors", () => {
  it("wraps a rejected command in a StoreError with the cause, for record, peek and clear", async () => {
    const boom = new Error("connect ECONNREFUSED 127.0.0.1:6379");
    const store = new RedisHistoryStore({ sendCommand: () => Promise.reject(boom) });
    for (const call of [() => store.record("k", entry(1, 1), limits), () => store.record("k", entry(1, 1), limits), () => store.peek("k", limits), () => store.clear("k")]) {
      const error = await call().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(isPromptSecurityError(error) && error.code).toBe("STORE_UNAVAILABLE");
      expect((error as StoreError).cause).toBe(boom);
      expect((error as StoreError).message).toContain("ECONNREFUSED");
    }
  });

  it("wraps a sendCommand that throws synchronously, and an EVALSHA failure other than NOSCRIPT", async () => {
    const sync = new RedisHistoryStore({ sendCommand: () => { throw new TypeError("client is closed"); } });
    await expect(sync.peek("k", limits)).rejects.toBeInstanceOf(StoreError);
    let calls = 0;
    const flaky = new RedisHistoryStore({ sendCommand: async (command) => { calls++; if (command === "EVALSHA") throw new Error("READONLY You can't write against a read only replica."); return []; } });
    await flaky.record("k", entry(1, 1), limits);
    await expect(flaky.record("k", entry(1, 1), limits)).rejects.toMatchObject({ name: "StoreError", code: "STORE_UNAVAILABLE", message: expect.stringContaining("READONLY") });
    expect(calls).toBe(2);
  });

  it("rejects a reply that is not a list with a StoreError instead of crashing", async () => {
    const store = new RedisHistoryStore({ sendCommand: async () => "OK" });
    await expect(store.peek("k", limits)).rejects.toBeInstanceOf(StoreError);
    const nil = new RedisHistoryStore({ sendCommand: async () => null });
    expect(await nil.peek("k", limits)).toEqual([]);
  });

  it("decodes Buffer elements as UTF-8 (clients configured to return bytes)", async () => {
    const e = { ...entry(5, 1), tail: "caf\u00e9" };
    const store = new RedisHistoryStore({ sendCommand: async () => [Buffer.from(JSON.stringify(e))], now: () => 10 });
    expect(await store.peek("k", limits)).toEqual([e]);
  });
});

const clients = {
  "node-redis": () => {
    const client = createClient({ url });
    return {
      connect: async () => { await client.connect(); },
      close: () => client.close(),
      sendCommand: ((...args) => client.sendCommand(args)) satisfies RedisSendCommand,
    };
  },
  ioredis: () => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    return {
      connect: () => client.connect(),
      close: async () => { await client.quit(); },
      sendCommand: ((...args) => client.call(...args)) satisfies RedisSendCommand,
    };
  },
};

describe.skipIf(!url)(url ? `RedisHistoryStore on ${url}` : `RedisHistoryStore (skipped: ${skipReason})`, () => {
  for (const [clientName, makeClient] of Object.entries(clients)) {
    describe(`with ${clientName}`, () => {
      const client = url ? makeClient() : undefined!;
      const send: RedisSendCommand = (...args) => client.sendCommand(...args);
      const prefix = `promptward-test:${run}:${clientName}:`;
      beforeAll(() => client.connect());
      afterAll(() => client.close());

      // node-redis on an injected clock (fast); ioredis on the real clock, so PEXPIRE does the forgetting.
      describeHistoryStore(
        `RedisHistoryStore (${clientName})`,
        ({ now }) => new RedisHistoryStore({ sendCommand: send, prefix, now }),
        clientName === "ioredis" ? { describe, it, clock: "real", realTtlMs: 600 } : { describe, it },
      );

      /** A store whose commands are counted by name. */
      const counted = (options: Partial<RedisHistoryStoreOptions> = {}) => {
        const commands: string[] = [];
        const store = new RedisHistoryStore({ sendCommand: (...args) => { commands.push(args[0]); return send(...args); }, prefix, ...options });
        return { store, commands };
      };

      it("records in exactly one round trip each (EVAL first, EVALSHA after), peeks and clears in one", async () => {
        const { store, commands } = counted();
        const key = `rt-${randomUUID()}`;
        for (let i = 0; i < 5; i++) await store.record(key, entry(Date.now(), i), limits);
        expect(commands).toEqual(["EVAL", "EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA"]);
        commands.length = 0;
        expect(await store.peek(key, limits)).toHaveLength(5);
        await store.clear(key);
        expect(commands).toEqual(["LRANGE", "DEL"]);
      });

      it("reloads the script with EVAL when Redis reports NOSCRIPT after SCRIPT FLUSH", async () => {
        const { store, commands } = counted();
        const key = `noscript-${randomUUID()}`;
        const a = entry(Date.now(), 1);
        const b = entry(Date.now(), 2);
        const c = entry(Date.now(), 3);
        await store.record(key, a, limits);
        await send("SCRIPT", "FLUSH");
        commands.length = 0;
        expect(await store.record(key, b, limits)).toEqual([a, b]);
        expect(commands).toEqual(["EVALSHA", "EVAL"]);
        commands.length = 0;
        expect(await store.record(key, c, limits)).toEqual([a, b, c]);
        expect(commands).toEqual(["EVALSHA"]);
      });

      it("writes one list per client under the prefix, JSON entries oldest first with at leading", async () => {
        const custom = `custom:{${run}}:`;
        const { store } = counted({ prefix: custom });
        const key = `layout-${randomUUID()}`;
        const a = { ...entry(Date.now(), 1), tail: "\u00e9t\u00e9" };
        const b = entry(Date.now(), 2);
        await store.record(key, a, limits);
        await store.record(key, b, limits);
        expect(await send("TYPE", custom + key)).toBe("list");
        expect(await send("EXISTS", `promptward:h:${key}`)).toBe(0);
        expect(await send("EXISTS", prefix + key)).toBe(0);
        const raw = (await send("LRANGE", custom + key, "0", "-1")) as string[];
        expect(raw.map((s) => JSON.parse(s))).toEqual([a, b]);
        expect(raw.every((s) => s.startsWith('{"at":'))).toBe(true);
        await store.clear(key);
        expect(await send("EXISTS", custom + key)).toBe(0);
      });

      it("drops the tail of entries older than the newest textEvents in Redis itself", async () => {
        const { store } = counted();
        const key = `text-${randomUUID()}`;
        const text = { maxEvents: 8, ttlMs: 60_000, textEvents: 3 };
        for (let i = 0; i < 6; i++) await store.record(key, { ...entry(Date.now(), i), tail: `t${i} ,"tail": \u00e9` }, text);
        const raw = ((await send("LRANGE", prefix + key, "0", "-1")) as string[]).map((s) => JSON.parse(s) as HistoryEntry);
        expect(raw.map((e) => e.tail ?? null)).toEqual([null, null, null, 't3 ,"tail": \u00e9', 't4 ,"tail": \u00e9', 't5 ,"tail": \u00e9']);
        expect(raw.map((e) => e.fingerprint)).toEqual(["f0", "f1", "f2", "f3", "f4", "f5"]);
      });

      it("uses promptward:h: as the default prefix", async () => {
        const store = new RedisHistoryStore({ sendCommand: send });
        const key = `default-${run}-${randomUUID()}`;
        await store.record(key, entry(Date.now(), 1), limits);
        expect(await send("EXISTS", `promptward:h:${key}`)).toBe(1);
        await store.clear(key);
      });

      it("sets the key's PTTL to ttlMs and refreshes it on every record", async () => {
        const { store } = counted();
        const key = `pttl-${randomUUID()}`;
        await store.record(key, entry(Date.now(), 1), { maxEvents: 4, ttlMs: 60_000 });
        const first = Number(await send("PTTL", prefix + key));
        expect(first).toBeGreaterThan(55_000);
        expect(first).toBeLessThanOrEqual(60_000);
        await send("PEXPIRE", prefix + key, "5000");
        await store.record(key, entry(Date.now(), 2), { maxEvents: 4, ttlMs: 60_000 });
        expect(Number(await send("PTTL", prefix + key))).toBeGreaterThan(55_000);
        await store.peek(key, { maxEvents: 4, ttlMs: 60_000 });
        await send("PEXPIRE", prefix + key, "5000");
        await store.peek(key, { maxEvents: 4, ttlMs: 60_000 });
        expect(Number(await send("PTTL", prefix + key))).toBeLessThanOrEqual(5000);
      });

      it("lets Redis delete the key once ttlMs passes without a record", async () => {
        const { store } = counted();
        const key = `expire-${randomUUID()}`;
        await store.record(key, entry(Date.now(), 1), { maxEvents: 4, ttlMs: 80 });
        expect(await send("EXISTS", prefix + key)).toBe(1);
        await new Promise((r) => setTimeout(r, 250));
        expect(await send("EXISTS", prefix + key)).toBe(0);
      });

      it("skips list elements it did not write, and drops them once they reach the head", async () => {
        const { store } = counted();
        const key = `malformed-${randomUUID()}`;
        const junk = ["not json", "{}", '{"at":"yesterday"}', "[1,2]", "null", '{"at":1,"score":1,"ruleIds":[2],"fingerprint":"f"}', "\u00ff\u00fe"];
        const a = entry(Date.now(), 1);
        await send("RPUSH", prefix + key, "garbage at the head");
        await store.record(key, a, limits);
        await send("RPUSH", prefix + key, ...junk);
        const roomy = { maxEvents: 16, ttlMs: 60_000 }; // foreign elements still count towards maxEvents
        expect(await store.peek(key, roomy)).toEqual([a]);
        const b = entry(Date.now(), 2);
        expect(await store.record(key, b, roomy)).toEqual([a, b]);
        const raw = (await send("LRANGE", prefix + key, "0", "-1")) as string[];
        expect(raw[0]).toBe(JSON.stringify(a));
        expect(raw).toHaveLength(junk.length + 2);
      });

      it("rejects with a StoreError (cause kept) when the key holds something other than a list", async () => {
        const { store } = counted();
        const key = `wrongtype-${randomUUID()}`;
        await send("SET", prefix + key, "a string");
        const error = await store.record(key, entry(Date.now(), 1), limits).then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(StoreError);
        expect(String((error as StoreError).cause)).toContain("WRONGTYPE");
        await expect(store.peek(key, limits)).rejects.toBeInstanceOf(StoreError);
        await store.clear(key);
      });

      it("close() leaves the caller's client open", async () => {
        const { store } = counted();
        await store.close();
        expect(await send("PING")).toBe("PONG");
        await store.record(`after-close-${randomUUID()}`, entry(Date.now(), 1), limits);
      });
    });
  }
});

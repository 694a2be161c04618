// History stores on the built dist: MemoryHistoryStore record/peek cost at 1k and 100k clients, its heap
// with 100k clients x 32 entries (in a child with --expose-gc), and RedisHistoryStore latency on loopback
// when redis-server is on PATH (or REDIS_URL is set). Run after `npm run build`.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { MemoryHistoryStore } from "../dist/index.js";
import { RedisHistoryStore } from "../dist/redis.js";

// The guard's defaults: history.maxEvents 32, history.ttlMs 15 min, tails (at most 160 characters) needed
// only for the newest behavior.fragmentWindow (8) entries and only as many as the 480-character join uses.
const LIMITS = { maxEvents: 32, ttlMs: 900_000, textEvents: 8, textChars: 480 };
const TAIL = { long: 160, short: 48 }; // a prompt of 160+ characters, and a short chat message
// Unique, flat strings cut from pregenerated random text: `toString(enc, start, end)` copies, so no entry
// pins a larger string, and generating millions of them stays cheap.
const POOL_HEX = Buffer.from(randomBytes(1 << 19).toString("hex"), "latin1");
const POOL_B64 = Buffer.from(randomBytes(3 << 18).toString("base64"), "latin1");
let cursor = 0;
const cut = (pool, n) => { const at = (cursor = (cursor + 9973) % (pool.length - n)); return pool.toString("latin1", at, at + n); };
const hex = (n) => cut(POOL_HEX, n);
/** A flat copy of `s` (padStart and + build ropes, which cost more memory than the guard's flat keys). */
const flat = (s) => Buffer.from(s, "latin1").toString("latin1");
const quantiles = (times) => {
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { p50: q(0.5), p99: q(0.99) };
};
const fmt = (us) => (us < 10 ? us.toFixed(2) : us.toFixed(1)).padStart(7);

/** An entry as the guard writes it; `tail` makes the string unique and flat (not a slice of a larger one). */
function guardEntry(at, tailLength = TAIL.long) {
  const e = { at, score: 0.1, ruleIds: [], fingerprint: hex(13), shape: hex(13) };
  if (tailLength > 0) e.tail = cut(POOL_B64, tailLength);
  return e;
}

// --- heap child: node --expose-gc stores.bench.mjs --heap <long|short|none> -------------------------------
// Counts the JS heap and the ArrayBuffers the store holds (typed-array contents live outside the heap).
if (process.argv[2] === "--heap") {
  const tailLength = TAIL[process.argv[3]] ?? 0;
  const clients = 100_000;
  const perClient = 32;
  const usage = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  globalThis.gc();
  const before = usage();
  const store = new MemoryHistoryStore({ maxKeys: clients });
  const now = Date.now();
  for (let c = 0; c < clients; c++) {
    const key = flat(c.toString(16).padStart(32, "0")); // distinct, flat and as long as the guard's hashed keys
    for (let i = 0; i < perClient; i++) store.record(key, guardEntry(now + i, tailLength), LIMITS);
  }
  globalThis.gc();
  const used = usage() - before;
  console.log(JSON.stringify({ used, size: store.size }));
  process.exit(0);
}

// `node bench/stores.bench.mjs [memory] [heap] [redis]` runs only those parts.
const parts = process.argv.slice(2);
const want = (part) => parts.length === 0 || parts.includes(part);
console.log(`Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? "unknown CPU"}, load average ${loadavg()[0].toFixed(1)}\n`);

// --- memory: record + peek at 1k and 100k clients with full windows ------------------------------------
for (const clients of want("memory") ? [1_000, 100_000] : []) {
  const store = new MemoryHistoryStore({ maxKeys: clients });
  const keys = Array.from({ length: clients }, (_, c) => c.toString(16).padStart(32, "0"));
  const now = Date.now();
  const shared = Array.from({ length: 32 }, (_, i) => guardEntry(now - 32 + i));
  for (const key of keys) for (const e of shared) store.record(key, e, LIMITS); // full 32-entry windows
  const fresh = Array.from({ length: 1024 }, (_, i) => guardEntry(now + i));
  const rec = [];
  const peek = [];
  const rounds = 200_000;
  for (let i = 0; i < rounds; i++) {
    const key = keys[(i * 7919) % clients];
    const t0 = process.hrtime.bigint();
    store.record(key, fresh[i & 1023], LIMITS);
    const t1 = process.hrtime.bigint();
    store.peek(key, LIMITS);
    const t2 = process.hrtime.bigint();
    if (i >= 10_000) { rec.push(Number(t1 - t0) / 1e3); peek.push(Number(t2 - t1) / 1e3); } // after warm-up
  }
  const r = quantiles(rec);
  const p = quantiles(peek);
  const opsPerSec = Math.round(1e6 / (rec.reduce((a, b) => a + b, 0) / rec.length));
  console.log(`memory ${String(clients).padStart(6)} clients x 32   record p50 ${fmt(r.p50)} us  p99 ${fmt(r.p99)} us  (${opsPerSec} records/s)   peek p50 ${fmt(p.p50)} us  p99 ${fmt(p.p99)} us`);
}

// --- memory: heap with 100k clients x 32 entries -------------------------------------------------------
const HEAP_LABELS = { long: "prompts of 160+ characters", short: "48-character prompts", none: "retainText: false (no tails)" };
for (const variant of want("heap") ? Object.keys(HEAP_LABELS) : []) {
  const child = spawnSync(process.execPath, ["--expose-gc", "--max-old-space-size=4096", new URL(import.meta.url).pathname, "--heap", variant], { encoding: "utf8" });
  if (child.status !== 0) { console.log(`memory heap (${variant}): child failed: ${child.stderr.trim().split("\n").at(-1)}`); continue; }
  const { used, size } = JSON.parse(child.stdout);
  const mb = used / 1024 / 1024;
  console.log(`memory heap + ArrayBuffers, ${size} clients x 32 entries, ${HEAP_LABELS[variant].padEnd(29)} ${mb.toFixed(0).padStart(5)} MB  (${(used / size).toFixed(0)} B/client, target <= 200 MB: ${mb <= 200 ? "met" : "MISSED"})`);
}

// --- redis: record and peek latency on loopback --------------------------------------------------------
function findOnPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter).concat(["/usr/sbin", "/usr/local/sbin"])) {
    try { accessSync(join(dir, name), constants.X_OK); return join(dir, name); } catch { /* next */ }
  }
  return undefined;
}
const freePort = () => new Promise((resolve) => { const s = createServer(); s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); }); });

if (!want("redis")) process.exit(0);
let url = process.env.REDIS_URL;
let server;
let dir;
if (!url) {
  const bin = findOnPath("redis-server");
  if (!bin) {
    console.log("\nredis: skipped (redis-server not on PATH and REDIS_URL unset)");
    process.exit(0);
  }
  const port = await freePort();
  dir = mkdtempSync(join(tmpdir(), "promptward-bench-redis-"));
  server = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: "ignore" });
  url = `redis://127.0.0.1:${port}`;
}
const { createClient } = await import("redis");
const client = createClient({ url, socket: { reconnectStrategy: false } });
client.on("error", () => {});
for (let i = 0; ; i++) {
  try { await client.connect(); break; } catch (e) { if (i > 100) throw e; await new Promise((r) => setTimeout(r, 50)); }
}
try {
  const version = String(await client.sendCommand(["INFO", "server"])).match(/redis_version:(\S+)/)?.[1] ?? "?";
  const prefix = `promptward-bench:${hex(8)}:`;
  const store = new RedisHistoryStore({ sendCommand: (...args) => client.sendCommand(args), prefix });
  const keys = Array.from({ length: 1_000 }, (_, c) => c.toString(16).padStart(32, "0"));
  const now = Date.now();
  const usedMemory = async () => Number(String(await client.sendCommand(["INFO", "memory"])).match(/used_memory:(\d+)/)?.[1] ?? NaN);
  const memoryBefore = await usedMemory();
  await Promise.all(keys.map(async (key) => { for (let i = 0; i < 32; i++) await store.record(key, guardEntry(now + i), LIMITS); })); // full windows
  const perClient = (await usedMemory() - memoryBefore) / keys.length;
  const rec = [];
  const peek = [];
  for (let i = 0; i < 5_000; i++) {
    const key = keys[(i * 7919) % keys.length];
    const e = guardEntry(Date.now());
    const t0 = process.hrtime.bigint();
    await store.record(key, e, LIMITS);
    const t1 = process.hrtime.bigint();
    await store.peek(key, LIMITS);
    const t2 = process.hrtime.bigint();
    rec.push(Number(t1 - t0) / 1e3);
    peek.push(Number(t2 - t1) / 1e3);
  }
  const r = quantiles(rec);
  const p = quantiles(peek);
  console.log(`\nredis ${version} on loopback (node-redis), 1000 clients x 32, one call in flight`);
  console.log(`redis memory with guard defaults: ${(perClient / 1024).toFixed(1)} KB per client (${((perClient * 100_000) / 1024 / 1024).toFixed(0)} MB per 100k clients)`);
  console.log(`redis record p50 ${fmt(r.p50)} us  p99 ${fmt(r.p99)} us   peek p50 ${fmt(p.p50)} us  p99 ${fmt(p.p99)} us`);
  const inFlight = 64;
  const total = 20_000;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < total) { const i = next++; await store.record(keys[(i * 7919) % keys.length], guardEntry(Date.now()), LIMITS); }
  }));
  console.log(`redis record throughput with ${inFlight} in flight: ${Math.round((total / (performance.now() - t0)) * 1000)} records/s`);
  for (const key of keys) await store.clear(key);
} finally {
  await client.close().catch(() => {});
  if (server) {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

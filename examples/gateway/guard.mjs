// The proxy's guard: history in Redis when REDIS_URL is set, in memory otherwise (the behaviour checks need it).
import { connect } from "node:net";
import { createGuard } from "../../dist/index.js";

/** Creates the guard; says where its history lives. */
export async function makeGuard(options = {}, log = console.log) {
  const url = process.env.REDIS_URL;
  if (!url) { log("history: in memory (set REDIS_URL to share it across proxy instances)"); return createGuard(options); }
  try {
    const { RedisHistoryStore } = await import("../../dist/redis.js");
    const store = new RedisHistoryStore({ sendCommand: await redisClient(url) });
    log(`history: Redis at ${new URL(url).host}`);
    return createGuard({ ...options, store });
  } catch (error) {
    log(`history: in memory (Redis unavailable: ${error.message})`);
    return createGuard(options);
  }
}

/** A minimal RESP2 client: `sendCommand(...args)` for any client-agnostic store. Enough for an example; use a real client in production. */
export async function redisClient(url) {
  const u = new URL(url);
  const socket = connect({ host: u.hostname, port: Number(u.port || 6379) });
  await new Promise((resolve, reject) => { socket.once("connect", resolve); socket.once("error", reject); });
  socket.unref();
  const waiting = [];
  let buf = Buffer.alloc(0);
  socket.on("data", (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const r = parse(buf, 0);
      if (!r) break;
      buf = buf.subarray(r.end);
      const w = waiting.shift();
      if (r.value instanceof Error) w?.reject(r.value); else w?.resolve(r.value);
    }
  });
  socket.on("error", (e) => { while (waiting.length) waiting.shift().reject(e); });
  const send = (...args) => new Promise((resolve, reject) => {
    waiting.push({ resolve, reject });
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join("")}`);
  });
  if (u.password) await send("AUTH", ...(u.username ? [decodeURIComponent(u.username)] : []), decodeURIComponent(u.password));
  return send;
}

function parse(buf, at) {
  const eol = buf.indexOf("\r\n", at);
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[at]), line = buf.toString("utf8", at + 1, eol);
  if (type === "+") return { value: line, end: eol + 2 };
  if (type === "-") return { value: new Error(line), end: eol + 2 };
  if (type === ":") return { value: Number(line), end: eol + 2 };
  if (type === "$") {
    const n = Number(line);
    if (n < 0) return { value: null, end: eol + 2 };
    if (buf.length < eol + 2 + n + 2) return null;
    return { value: buf.toString("utf8", eol + 2, eol + 2 + n), end: eol + 2 + n + 2 };
  }
  if (type === "*") {
    const n = Number(line);
    if (n < 0) return { value: null, end: eol + 2 };
    const items = [];
    let end = eol + 2;
    for (let i = 0; i < n; i++) { const r = parse(buf, end); if (!r) return null; items.push(r.value); end = r.end; }
    return { value: items, end };
  }
  return { value: new Error(`unexpected RESP type ${type}`), end: buf.length };
}

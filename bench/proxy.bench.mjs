// Proxy with promptward vs the same proxy without it, same fake backend, one run: added p50 latency (4 KB prompts) and throughput at c=50.
// Loopback only, bounded request counts. The servers run in a child process; this process is the client.
import { fork } from "node:child_process";
import { Agent, request } from "node:http";
import { cpus } from "node:os";
import autocannon from "autocannon";

/** Stand-in for model time in the second scenario; real GPU backends take far longer per request. */
const MODEL_LATENCY_MS = 50;

if (process.argv[2] === "serve") {
  const { createGuard } = await import("../dist/index.js");
  const { nodeGuard } = await import("../dist/gateway.js");
  const { createProxy } = await import("../examples/gateway/proxy.mjs");
  const { createFakeBackend } = await import("../examples/fake-backend/server.mjs");
  const listen = (s) => new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s.address().port)));
  const guard = createGuard();
  const ports = {};
  for (const [scenario, latencyMs] of [["instant", 0], ["model", MODEL_LATENCY_MS]]) {
    const backends = [`http://127.0.0.1:${await listen(createFakeBackend({ name: "bench", latencyMs }))}`];
    ports[scenario] = { plain: await listen(createProxy({ backends })), guarded: await listen(createProxy({ backends, check: nodeGuard(guard) })) };
  }
  process.send(ports);
  process.on("disconnect", () => process.exit(0));
} else {
  const LATENCY_ROUNDS = 6, LATENCY_PER_ROUND = 400, THROUGHPUT_ROUNDS = 2, THROUGHPUT_REQUESTS = 8_000, MODEL_REQUESTS = 4_000, CONNECTIONS = 50, KEYS = 2_000;
  const server = fork(new URL(import.meta.url).pathname, ["serve"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const all = await new Promise((resolve, reject) => { server.once("message", resolve); server.once("exit", (code) => reject(new Error(`server exited ${code}`))); });
  const ports = all.instant;
  const watchdog = setTimeout(() => { console.error("proxy bench: gave up after 300 s"); server.kill(); process.exit(1); }, 300_000);

  const sentence = "Please summarise the attached quarterly report for the board, keep every figure exact and list open risks. ";
  const prompt = sentence.repeat(Math.ceil(4096 / sentence.length)).slice(0, 4096);
  const body = JSON.stringify({ model: "fake-model", messages: [{ role: "system", content: "You are a careful analyst." }, { role: "user", content: prompt }] });
  // Many API keys (so history, once on, sees ordinary traffic rather than one key flooding identical prompts).
  const key = (i) => `Bearer sk-bench-${i % KEYS}`;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  const once = (port, i) => new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const req = request({ agent, host: "127.0.0.1", port, path: "/v1/chat/completions", method: "POST", timeout: 5_000, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: key(i) } }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - t) / 1e6) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(body);
  });
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };

  // Latency, one request at a time, rounds interleaved so drift hits both sides alike.
  for (let i = 0; i < 300; i++) { await once(ports.plain, i); await once(ports.guarded, i); }
  const lat = { plain: [], guarded: [] };
  let n = 0;
  for (let r = 0; r < LATENCY_ROUNDS; r++) {
    for (const side of r % 2 ? ["guarded", "plain"] : ["plain", "guarded"]) for (let i = 0; i < LATENCY_PER_ROUND; i++) lat[side].push(await once(ports[side], n++));
  }

  // Throughput at c=50 with autocannon, bounded by request count, alternating sides.
  async function throughput(p, rounds, amount) {
    const rps = { plain: [], guarded: [] };
    const errors = { plain: 0, guarded: 0 };
    for (let r = 0; r < rounds; r++) {
      for (const side of r % 2 ? ["guarded", "plain"] : ["plain", "guarded"]) {
        let k = 0;
        const started = performance.now();
        const result = await autocannon({
          url: `http://127.0.0.1:${p[side]}/v1/chat/completions`, connections: CONNECTIONS, amount, timeout: 10,
          requests: [{ method: "POST", body, setupRequest: (req) => ({ ...req, headers: { "content-type": "application/json", authorization: key(k++) } }) }],
        });
        errors[side] += result.errors + result.timeouts + result.non2xx;
        rps[side].push(result.requests.total / ((performance.now() - started) / 1000)); // own clock: finer than result.duration
      }
    }
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return { plain: mean(rps.plain), guarded: mean(rps.guarded), errors };
  }
  const instant = await throughput(ports, THROUGHPUT_ROUNDS, THROUGHPUT_REQUESTS);
  const model = await throughput(all.model, 1, MODEL_REQUESTS);
  clearTimeout(watchdog);
  server.disconnect();

  const p50 = { plain: median(lat.plain), guarded: median(lat.guarded) };
  const added = p50.guarded - p50.plain;
  const loss = (t) => 1 - t.guarded / t.plain;
  const ms = (x) => `${x.toFixed(3)} ms`;
  console.log(`4 KB user prompt in a chat request; same fake backend for both proxies; client and servers share ${cpus().length} x ${cpus()[0]?.model ?? "CPU"}; Node ${process.version}`);
  console.table({
    "without guard": { "p50 (c=1)": ms(p50.plain), "p99 (c=1)": ms(pct(lat.plain, 0.99)), "req/s c=50, instant backend": Math.round(instant.plain), [`req/s c=50, ${MODEL_LATENCY_MS} ms backend`]: Math.round(model.plain), errors: instant.errors.plain + model.errors.plain },
    "with guard": { "p50 (c=1)": ms(p50.guarded), "p99 (c=1)": ms(pct(lat.guarded, 0.99)), "req/s c=50, instant backend": Math.round(instant.guarded), [`req/s c=50, ${MODEL_LATENCY_MS} ms backend`]: Math.round(model.guarded), errors: instant.errors.guarded + model.errors.guarded },
  });
  const verdict = (ok) => (ok ? "OK" : "OVER");
  console.log(`added p50 latency: ${ms(added)} (target <= 0.3 ms) ${verdict(added <= 0.3)}`);
  console.log(`throughput loss at c=${CONNECTIONS}, backend answering in ${MODEL_LATENCY_MS} ms: ${(loss(model) * 100).toFixed(1)}% (target <= 10%) ${verdict(loss(model) <= 0.1)}`);
  console.log(`throughput loss at c=${CONNECTIONS}, backend answering at once (proxy CPU-bound, worst case): ${(loss(instant) * 100).toFixed(1)}%`);
}

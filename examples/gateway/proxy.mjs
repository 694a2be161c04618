// An OpenAI-compatible proxy on node `http`, no framework: checks, then round-robin over backends with passive health checks.
import { Agent, createServer, request as httpRequest } from "node:http";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length"]);

/**
 * Creates (does not start) the proxy.
 * - `backends`: base URLs such as `http://10.0.0.7:8000` (requests keep their path, e.g. `/v1/chat/completions`).
 * - `check`: a connect-style middleware, e.g. `nodeGuard(createGuard())` from `promptward/gateway`; omit it to proxy unchecked.
 * - `cooldownMs`: how long a backend that failed (connection error, timeout, 5xx) is skipped.
 * - `timeoutMs`: time-out of a backend request (no answer, or silence in the middle of a stream).
 * Responses are piped through as they arrive: SSE streams are never buffered.
 */
export function createProxy({ backends, check, cooldownMs = 10_000, timeoutMs = 30_000, now = Date.now }) {
  if (!Array.isArray(backends) || backends.length === 0) throw new TypeError("createProxy: give at least one backend URL");
  const pool = backends.map((url) => ({ url: new URL(url), downUntil: 0 }));
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let turn = 0;

  /** Round-robin over healthy backends; when all are down, the one that comes back first. */
  function pick(exclude) {
    const t = now();
    for (let i = 0; i < pool.length; i++) {
      const b = pool[(turn + i) % pool.length];
      if (b.downUntil <= t && b !== exclude) { turn = (turn + i + 1) % pool.length; return b; }
    }
    return pool.filter((b) => b !== exclude).sort((a, b) => a.downUntil - b.downUntil)[0] ?? pool[0];
  }

  function forward(req, res, retried = null) {
    const backend = pick(retried);
    const body = req.rawBody; // set by the check when it read the body; otherwise the body is still in the stream
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
    if (body) headers["content-length"] = String(body.byteLength);
    else if (req.headers["content-length"]) headers["content-length"] = req.headers["content-length"];
    else if (req.headers["transfer-encoding"]) headers["transfer-encoding"] = "chunked";
    const upstream = httpRequest({ agent, protocol: backend.url.protocol, hostname: backend.url.hostname, port: backend.url.port, method: req.method, path: req.url, headers, timeout: timeoutMs });
    upstream.on("response", (up) => {
      if (up.statusCode >= 500) backend.downUntil = now() + cooldownMs; // passive health check
      const out = {};
      for (const [k, v] of Object.entries(up.headers)) if (!HOP_BY_HOP.has(k) || k === "content-length") out[k] = v;
      res.writeHead(up.statusCode ?? 502, out); // merged with headers set before, such as the verdict header
      up.pipe(res);
      up.on("error", () => res.destroy());
    });
    upstream.on("timeout", () => upstream.destroy(new Error("backend timed out")));
    upstream.on("error", (error) => {
      backend.downUntil = now() + cooldownMs;
      if (res.headersSent) return res.destroy();
      // Replay once on another backend when the body is in hand (it is whenever the check ran).
      if (!retried && body && pool.length > 1) return forward(req, res, backend);
      fail(res, error.message === "backend timed out" ? 504 : 502, `upstream ${error.message === "backend timed out" ? "timed out" : "unavailable"}`);
    });
    res.on("close", () => { if (!res.writableFinished) upstream.destroy(); }); // client went away: stop the backend
    if (body) upstream.end(body);
    else req.pipe(upstream);
  }

  const server = createServer((req, res) => (check ? check(req, res, () => forward(req, res)) : forward(req, res)));
  server.on("close", () => agent.destroy());
  return server;
}

function fail(res, status, message) {
  const body = JSON.stringify({ error: { message, type: "server_error", param: null, code: status === 504 ? "upstream_timeout" : "upstream_unavailable" } });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

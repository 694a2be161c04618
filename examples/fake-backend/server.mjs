// A fake OpenAI-compatible model backend for demos, tests and the benchmark: echoes the last user message, streaming or not.
import { createServer } from "node:http";

/**
 * Creates (does not start) a fake backend. Answers POST /v1/chat/completions (with `stream: true` as SSE),
 * /v1/completions, /v1/embeddings, /v1/responses and GET /v1/models. Every answer carries `x-backend: <name>`.
 * `latencyMs` delays each answer (a stand-in for model time), `chunkDelayMs` spaces stream chunks.
 */
export function createFakeBackend({ name = "fake", chunkDelayMs = 0, latencyMs = 0 } = {}) {
  return createServer((req, res) => (latencyMs ? setTimeout(handle, latencyMs, req, res) : handle(req, res)));

  function handle(req, res) {
    res.setHeader("x-backend", name);
    if (req.method === "GET" && req.url?.startsWith("/v1/models")) return json(res, 200, { object: "list", data: [{ id: "fake-model", object: "model", created: 0, owned_by: name }] });
    if (req.method !== "POST") return json(res, 404, { error: { message: "not found", type: "invalid_request_error", param: null, code: null } });
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      let body;
      try { body = JSON.parse(Buffer.concat(chunks).toString("utf8")); } catch { return json(res, 400, { error: { message: "bad json", type: "invalid_request_error", param: null, code: null } }); }
      const path = (req.url ?? "").split("?")[0];
      const model = body.model ?? "fake-model";
      const reply = `${name} says: you sent ${describe(body)}`;
      if (path.endsWith("/chat/completions") && body.stream) return stream(res, model, reply, chunkDelayMs);
      if (path.endsWith("/chat/completions")) return json(res, 200, { id: "chatcmpl-fake", object: "chat.completion", created: 0, model, choices: [{ index: 0, message: { role: "assistant", content: reply, refusal: null }, finish_reason: "stop", logprobs: null }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
      if (path.endsWith("/completions")) return json(res, 200, { id: "cmpl-fake", object: "text_completion", created: 0, model, choices: [{ index: 0, text: reply, finish_reason: "stop", logprobs: null }] });
      if (path.endsWith("/embeddings")) return json(res, 200, { object: "list", model, data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2, 0.3] }], usage: { prompt_tokens: 1, total_tokens: 1 } });
      if (path.endsWith("/responses")) return json(res, 200, { id: "resp_fake", object: "response", created_at: 0, status: "completed", model, output: [{ type: "message", id: "msg_fake", role: "assistant", status: "completed", content: [{ type: "output_text", text: reply, annotations: [] }] }] });
      return json(res, 404, { error: { message: `no route ${path}`, type: "invalid_request_error", param: null, code: null } });
    });
  }
}

function describe(body) {
  const last = Array.isArray(body.messages) ? body.messages.at(-1)?.content : body.prompt ?? body.input;
  const text = typeof last === "string" ? last : JSON.stringify(last ?? "");
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}

function json(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** Server-sent events as the OpenAI API sends them: one chunk per word, then `data: [DONE]`. */
function stream(res, model, reply, delayMs) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const words = reply.split(/(?<= )/);
  const chunk = (delta, finish = null) => `data: ${JSON.stringify({ id: "chatcmpl-fake", object: "chat.completion.chunk", created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  let i = 0;
  const next = () => {
    if (res.destroyed) return;
    if (i === 0) res.write(chunk({ role: "assistant", content: "" }));
    if (i < words.length) { res.write(chunk({ content: words[i++] })); return delayMs ? setTimeout(next, delayMs) : setImmediate(next); }
    res.write(chunk({}, "stop"));
    res.end("data: [DONE]\n\n");
  };
  next();
}

// Run directly: `node examples/fake-backend/server.mjs [port] [name]`
if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? 9001);
  createFakeBackend({ name: process.argv[3] ?? `fake-${port}` }).listen(port, "127.0.0.1", () => console.log(`fake backend on http://127.0.0.1:${port}/v1`));
}

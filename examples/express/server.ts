// Express gateway in a few lines: promptward checks, then the request is forwarded and the answer (SSE too) streamed back.
// Run: npx tsx examples/express/server.ts   (in your app, import from "promptward" and "promptward/express")
import express from "express";
import { Readable } from "node:stream";
import { createGuard } from "../../src/index.js";
import { expressGuard, type ExpressGuardedRequest } from "../../src/express.js";

export function createApp(backend = process.env.BACKEND_URL ?? "http://127.0.0.1:9001"): express.Express {
  const app = express();
  app.use(expressGuard(createGuard())); // blocked -> 400 prompt_blocked; before express.json() so bad JSON gets an OpenAI-style 400 too
  app.post("/v1/*path", async (req, res) => {
    const upstream = await fetch(backend + req.originalUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: req.get("authorization") ?? "" },
      body: JSON.stringify((req as ExpressGuardedRequest).body), // set by expressGuard (or by express.json())
    });
    res.status(upstream.status).type(upstream.headers.get("content-type") ?? "application/json");
    if (upstream.body) Readable.fromWeb(upstream.body as import("node:stream/web").ReadableStream).pipe(res);
    else res.end();
  });
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) createApp().listen(8080, "127.0.0.1", () => console.log("express gateway on http://127.0.0.1:8080/v1"));

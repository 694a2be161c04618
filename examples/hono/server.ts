// Hono gateway in a few lines (Bun, Deno, Cloudflare, or Node with @hono/node-server): Web Request in, Response or null out.
// Run: bun examples/hono/server.ts   (in your app, import from "promptward" and "promptward/gateway")
import { Hono } from "hono";
import { createGuard } from "../../src/index.js";
import { gatewayGuard } from "../../src/gateway.js";

const backend = globalThis.process?.env["BACKEND_URL"] ?? "http://127.0.0.1:9001";
const check = gatewayGuard(createGuard());

export const app = new Hono();
app.use("/v1/*", async (c, next) => {
  const blocked = await check(c.req.raw); // a ready 400/413 Response, or null; the body stays readable
  if (blocked) return blocked;
  await next();
});
app.post("/v1/*", (c) => fetch(backend + new URL(c.req.url).pathname, { method: "POST", headers: c.req.raw.headers, body: c.req.raw.body, duplex: "half" } as RequestInit)); // streamed through

export default app; // Bun and Deno serve the default export's fetch

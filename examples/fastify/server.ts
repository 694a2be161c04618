// Fastify gateway in a few lines: the promptward plugin guards every route; the verdict is on request.promptward.
// Run: npx tsx examples/fastify/server.ts   (in your app, import from "promptward" and "promptward/fastify")
import Fastify, { type FastifyInstance } from "fastify";
import { createGuard } from "../../src/index.js";
import { fastifyGuard } from "../../src/fastify.js";

export async function buildApp(backend = process.env.BACKEND_URL ?? "http://127.0.0.1:9001"): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: 4 * 1024 * 1024 });
  await app.register(fastifyGuard, { guard: createGuard() }); // blocked -> 400 prompt_blocked
  app.post("/v1/*", async (request, reply) => {
    const upstream = await fetch(backend + request.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: request.headers.authorization ?? "" },
      body: JSON.stringify(request.body),
    });
    return reply.code(upstream.status).type(upstream.headers.get("content-type") ?? "application/json").send(upstream.body); // streamed, not buffered
  });
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) await (await buildApp()).listen({ port: 8080, host: "127.0.0.1" });

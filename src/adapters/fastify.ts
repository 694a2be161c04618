// Fastify plugin: a preHandler hook that checks OpenAI-compatible requests and decorates the verdict on the request.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { Guard } from "../guard.js";
import { defaultClientKey } from "./client-key.js";
import { CHECK_FAILED, INVALID_JSON, checkBody, endpointToCheck, parseJson, resolveGatewayOptions, withHeader, type Decision, type GatewayOptions, type GatewayVerdict } from "./core.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The promptward verdict: set by {@link fastifyGuard} when the request was checked, else null. */
    promptward: GatewayVerdict | null;
  }
}

/** Options of {@link fastifyGuard}: the guard plus the adapter options; `clientKey` receives the Fastify request. */
export interface FastifyGuardOptions extends GatewayOptions<FastifyRequest> {
  /** The guard from `createGuard()`. */
  readonly guard: Guard;
}

/** The supported Fastify range, checked by Fastify when the plugin is registered. */
export const FASTIFY_RANGE = "4.x || 5.x";

/** Register options Fastify itself may pass along; not ours to validate. */
const FASTIFY_KEYS = new Set(["guard", "prefix", "logLevel", "logSerializers"]);

const plugin = async (fastify: FastifyInstance, opts: FastifyGuardOptions): Promise<void> => {
  const { guard } = opts;
  const rest = Object.fromEntries(Object.entries(opts).filter(([k]) => !FASTIFY_KEYS.has(k))) as GatewayOptions<FastifyRequest>;
  const o = resolveGatewayOptions("fastifyGuard", guard, rest);
  fastify.decorateRequest("promptward", null);
  fastify.addHook("preHandler", async (request: FastifyRequest, reply: FastifyReply) => {
    const d = await decide(request);
    for (const [k, v] of Object.entries(d.headers)) void reply.header(k, v);
    if (d.verdict) request.promptward = d.verdict;
    if (d.status !== null) return reply.code(d.status).send(d.body);
    return undefined;
  });

  // Fastify's own parser has already answered malformed JSON (400), oversized bodies (413, its `bodyLimit`)
  // and unknown content types (415) by the time this hook runs.
  async function decide(request: FastifyRequest): Promise<Decision> {
    try {
      const endpoint = endpointToCheck(request.method, request.url);
      if (endpoint === null) return { status: null, body: null, headers: {}, verdict: null };
      const body = typeof request.body === "string" ? parseJson(request.body) : request.body;
      if (body === undefined) return INVALID_JSON();
      const clientId = o.clientKey ? await o.clientKey(request) : defaultClientKey(request.headers.authorization, request.ip);
      return withHeader(await checkBody(guard, endpoint, body, o.roles, clientId), o.header);
    } catch {
      return CHECK_FAILED();
    }
  }
};

/**
 * Fastify plugin (Fastify 4 and 5), following fastify-plugin's conventions without depending on it: named
 * `promptward`, declares its supported Fastify range, and skips encapsulation so its hook guards every route.
 * Checks POSTs to the OpenAI-compatible endpoints in `preHandler`; a blocked request gets HTTP 400 with an
 * OpenAI-style `prompt_blocked` error. `request.promptward` holds the verdict (null when not checked).
 * @example
 * await app.register(fastifyGuard, { guard: createGuard() });
 * @throws {ConfigError} (at registration) for an unknown or invalid option.
 */
export const fastifyGuard: FastifyPluginAsync<FastifyGuardOptions> = Object.assign(plugin, {
  [Symbol.for("skip-override")]: true,
  [Symbol.for("fastify.display-name")]: "promptward",
  [Symbol.for("plugin-meta")]: { name: "promptward", fastify: FASTIFY_RANGE },
});

// Entry `promptward/fastify`: the Fastify plugin.
export { FASTIFY_RANGE, fastifyGuard } from "./adapters/fastify.js";
export type { FastifyGuardOptions } from "./adapters/fastify.js";
export type { GatewayFinding, GatewayOptions, GatewayVerdict } from "./adapters/core.js";

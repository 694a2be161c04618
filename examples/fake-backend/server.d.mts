// Types of server.mjs, so TypeScript tests can import it.
import type { Server } from "node:http";
/** Creates (does not start) a fake OpenAI-compatible backend; answers carry `x-backend: <name>`. */
export function createFakeBackend(options?: { name?: string; chunkDelayMs?: number; latencyMs?: number }): Server;

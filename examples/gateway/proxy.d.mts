// Types of proxy.mjs, so TypeScript tests can import it.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
export interface ProxyOptions {
  /** Backend base URLs, e.g. `http://127.0.0.1:9001`. */
  backends: readonly string[];
  /** A connect-style check, e.g. `nodeGuard(createGuard())`; omitted: the proxy forwards unchecked. */
  check?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  /** How long a failed backend is skipped. @default 10000 */
  cooldownMs?: number;
  /** Backend request time-out. @default 30000 */
  timeoutMs?: number;
  now?: () => number;
}
/** Creates (does not start) the OpenAI-compatible proxy. */
export function createProxy(options: ProxyOptions): Server;

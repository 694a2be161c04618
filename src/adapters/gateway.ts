// Web `Request` adapter (Hono, Bun, Deno, Next.js) and a node `http` helper: request in, `Response | null` out.
import type { Guard } from "../guard.js";
import { defaultClientKey } from "./client-key.js";
import {
  CHECK_FAILED, INVALID_JSON, PASS, TOO_LARGE, checkBody, endpointToCheck, parseJson, resolveGatewayOptions, withHeader,
  type Decision, type GatewayOptions, type GatewayVerdict, type ResolvedGatewayOptions,
} from "./core.js";

/** What {@link WebGatewayGuard.inspect} decided: the answer to send (or null to go on), the verdict, and headers for your response. */
export interface GatewayOutcome {
  /** A ready 4xx `Response` when the request must not go on, else `null`. */
  readonly response: Response | null;
  /** The verdict, when the request was checked (null for paths without prompts, malformed or oversized bodies). */
  readonly verdict: GatewayVerdict | null;
  /** Headers to add to your own response when the request goes on (the verdict header, when enabled). */
  readonly headers: Readonly<Record<string, string>>;
}

/** The function {@link gatewayGuard} returns. */
export interface WebGatewayGuard {
  /** A 4xx `Response` when the request must not go on, `null` to let it through. The request's body stays readable. */
  (request: Request): Promise<Response | null>;
  /** Like the call, with the verdict and the headers to add to your response (for monitor mode). */
  inspect(request: Request): Promise<GatewayOutcome>;
}

/**
 * Guards OpenAI-compatible requests given as Web `Request`s. Only POSTs to `.../chat/completions`,
 * `.../completions`, `.../responses` and `.../embeddings` are checked; the body is read from a clone.
 * A Web `Request` carries no remote address: without a bearer token, pass `clientKey` (e.g. from your
 * runtime's connection info) or requests are checked without history.
 * @example
 * const check = gatewayGuard(createGuard());
 * app.use("/v1/*", async (c, next) => (await check(c.req.raw)) ?? next());   // Hono
 * @throws {ConfigError} for an unknown or invalid option.
 */
export function gatewayGuard(guard: Guard, options?: GatewayOptions<Request>): WebGatewayGuard {
  const o = resolveGatewayOptions("gatewayGuard", guard, options);
  const inspect = async (request: Request): Promise<GatewayOutcome> => {
    const d = await decideWeb(guard, o, request);
    const response = d.status === null ? null : new Response(d.body, { status: d.status, headers: d.headers });
    return { response, verdict: d.verdict, headers: d.status === null ? d.headers : {} };
  };
  const check = async (request: Request): Promise<Response | null> => (await inspect(request)).response;
  return Object.assign(check, { inspect });
}

async function decideWeb(guard: Guard, o: ResolvedGatewayOptions<Request>, request: Request): Promise<Decision> {
  try {
    const endpoint = endpointToCheck(request.method, new URL(request.url).pathname);
    if (endpoint === null) return PASS;
    if (Number(request.headers.get("content-length")) > o.maxBodyBytes) return TOO_LARGE(o.maxBodyBytes);
    const bytes = await readAll(request.clone().body, o.maxBodyBytes);
    if (bytes === null) return TOO_LARGE(o.maxBodyBytes);
    const body = parseJson(new TextDecoder().decode(bytes));
    if (body === undefined) return INVALID_JSON();
    const clientId = o.clientKey ? await o.clientKey(request) : defaultClientKey(request.headers.get("authorization"), null);
    return withHeader(await checkBody(guard, endpoint, body, o.roles, clientId), o.header);
  } catch {
    return CHECK_FAILED();
  }
}

/** Reads a Web stream up to `max` bytes; null when it is longer (the rest is cancelled). */
async function readAll(stream: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array | null> {
  if (stream === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // Not awaited: a branch of a tee'd (cloned) body settles its cancel only once the other branch is cancelled too.
    if (size > max) { reader.cancel().catch(() => undefined); return null; }
    chunks.push(value);
  }
  return concat(chunks, size);
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.byteLength; }
  return out;
}

/** The parts of node's `IncomingMessage` the helper uses (structural, so this entry needs no Node types). */
export interface NodeRequest {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly socket?: { readonly remoteAddress?: string | undefined } | null;
  readonly complete?: boolean;
  readonly readable?: boolean;
  readonly readableEnded?: boolean;
  /** The parsed JSON body: read by a body parser before, or set by the helper after reading the stream. */
  body?: unknown;
  /** The raw bytes, set when the helper read the stream itself (forward these). */
  rawBody?: Uint8Array;
  /** The verdict, set when the request was checked. */
  promptward?: GatewayVerdict;
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}

/** The parts of node's `ServerResponse` the helper uses. */
export interface NodeResponse {
  readonly headersSent?: boolean;
  setHeader(name: string, value: string): unknown;
  writeHead(status: number, headers?: Record<string, string>): unknown;
  end(body?: string): unknown;
}

/** The middleware signature of {@link nodeGuard}: connect-style, `next()` to go on. */
export type NodeMiddleware<Req extends NodeRequest = NodeRequest> = (req: Req, res: NodeResponse, next: (error?: unknown) => void) => void;

/**
 * A connect-style `(req, res, next)` helper for node `http` servers: reads the body (up to `maxBodyBytes`),
 * checks it, and either answers 4xx itself or calls `next()` with `req.body`, `req.rawBody` and
 * `req.promptward` set. It never calls `next(error)`: a failing check answers 503.
 * @example
 * const check = nodeGuard(createGuard());
 * http.createServer((req, res) => check(req, res, () => forward(req, res)));
 * @throws {ConfigError} for an unknown or invalid option.
 */
export function nodeGuard<Req extends NodeRequest = NodeRequest>(guard: Guard, options?: GatewayOptions<Req>): NodeMiddleware<Req> {
  const o = resolveGatewayOptions("nodeGuard", guard, options);
  return (req, res, next) => {
    void decideNode(guard, o, req).then((d) => {
      for (const [k, v] of Object.entries(d.headers)) res.setHeader(k, v);
      if (d.verdict) req.promptward = d.verdict;
      if (d.status === null) return next();
      if (d.status === 413) res.setHeader("connection", "close"); // the rest of the body is not read
      if (!res.headersSent) res.writeHead(d.status);
      res.end(d.body ?? "");
    });
  };
}

/** Shared by the node helper and the Express adapter. Never rejects. */
export async function decideNode<Req extends NodeRequest>(guard: Guard, o: ResolvedGatewayOptions<Req>, req: Req): Promise<Decision> {
  try {
    const endpoint = endpointToCheck(req.method, req.url);
    if (endpoint === null) return PASS;
    let body: unknown = req.body;
    const consumed = req.readableEnded === true || (req.complete === true && req.readable === false);
    if (!consumed) {
      // Nothing parsed the body (or a parser skipped it): read it ourselves, bounded.
      if (Number(header(req, "content-length")) > o.maxBodyBytes) return TOO_LARGE(o.maxBodyBytes);
      const bytes = await readNode(req, o.maxBodyBytes);
      if (bytes === null) return TOO_LARGE(o.maxBodyBytes);
      req.rawBody = bytes;
      body = req.body = parseJson(new TextDecoder().decode(bytes));
    } else if (typeof body === "string" || body instanceof Uint8Array) {
      body = parseJson(typeof body === "string" ? body : new TextDecoder().decode(body)); // express.text() / express.raw()
    }
    if (body === undefined) return INVALID_JSON();
    const clientId = o.clientKey ? await o.clientKey(req) : defaultClientKey(header(req, "authorization"), remoteAddress(req));
    return withHeader(await checkBody(guard, endpoint, body, o.roles, clientId), o.header);
  } catch {
    return CHECK_FAILED();
  }
}

function header(req: NodeRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function remoteAddress(req: NodeRequest): string | undefined {
  const ip = (req as { ip?: unknown }).ip; // Express and Fastify resolve it (honouring "trust proxy")
  return typeof ip === "string" ? ip : req.socket?.remoteAddress;
}

/** Reads a node request stream up to `max` bytes; null when it is longer. Rejects on a stream error. */
function readNode(req: NodeRequest, max: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const done = (value: Uint8Array | null, error?: unknown): void => {
      req.removeListener("data", onData); req.removeListener("end", onEnd); req.removeListener("error", onError); req.removeListener("close", onClose);
      if (error === undefined) resolve(value); else reject(error);
    };
    const onData = (chunk: Uint8Array | string): void => {
      const c = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
      size += c.byteLength;
      if (size > max) done(null); else chunks.push(c);
    };
    const onEnd = (): void => done(concat(chunks, size));
    const onError = (e: unknown): void => done(null, e ?? new Error("request stream error"));
    const onClose = (): void => { if (req.readableEnded !== true) done(null, new Error("request aborted")); };
    req.on("data", onData); req.on("end", onEnd); req.on("error", onError); req.on("close", onClose);
  });
}

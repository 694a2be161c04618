// Express adapter: a middleware that checks OpenAI-compatible requests, after express.json() or on the raw body.
import type { NextFunction, Request, Response } from "express";
import type { Guard } from "../guard.js";
import { resolveGatewayOptions, type GatewayOptions, type GatewayVerdict } from "./core.js";
import { decideNode } from "./gateway.js";

/** Options of {@link expressGuard}; `clientKey` receives the Express request. */
export type ExpressGuardOptions = GatewayOptions<Request>;

/** An Express request after {@link expressGuard}: `promptward` holds the verdict when the request was checked. */
export type ExpressGuardedRequest = Request & { promptward?: GatewayVerdict; rawBody?: Uint8Array };

/**
 * Express middleware (4.18+ and 5). Checks POSTs to the OpenAI-compatible endpoints; a blocked request gets
 * HTTP 400 with an OpenAI-style `prompt_blocked` error, a malformed body 400, an oversized one 413. Works after
 * `express.json()` (it uses `req.body`) and before it or without it (it reads the body itself, up to
 * `maxBodyBytes`, and sets `req.body` and `req.rawBody`). Place it first to get OpenAI-style errors for bad JSON too.
 * Responses are not touched: streams pass through.
 * @example
 * app.use(expressGuard(createGuard()));
 * app.post("/v1/chat/completions", express.json(), forward);
 * @throws {ConfigError} for an unknown or invalid option.
 */
export function expressGuard(guard: Guard, options?: ExpressGuardOptions): (req: Request, res: Response, next: NextFunction) => void {
  const o = resolveGatewayOptions("expressGuard", guard, options);
  return (req, res, next) => {
    void decideNode(guard, o, req as ExpressGuardedRequest).then((d) => {
      for (const [k, v] of Object.entries(d.headers)) res.setHeader(k, v);
      if (d.verdict) (req as ExpressGuardedRequest).promptward = d.verdict;
      if (d.status === null) return next();
      if (d.status === 413) res.setHeader("connection", "close"); // the rest of the body is not read
      res.status(d.status).end(d.body ?? "");
    });
  };
}

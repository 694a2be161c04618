// What every adapter shares: options, checking a parsed body message by message, and the OpenAI-style answers.
import { ConfigError } from "../errors.js";
import { definedOnly, describe, functionOption, objectOption, positiveInteger, rejectUnknownKeys } from "../internal/options.js";
import type { Guard } from "../guard.js";
import type { Action, Finding, Verdict } from "../types.js";
import { DEFAULT_ROLES, endpointOf, extractPrompts, type Endpoint } from "./openai.js";

/** A finding of a gateway verdict: which message (and content part) it came from; `span` is relative to that text. */
export interface GatewayFinding extends Finding {
  readonly source: { readonly index: number; readonly role: string; readonly part?: number };
}

/** The verdict on a whole request: the strictest action among its messages, the highest score, every finding tagged. */
export interface GatewayVerdict extends Verdict {
  readonly findings: readonly GatewayFinding[];
  readonly endpoint: Endpoint;
  /** How many texts were checked (messages and content parts). */
  readonly checked: number;
  /** The client key the newest turn was recorded under, if any (a hash, never the raw token). */
  readonly clientId?: string;
}

/** Options shared by every adapter; `Req` is the framework's request type. */
export interface GatewayOptions<Req> {
  /**
   * Roles whose messages are scanned. Roles the OpenAI API does not know are always scanned.
   * @default ["user", "tool", "function"]
   */
  readonly roles?: readonly string[];
  /**
   * The key a client's history is kept under. Return `undefined` to check without history.
   * @default a SHA-256 hash of the bearer token, else the remote address
   */
  readonly clientKey?: (request: Req) => string | undefined | Promise<string | undefined>;
  /**
   * Largest body read, in bytes; larger requests get HTTP 413.
   * @default 4_194_304 (4 MiB)
   */
  readonly maxBodyBytes?: number;
  /**
   * Adds a verdict header (`block; score=0.80; rules=...`, rule ids only, never prompt text): `true` for
   * `x-promptward-verdict`, a string for another header name, `false` for none.
   * @default true in monitor mode, false in enforce mode
   */
  readonly verdictHeader?: boolean | string;
}

/** Options after validation. */
export interface ResolvedGatewayOptions<Req> {
  readonly roles: ReadonlySet<string>;
  readonly clientKey: ((request: Req) => string | undefined | Promise<string | undefined>) | undefined;
  readonly maxBodyBytes: number;
  readonly header: string | null;
}

/** What an adapter should do with a request: pass it on (`status === null`) or answer it. */
export interface Decision {
  readonly status: number | null;
  /** JSON body of the answer (OpenAI-style error), when `status` is set. */
  readonly body: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly verdict: GatewayVerdict | null;
}

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
const DEFAULT_HEADER = "x-promptward-verdict";
const KNOWN: { readonly [K in keyof Required<GatewayOptions<unknown>>]: true } = { roles: true, clientKey: true, maxBodyBytes: true, verdictHeader: true };
const RANK: Readonly<Record<Action, number>> = { allow: 0, flag: 1, block: 2 };
const PASS: Decision = Object.freeze({ status: null, body: null, headers: {}, verdict: null });

/**
 * Validates adapter options once, at construction.
 * @throws {ConfigError} for an unknown option or a wrong type, or when `guard` is not a guard.
 */
export function resolveGatewayOptions<Req>(name: string, guard: Guard, options: GatewayOptions<Req> | undefined): ResolvedGatewayOptions<Req> {
  if (typeof guard !== "object" || guard === null || typeof guard.check !== "function") {
    throw new ConfigError("OPTION_INVALID", "guard", `${name}: the first argument must be a guard from createGuard(), got ${describe(guard)}`);
  }
  const o = definedOnly(objectOption("options", options ?? {}) as GatewayOptions<Req>);
  rejectUnknownKeys(o, KNOWN);
  if (o.roles !== undefined && (!Array.isArray(o.roles) || o.roles.some((r) => typeof r !== "string"))) {
    throw new ConfigError("OPTION_INVALID", "roles", `"roles" must be an array of role names, e.g. ["user", "tool"], got ${describe(o.roles)}`);
  }
  const h = o.verdictHeader ?? guard.settings.mode === "monitor";
  if (typeof h !== "boolean" && (typeof h !== "string" || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(h))) {
    throw new ConfigError("OPTION_INVALID", "verdictHeader", `"verdictHeader" must be true, false or a header name, got ${describe(h)}`);
  }
  return {
    roles: new Set(o.roles ?? DEFAULT_ROLES),
    clientKey: o.clientKey === undefined ? undefined : functionOption("clientKey", o.clientKey),
    maxBodyBytes: o.maxBodyBytes === undefined ? DEFAULT_MAX_BODY_BYTES : positiveInteger("maxBodyBytes", o.maxBodyBytes),
    header: h === true ? DEFAULT_HEADER : h === false ? null : h.toLowerCase(),
  };
}

/** The endpoint to check, or null when the request passes unchecked (not a POST, or a path without prompts). */
export function endpointToCheck(method: string | undefined, path: string | undefined): Endpoint | null {
  return method === "POST" && path ? endpointOf(path) : null;
}

/**
 * Checks a parsed body. Only the newest turn is checked with `clientId` (recorded in the history once);
 * earlier messages are re-checked without it, since a client can forge them.
 */
export async function checkBody(guard: Guard, endpoint: Endpoint, body: unknown, roles: ReadonlySet<string>, clientId: string | undefined): Promise<Decision> {
  const extracted = extractPrompts(body, endpoint, roles);
  if (!extracted.ok) return answer(400, extracted.message, "invalid_request_body", extracted.param);
  const findings: GatewayFinding[] = [];
  let action: Action = "allow", intendedAction: Action = "allow", score = 0, textLength = 0, normalizedLength = 0, elapsedUs = 0;
  for (const seg of extracted.segments) {
    const v = await guard.check(seg.latest && clientId !== undefined ? { text: seg.text, clientId } : seg.text);
    if (RANK[v.action] > RANK[action]) action = v.action;
    if (RANK[v.intendedAction] > RANK[intendedAction]) intendedAction = v.intendedAction;
    score = Math.max(score, v.score);
    textLength += v.textLength; normalizedLength += v.normalizedLength; elapsedUs += v.elapsedUs;
    const source = seg.part === undefined ? { index: seg.index, role: seg.role } : { index: seg.index, role: seg.role, part: seg.part };
    for (const f of v.findings) findings.push({ ...f, source });
  }
  findings.sort((a, b) => RANK_SEVERITY[b.severity] - RANK_SEVERITY[a.severity]);
  const verdict: GatewayVerdict = {
    action, intendedAction, score, findings, mode: guard.settings.mode, textLength, normalizedLength, elapsedUs,
    endpoint, checked: extracted.segments.length, ...(clientId === undefined ? {} : { clientId }),
  };
  if (action !== "block") return { status: null, body: null, headers: {}, verdict };
  const ids = ruleIds(verdict);
  const where = findings[0] ? ` in ${endpoint === "chat.completions" ? "messages" : endpoint === "completions" ? "prompt" : "input"}[${findings[0].source.index}]` : "";
  return { ...answer(400, `This request was blocked by the gateway's prompt-security check (${ids.join(", ") || "policy"}${where}).`, "prompt_blocked", null), verdict };
}

const RANK_SEVERITY = { low: 0, medium: 1, high: 2, critical: 3 } as const;

/** Adds the verdict header (when enabled) to a decision. */
export function withHeader(decision: Decision, header: string | null): Decision {
  if (header === null || decision.verdict === null) return decision;
  return { ...decision, headers: { ...decision.headers, [header]: verdictHeaderValue(decision.verdict) } };
}

/**
 * The verdict header's value: action, score and rule ids (`intended=` added in monitor mode). Rule ids only,
 * never prompt text; characters outside `[A-Za-z0-9._:-]` in third-party ids become `_`.
 * @example verdictHeaderValue(verdict) // "block; score=0.80; rules=en.instruction-override.ignore-previous"
 */
export function verdictHeaderValue(v: GatewayVerdict): string {
  const ids = ruleIds(v);
  return `${v.action}${v.intendedAction === v.action ? "" : `; intended=${v.intendedAction}`}; score=${v.score.toFixed(2)}${ids.length ? `; rules=${ids.join(",")}` : ""}`;
}

function ruleIds(v: GatewayVerdict): string[] {
  return [...new Set(v.findings.map((f) => f.ruleId.replace(/[^A-Za-z0-9._:-]/g, "_")))].slice(0, 20);
}

/** An OpenAI-style error answer (`{"error": {message, type, param, code}}`). */
export function answer(status: number, message: string, code: string, param: string | null = null, type = "invalid_request_error"): Decision {
  return { status, body: JSON.stringify({ error: { message, type, param, code } }), headers: { "content-type": "application/json" }, verdict: null };
}

/** Answer for a body that is not JSON. */
export const INVALID_JSON = (): Decision => answer(400, "We could not parse the JSON body of your request: expected a JSON object.", "invalid_json");
/** Answer for a body over `maxBodyBytes`. */
export const TOO_LARGE = (max: number): Decision => answer(413, `The request body is larger than the gateway accepts (${max} bytes).`, "request_too_large");
/** Answer when the check itself failed unexpectedly: fail closed, but never as an unexplained 500. */
export const CHECK_FAILED = (): Decision => answer(503, "The gateway's prompt-security check is unavailable; retry later.", "prompt_check_unavailable", null, "server_error");

/** Parses a JSON body; `undefined` when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export { PASS };

// OpenAI-compatible request bodies -> the texts to scan, each tagged with the message it came from.

/** Roles of the OpenAI chat API (`function` is the legacy form of `tool`). */
export type MessageRole = "system" | "developer" | "user" | "assistant" | "tool" | "function";

/** Which OpenAI-compatible endpoint a request goes to. */
export type Endpoint = "chat.completions" | "completions" | "responses" | "embeddings";

/** Roles scanned when the `roles` option is left out: what users and tools wrote, not the operator's prompts. */
export const DEFAULT_ROLES: readonly MessageRole[] = Object.freeze(["user", "tool", "function"]);

const KNOWN_ROLES: ReadonlySet<string> = new Set(["system", "developer", "user", "assistant", "tool", "function"]);

/** One text to scan. */
export interface PromptSegment {
  /** Index of the message (`messages[i]`, `input[i]`, `prompt[i]`); 0 for a plain string. */
  readonly index: number;
  /** Its role: a chat role, `"tool"` for Responses `*_output` items, `"prompt"` (completions) or `"input"` (embeddings). */
  readonly role: string;
  /** Index of the content part, when the content is an array of parts. */
  readonly part?: number;
  readonly text: string;
  /** Part of the newest turn (after the last assistant message): only these count towards a client's history. */
  readonly latest: boolean;
}

/** What {@link extractPrompts} found: the segments, or why the body is malformed (an OpenAI-style `param`). */
export type ExtractResult =
  | { readonly ok: true; readonly endpoint: Endpoint; readonly segments: readonly PromptSegment[] }
  | { readonly ok: false; readonly message: string; readonly param: string | null };

/**
 * The endpoint a request path goes to, or `null` when promptward has nothing to check there
 * (`/v1/models`, `/v1/responses/{id}/cancel`, ...). The query string is ignored.
 * @example endpointOf("/v1/chat/completions?x=1") // "chat.completions"
 */
export function endpointOf(path: string): Endpoint | null {
  const q = path.indexOf("?");
  const p = (q === -1 ? path : path.slice(0, q)).replace(/\/+$/, "");
  if (p.endsWith("/chat/completions")) return "chat.completions";
  if (p.endsWith("/completions")) return "completions";
  if (p.endsWith("/responses")) return "responses";
  if (p.endsWith("/embeddings")) return "embeddings";
  return null;
}

/**
 * Extracts the texts to scan from a parsed OpenAI-compatible body. Pure: no I/O, never throws.
 * Messages whose role is in `roles`, and messages with a role the API does not know (they cannot be the
 * operator's), are scanned; token-id prompts (arrays of numbers) cannot be and are skipped.
 * @param roles roles to scan, default {@link DEFAULT_ROLES}
 * @example
 * extractPrompts({ messages: [{ role: "user", content: "hi" }] }, "chat.completions")
 * // { ok: true, endpoint: "chat.completions", segments: [{ index: 0, role: "user", text: "hi", latest: true }] }
 */
export function extractPrompts(body: unknown, endpoint: Endpoint, roles: ReadonlySet<string> = new Set(DEFAULT_ROLES)): ExtractResult {
  if (!isObject(body)) return fail("The request body must be a JSON object.", null);
  const out: Seg[] = [];
  let problem: ExtractResult | null;
  switch (endpoint) {
    case "chat.completions": problem = chat(body, roles, out); break;
    case "responses": problem = responses(body, roles, out); break;
    case "completions": problem = flat(body, "prompt", "prompt", out, true); break;
    case "embeddings": problem = flat(body, "input", "input", out, true); break;
  }
  return problem ?? { ok: true, endpoint, segments: out };
}

type Seg = { index: number; role: string; part?: number; text: string; latest: boolean };

function chat(body: Record<string, unknown>, roles: ReadonlySet<string>, out: Seg[]): ExtractResult | null {
  const messages = body["messages"];
  if (!Array.isArray(messages) || messages.length === 0) return fail("'messages' must be a non-empty array of messages.", "messages");
  const lastAssistant = lastIndexWhere(messages, (m) => isObject(m) && m["role"] === "assistant");
  for (let i = 0; i < messages.length; i++) {
    const m: unknown = messages[i];
    if (!isObject(m)) return fail(`'messages[${i}]' must be an object.`, `messages[${i}]`);
    const role = m["role"];
    if (typeof role !== "string" || role === "") return fail(`'messages[${i}].role' must be a string.`, `messages[${i}].role`);
    const problem = content(m["content"], `messages[${i}].content`, i, role, i > lastAssistant, scanned(role, roles), out);
    if (problem) return problem;
  }
  return null;
}

function responses(body: Record<string, unknown>, roles: ReadonlySet<string>, out: Seg[]): ExtractResult | null {
  const input = body["input"];
  if (typeof input === "string") {
    if (roles.has("user")) out.push({ index: 0, role: "user", text: input, latest: true });
    return null;
  }
  if (input === undefined) return null; // e.g. a follow-up with only `previous_response_id` and tools: nothing new to scan
  if (!Array.isArray(input)) return fail("'input' must be a string or an array of input items.", "input");
  const lastAssistant = lastIndexWhere(input, (m) => isObject(m) && (m["role"] === "assistant" || m["type"] === "function_call"));
  for (let i = 0; i < input.length; i++) {
    const item: unknown = input[i];
    if (!isObject(item)) return fail(`'input[${i}]' must be an object.`, `input[${i}]`);
    const type = item["type"];
    if (typeof type === "string" && type.endsWith("_output")) {
      // function_call_output and its siblings: what a tool returned, the usual road of indirect injection
      const problem = content(item["output"], `input[${i}].output`, i, "tool", i > lastAssistant, scanned("tool", roles), out);
      if (problem) return problem;
    } else if (typeof item["role"] === "string") {
      const role = item["role"];
      const problem = content(item["content"], `input[${i}].content`, i, role, i > lastAssistant, scanned(role, roles), out);
      if (problem) return problem;
    }
    // other items (function_call, reasoning, item_reference, ...) carry no text from the user
  }
  return null;
}

/** `prompt` (completions) and `input` (embeddings): a string, an array of strings, or token ids (not scannable). */
function flat(body: Record<string, unknown>, key: string, role: string, out: Seg[], required: boolean): ExtractResult | null {
  const value = body[key];
  if (typeof value === "string") { out.push({ index: 0, role, text: value, latest: true }); return null; }
  if (value === undefined) return required ? fail(`'${key}' is required.`, key) : null;
  if (!Array.isArray(value)) return fail(`'${key}' must be a string or an array.`, key);
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v === "string") out.push({ index: i, role, text: v, latest: true });
    else if (typeof v !== "number" && !(Array.isArray(v) && v.every((t) => typeof t === "number"))) return fail(`'${key}[${i}]' must be a string or token ids.`, `${key}[${i}]`);
  }
  return null;
}

/** Message content: a string, null, or an array of parts; any part with a string `text` is scanned (fail closed on new part types). */
function content(value: unknown, param: string, index: number, role: string, latest: boolean, scan: boolean, out: Seg[]): ExtractResult | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") { if (scan) out.push({ index, role, text: value, latest }); return null; }
  if (!Array.isArray(value)) return fail(`'${param}' must be a string or an array of content parts.`, param);
  for (let p = 0; p < value.length; p++) {
    const part: unknown = value[p];
    if (typeof part === "string") { if (scan) out.push({ index, role, part: p, text: part, latest }); continue; }
    if (!isObject(part)) return fail(`'${param}[${p}]' must be an object.`, `${param}[${p}]`);
    const text = part["text"] ?? part["refusal"];
    if (text !== undefined && typeof text !== "string") return fail(`'${param}[${p}].text' must be a string.`, `${param}[${p}].text`);
    if (scan && typeof text === "string") out.push({ index, role, part: p, text, latest });
  }
  return null;
}

/** Listed roles are scanned; a role the API does not know cannot be the operator's, so it is scanned too. */
function scanned(role: string, roles: ReadonlySet<string>): boolean {
  return roles.has(role) || !KNOWN_ROLES.has(role);
}

function lastIndexWhere(items: readonly unknown[], test: (item: unknown) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fail(message: string, param: string | null): ExtractResult {
  return { ok: false, message, param };
}

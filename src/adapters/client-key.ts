// The client a request's history is kept under: a hash of its bearer token, else its address. Never the raw token.

const encoder = new TextEncoder();

/**
 * `"key:"` + the first 32 hex digits of SHA-256(token) for `Authorization: Bearer <token>`, else
 * `"ip:"` + the remote address, else `undefined` (the request is then checked without history).
 * Web Crypto (`crypto.subtle`) works on Node 20 and on edge runtimes alike.
 */
export async function defaultClientKey(authorization: string | null | undefined, remoteAddress: string | null | undefined): Promise<string | undefined> {
  const token = bearerToken(authorization);
  if (token !== undefined) return `key:${await hashToken(token)}`;
  return remoteAddress ? `ip:${remoteAddress}` : undefined;
}

/** The token of an `Authorization: Bearer <token>` header (case-insensitive scheme), or undefined. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  if (typeof authorization !== "string") return undefined;
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
  return m?.[1];
}

async function hashToken(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(token)));
  let hex = "";
  for (let i = 0; i < 16; i++) hex += digest[i]!.toString(16).padStart(2, "0");
  return hex;
}

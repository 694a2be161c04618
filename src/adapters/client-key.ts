// The client a request's history is kept under: a hash of its bearer token, else its address. Never the raw token.

import { sha256Hex } from "../internal/sha256.js";

const encoder = new TextEncoder();

/**
 * `"key:"` + the first 32 hex digits of SHA-256(token) for `Authorization: Bearer <token>`, else
 * `"ip:"` + the remote address, else `undefined` (the request is then checked without history).
 */
export function defaultClientKey(authorization: string | null | undefined, remoteAddress: string | null | undefined): string | undefined {
  const token = bearerToken(authorization);
  if (token !== undefined) return `key:${sha256Hex(encoder.encode(token), 32)}`;
  return remoteAddress ? `ip:${remoteAddress}` : undefined;
}

/** The token of an `Authorization: Bearer <token>` header (case-insensitive scheme), or undefined. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  if (typeof authorization !== "string") return undefined;
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
  return m?.[1];
}

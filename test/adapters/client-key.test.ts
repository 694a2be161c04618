// Client keys: a SHA-256 hash of the bearer token (never the token), else the remote address.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bearerToken, defaultClientKey } from "../../src/adapters/client-key.js";
import { sha256Hex, sha256HexJs } from "../../src/internal/sha256.js";

describe("client keys", () => {
  it("computes SHA-256 like node:crypto for empty, short, block-boundary and long inputs", () => {
    for (const text of ["", "abc", "a".repeat(55), "a".repeat(56), "a".repeat(64), "sk-\u00e9\u4e2d".repeat(100), "x".repeat(10_000)]) {
      const expected = createHash("sha256").update(text).digest("hex");
      expect(sha256Hex(new TextEncoder().encode(text))).toBe(expected);
      expect(sha256HexJs(new TextEncoder().encode(text)), "plain JS, for runtimes without node:crypto").toBe(expected);
      expect(sha256HexJs(new TextEncoder().encode(text), 32)).toBe(expected.slice(0, 32));
      expect(sha256Hex(new TextEncoder().encode(text), 32)).toBe(expected.slice(0, 32));
    }
  });

  it("hashes the bearer token, truncated, and never returns the token", () => {
    const key = defaultClientKey("Bearer sk-live-secret", "10.0.0.1");
    expect(key).toBe(`key:${createHash("sha256").update("sk-live-secret").digest("hex").slice(0, 32)}`);
    expect(key).not.toContain("secret");
  });

  it("falls back to the remote address, then to undefined", () => {
    expect(defaultClientKey(undefined, "127.0.0.1")).toBe("ip:127.0.0.1");
    expect(defaultClientKey("Basic dXNlcjpwdw==", "::1")).toBe("ip:::1");
    expect(defaultClientKey(null, undefined)).toBeUndefined();
  });

  it("reads the bearer scheme case-insensitively and rejects other shapes", () => {
    expect(bearerToken("bearer abc")).toBe("abc");
    expect(bearerToken("Bearer a b")).toBeUndefined();
    expect(bearerToken("Bearer ")).toBeUndefined();
  });
});

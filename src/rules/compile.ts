// Compiles rule patterns with XRegExp (free spacing, named groups) into native RegExps: the only importer of xregexp.
import XRegExp from "xregexp";

/**
 * Unicode property escapes and code point escapes (`\\u{1F150}`) are left to the native engine:
 * XRegExp would expand the first into huge BMP-only classes and reject the second.
 */
const PROPERTY_ESCAPE = /\\[pP]\{[^}]*\}|\\u\{[0-9a-fA-F]{1,6}\}/g;
const PLACEHOLDER_BASE = 0xe000;

/**
 * Compiles an XRegExp pattern into a native, Unicode-mode `RegExp` (never global or sticky).
 * @throws {SyntaxError} with XRegExp's or the engine's message when the pattern is invalid.
 */
export function compilePattern(pattern: string, flags = ""): RegExp {
  if (/[\ue000-\uf8ff]/.test(pattern)) throw new SyntaxError("private-use characters are not allowed in patterns");
  const escapes: string[] = [];
  const protectedPattern = pattern.replace(PROPERTY_ESCAPE, (escape) => {
    escapes.push(escape);
    return String.fromCharCode(PLACEHOLDER_BASE + escapes.length - 1);
  });
  const xflags = [...new Set(flags.replace(/[gyu]/g, ""))].join("");
  const compiled = XRegExp(protectedPattern, xflags);
  const source = escapes.length === 0 ? compiled.source : compiled.source.replace(/[\ue000-\uf8ff]/g, (c) => escapes[c.charCodeAt(0) - PLACEHOLDER_BASE]!);
  const nativeFlags = [...new Set(`${compiled.flags.replace(/[gy]/g, "")}u`)].join("");
  return new RegExp(source, nativeFlags);
}

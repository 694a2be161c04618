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
  let nativeFlags = [...new Set(`${compiled.flags.replace(/[gy]/g, "")}u`)].join("");
  if (nativeFlags.includes("i") && caseFoldIsMoot(source)) nativeFlags = nativeFlags.replace("i", "");
  return new RegExp(source, nativeFlags);
}

// Escapes, group names and back references, whose letters are not matched text.
const NOT_LITERAL = /\\[pP]\{[^}]*\}|\\k<[^>]*>|\(\?<[A-Za-z_$][\w$]*>|\\c[A-Za-z]|\\[^ux]/g;
const CODE_ESCAPE = /\\u\{([0-9a-fA-F]+)\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})/g;
// Case-related property classes, and Greek letters with more than one lower-case form (sigma, theta...).
const CASE_SENSITIVE = /\\[pP]\{(?:Lu|Ll|Lt|LC|Uppercase|Lowercase|Cased|Uppercase_Letter|Lowercase_Letter|Titlecase_Letter|Cased_Letter)\}|[\u00b5\u03b2\u03b5\u03b8\u03ba\u03bc\u03c0\u03c1\u03c2\u03c3\u03c6\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5]/;

/**
 * Rules match folded (lower-case) text, so the `i` flag changes nothing for a pattern without
 * upper-case letters, and only costs time (Unicode case folding at every step: about 2x slower).
 * It is kept when it could matter: upper-case literals, case-related property classes, and letters
 * with several lower-case forms.
 */
function caseFoldIsMoot(source: string): boolean {
  if (CASE_SENSITIVE.test(source)) return false;
  const literals = source.replace(NOT_LITERAL, "").replace(CODE_ESCAPE, (_, a?: string, b?: string, c?: string) => String.fromCodePoint(parseInt(a ?? b ?? c!, 16)));
  return literals === literals.toLowerCase();
}

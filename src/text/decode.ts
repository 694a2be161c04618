// Finds text hidden in encodings (base64, hex, Unicode tag characters) so the pattern check can scan it.
import { Invisible } from "./unicode.js";
import type { PreparedText } from "./normalize.js";

/** Text recovered from an encoded run of the prompt. */
export interface DecodedPayload {
  readonly kind: "base64" | "hex" | "unicode-tags";
  /** Where the encoded run sits in the original text. */
  readonly span: readonly [number, number];
  readonly text: string;
}

/** Bounds on decoding work per prompt. */
const MAX_PAYLOADS = 16;
const MAX_DECODED = 4096;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes base64/hex runs that turn into readable text, and Unicode tag-character runs. */
export function decodePayloads(prepared: PreparedText): DecodedPayload[] {
  const found: DecodedPayload[] = [];
  collectTagRuns(prepared, found);
  const text = prepared.original;
  const n = text.length;
  // Maximal runs of the base64 alphabet (hex runs are a subset) of at least MIN_RUN characters. Such a
  // run starting at or after `i` covers `i + MIN_RUN - 1`, so only that position is probed: prose, whose
  // words are shorter, is crossed a word at a time. Invariant: `i` is 0 or follows a character outside the alphabet.
  let i = 0;
  while (i + MIN_RUN <= n && found.length < MAX_PAYLOADS) {
    const probe = i + MIN_RUN - 1;
    if (!isBase64Char(text.charCodeAt(probe))) { i = probe + 1; continue; }
    let runStart = probe;
    while (runStart > i && isBase64Char(text.charCodeAt(runStart - 1))) runStart--;
    let runEnd = probe + 1;
    while (runEnd < n && isBase64Char(text.charCodeAt(runEnd))) runEnd++;
    i = runEnd + 1; // the character at runEnd is outside the alphabet (or the text ended)
    const length = runEnd - runStart;
    if (length < MIN_RUN) continue;
    let hexOnly = true;
    for (let k = runStart; k < runEnd && hexOnly; k++) hexOnly = isHexChar(text.charCodeAt(k));
    let end = runEnd;
    while (end < n && end - runEnd < 2 && text.charCodeAt(end) === 0x3d) end++; // "=" padding
    if (hexOnly && length >= 32 && length % 2 === 0) {
      const decoded = readable(Buffer.from(text.slice(runStart, runStart + Math.min(length, MAX_DECODED * 2)), "hex"));
      if (decoded !== null) found.push({ kind: "hex", span: [runStart, runEnd], text: decoded });
    } else {
      const run = text.slice(runStart, end);
      if (/[0-9+/=]/.test(run) || !/^[a-z]+$/i.test(run)) {
        const decoded = readable(decodeBase64(run.slice(0, Math.ceil((MAX_DECODED * 4) / 3))));
        if (decoded !== null) found.push({ kind: "base64", span: [runStart, end], text: decoded });
      }
    }
  }
  return found;
}

/** Shortest base64 run decoded (hex runs need 32 characters). */
const MIN_RUN = 24;

/** Per ASCII code unit: bit 1 in the base64 alphabet (standard or URL-safe), bit 2 a hex digit. */
const ALPHABET = Uint8Array.from({ length: 0x80 }, (_, c) =>
  ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f || c === 0x2d || c === 0x5f ? 1 : 0) |
  ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66) ? 2 : 0));
const isBase64Char = (c: number): boolean => c < 0x80 && (ALPHABET[c]! & 1) !== 0;
const isHexChar = (c: number): boolean => c < 0x80 && (ALPHABET[c]! & 2) !== 0;

function decodeBase64(run: string): Buffer {
  return Buffer.from(run.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

/** The decoded bytes as text when they are mostly printable UTF-8 with some words, else null. */
function readable(bytes: Uint8Array): string | null {
  if (bytes.length < 12) return null;
  // Cheap rejection of binary before decoding: text has almost no C0 control bytes.
  let controls = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) controls++;
  }
  if (controls > bytes.length / 50) return null;
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return null;
  }
  let printable = 0;
  let letters = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) printable++;
    if (/\p{L}/u.test(ch)) letters++;
  }
  const length = [...text].length;
  if (printable / length < 0.95 || letters / length < 0.5) return null;
  if (!/\p{L}{2,}[\s,.:;!?'"]+\p{L}{2,}/u.test(text) && !/\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul}/u.test(text)) return null;
  return text;
}

/**
 * Unicode tag characters (U+E0020..U+E007E) mirror ASCII and render as nothing: decode each run.
 * Emoji flag sequences (a black flag followed by a short tag run, as in the flag of Scotland) are legitimate.
 */
function collectTagRuns(prepared: PreparedText, found: DecodedPayload[]): void {
  const { invisibles, original } = prepared;
  let k = 0;
  while (k < invisibles.length && found.length < MAX_PAYLOADS) {
    if (invisibles[k]!.kind !== Invisible.TAG) { k++; continue; }
    const start = invisibles[k]!.at;
    let end = start;
    let decoded = "";
    while (k < invisibles.length && invisibles[k]!.kind === Invisible.TAG && invisibles[k]!.at === end) {
      const cp = invisibles[k]!.cp;
      if (cp >= 0xe0020 && cp <= 0xe007e && decoded.length < MAX_DECODED) decoded += String.fromCharCode(cp - 0xe0000);
      end += 2;
      k++;
    }
    if (isEmojiFlagSequence(original, start, end)) continue;
    if (decoded.length > 0) found.push({ kind: "unicode-tags", span: [start, end], text: decoded });
  }
}

/** True for a subdivision flag: U+1F3F4, tag letters, U+E007F. */
export function isEmojiFlagSequence(text: string, start: number, end: number): boolean {
  return start >= 2 && text.codePointAt(start - 2) === 0x1f3f4 && end - start <= 14 && text.codePointAt(end - 2) === 0xe007f;
}

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
const BASE64_RUN = /[A-Za-z0-9+/_-]{24,}={0,2}/g;
const HEX_RUN = /\b(?:[0-9a-fA-F]{2}){16,}\b/g;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes base64/hex runs that turn into readable text, and Unicode tag-character runs. */
export function decodePayloads(prepared: PreparedText): DecodedPayload[] {
  const found: DecodedPayload[] = [];
  collectTagRuns(prepared, found);
  const text = prepared.original;
  // Cheap pre-test: most prompts have no 24-character run of base64 letters at all.
  if (text.length >= 24) {
    for (const m of text.matchAll(BASE64_RUN)) {
      if (found.length >= MAX_PAYLOADS) break;
      const run = m[0];
      if (!/[0-9+/=]/.test(run) && /^[a-z]+$/i.test(run)) continue; // a long plain word, not base64
      const decoded = readable(decodeBase64(run.slice(0, Math.ceil((MAX_DECODED * 4) / 3))));
      if (decoded !== null) found.push({ kind: "base64", span: [m.index, m.index + run.length], text: decoded });
    }
    for (const m of text.matchAll(HEX_RUN)) {
      if (found.length >= MAX_PAYLOADS) break;
      const decoded = readable(Buffer.from(m[0].slice(0, MAX_DECODED * 2), "hex"));
      if (decoded !== null) found.push({ kind: "hex", span: [m.index, m.index + m[0].length], text: decoded });
    }
  }
  return found;
}

function decodeBase64(run: string): Buffer {
  return Buffer.from(run.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

/** The decoded bytes as text when they are mostly printable UTF-8 with some words, else null. */
function readable(bytes: Uint8Array): string | null {
  if (bytes.length < 12) return null;
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

// Fingerprints of normalised prompts for repetition runs: 52-bit hashes as 13 hex digits (not a secret,
// just an identity; 52 bits fit a float64 exactly, so the memory store keeps them as numbers).

/** The exact and the shape fingerprint of a folded prompt. */
export interface Fingerprints {
  /** Of every UTF-16 unit of the text. */
  readonly fingerprint: string;
  /** Of the text with digits, punctuation, symbols and whitespace left out: "ask 1" and "ask 2!" share it. */
  readonly shape: string;
}

/**
 * Both fingerprints of `folded` in one pass. Each is two 32-bit multiplicative hashes (FNV-1a and a
 * second one with another multiplier and seed) of the UTF-16 units taken two at a time, then of their
 * count; 20 + 32 bits of them kept.
 * @example fingerprints("ask 1").shape === fingerprints("ask 2!").shape // true
 */
export function fingerprints(folded: string): Fingerprints {
  const skip = (SKIP ??= skipTable());
  const n = folded.length;
  let a = 0x811c9dc5, b = 0x9e3779b9; // exact
  let c = 0x811c9dc5, d = 0x9e3779b9; // shape
  let pair = 0, kept = 0, pending = 0; // the first unit of a pair waiting for its second; shape units so far, and the same for them
  for (let i = 0; i < n; i++) {
    const u = folded.charCodeAt(i);
    if ((i & 1) === 0) {
      pair = u;
    } else {
      const w = pair | (u << 16);
      a = Math.imul(a ^ w, 0x01000193);
      b = Math.imul(b ^ w, 0x5bd1e995);
    }
    if (skip[u] === 1) continue;
    if ((kept++ & 1) === 0) {
      pending = u;
    } else {
      const x = pending | (u << 16);
      c = Math.imul(c ^ x, 0x01000193);
      d = Math.imul(d ^ x, 0x5bd1e995);
    }
  }
  if ((n & 1) === 1) { a = Math.imul(a ^ pair, 0x01000193); b = Math.imul(b ^ pair, 0x5bd1e995); }
  if ((kept & 1) === 1) { c = Math.imul(c ^ pending, 0x01000193); d = Math.imul(d ^ pending, 0x5bd1e995); }
  a = Math.imul(a ^ n, 0x01000193); b = Math.imul(b ^ n, 0x5bd1e995);
  c = Math.imul(c ^ kept, 0x01000193); d = Math.imul(d ^ kept, 0x5bd1e995);
  return { fingerprint: hex13(bits52(a, b)), shape: hex13(bits52(c, d)) };
}

/** 32 bits of `low` and 20 of `high` (folded) as one integer below 2^52. */
const bits52 = (low: number, high: number): number => ((high ^ (high >>> 20)) & 0xfffff) * 0x1_0000_0000 + (low >>> 0);

const HEX_DIGIT = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

/** `n` (a 52-bit integer) as 13 hex digits; 20x faster than `toString(16)` on a non-small integer. */
export function hex13(n: number): string {
  const hi = Math.floor(n / 0x1_0000_0000);
  const lo = (n - hi * 0x1_0000_0000) >>> 0;
  const d = HEX_DIGIT;
  return String.fromCharCode(
    d[(hi >>> 16) & 15]!, d[(hi >>> 12) & 15]!, d[(hi >>> 8) & 15]!, d[(hi >>> 4) & 15]!, d[hi & 15]!,
    d[lo >>> 28]!, d[(lo >>> 24) & 15]!, d[(lo >>> 20) & 15]!, d[(lo >>> 16) & 15]!, d[(lo >>> 12) & 15]!, d[(lo >>> 8) & 15]!, d[(lo >>> 4) & 15]!, d[lo & 15]!,
  );
}

/** Per BMP code unit, 1 when the shape fingerprint leaves it out (digits, punctuation, symbols, spaces). Built on first use (~3 ms). */
let SKIP: Uint8Array | undefined;
const NOT_LETTER = /[\p{N}\p{P}\p{S}\p{Z}\s]/u;
function skipTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) if ((c < 0xd800 || c > 0xdfff) && NOT_LETTER.test(String.fromCharCode(c))) table[c] = 1;
  return table;
}

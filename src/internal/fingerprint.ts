// Fingerprints of normalised prompts for repetition runs: FNV-1a 64-bit cut to 52 bits, hex (not a
// secret, just an identity; 52 bits fit a float64 exactly, so the memory store keeps them as numbers).

/** FNV-1a 64-bit hash of the UTF-16 code units of `text`, its low 52 bits as 13 hex digits. */
export function fingerprint(text: string): string {
  return fnv(text, null);
}

/**
 * The fingerprint of `folded` with digits, punctuation, symbols and whitespace left out: "ask 1" and
 * "ask 2!" share it. One pass, no intermediate string.
 */
export function shapeOf(folded: string): string {
  return fnv(folded, isNotLetter);
}

// Per BMP code unit: 0 not yet known, 1 kept, 2 skipped (filled lazily; 64 KB).
const SKIP = new Uint8Array(0x10000);
const NOT_LETTER = /[\p{N}\p{P}\p{S}\p{Z}\s]/u;
function isNotLetter(c: number): boolean {
  let s = SKIP[c]!;
  if (s === 0) SKIP[c] = s = c >= 0xd800 && c <= 0xdfff ? 1 : NOT_LETTER.test(String.fromCharCode(c)) ? 2 : 1;
  return s === 2;
}

function fnv(text: string, skip: ((c: number) => boolean) | null): string {
  // Two 32-bit halves of the 64-bit state; multiplication by the FNV prime 0x100000001b3 split accordingly.
  let h0 = 0x2325; let h1 = 0x8422; let h2 = 0x9ce4; let h3 = 0xcbf2; // offset basis 0xcbf29ce484222325, 16-bit limbs
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (skip !== null && skip(c)) continue;
    h0 ^= c;
    // (h * 0x1b3) + (h << 40), in 16-bit limbs
    const t0 = h0 * 0x1b3, t1 = h1 * 0x1b3, t2 = h2 * 0x1b3, t3 = h3 * 0x1b3;
    const c1 = t1 + (t0 >>> 16);
    const c2 = t2 + (c1 >>> 16) + (h0 << 8);
    const c3 = t3 + (c2 >>> 16) + (h1 << 8);
    h0 = t0 & 0xffff; h1 = c1 & 0xffff; h2 = c2 & 0xffff; h3 = c3 & 0xffff;
  }
  return (h3 & 0xf).toString(16) + [h2, h1, h0].map((h) => h.toString(16).padStart(4, "0")).join("");
}

// The compact view: undoes letter spacing ("i g n o r e"), punctuation inside words ("ign-ore") and leetspeak ("1gn0r3").
import type { PreparedText } from "./normalize.js";
import { category } from "./unicode.js";

/** A derived view of the folded text with its own map back to the original. */
export interface TextView {
  readonly text: string;
  readonly starts: ArrayLike<number>;
  readonly ends: ArrayLike<number>;
  /** Offsets in `text` where it differs from the folded view (a substitution, or a removal just before). */
  readonly changes: readonly number[];
}

/** ASCII lookup tables (all the characters below are ASCII, except the middle dot handled apart). */
function table(entries: readonly (readonly [string, number])[]): Uint8Array {
  const t = new Uint8Array(128);
  for (const [c, v] of entries) t[c.charCodeAt(0)] = v;
  return t;
}
/** Leetspeak digits and symbols and the letter each stands for. */
const LEET = table([["0", 0x6f], ["1", 0x69], ["3", 0x65], ["4", 0x61], ["5", 0x73], ["7", 0x74], ["8", 0x62], ["@", 0x61], ["$", 0x73], ["!", 0x69], ["|", 0x6c]]);
/** Separators that letter spacing uses ("i g n o r e", "i.g.n.o.r.e"). */
const SPACING = table([..." .-_*|/+~,'"].map((c) => [c, 1] as const));
/**
 * Punctuation dropped between two letters of one word ("ign-ore"). The apostrophe only next to a
 * non-ASCII letter (quotes around Korean or Japanese words), not in "don't" or "l'ordre".
 */
const INNER = table([...".-_*|~`^"].map((c) => [c, 1] as const));
/** "4th", "1st", "2nd": a leading digit before these is a number, not leetspeak. */
const ORDINAL = /^(?:st|nd|rd|th)$/;
const leetOf = (c: number): number => (c < 128 ? LEET[c]! : 0);
const isSpacing = (c: number): boolean => c < 128 && SPACING[c] === 1;
const isInner = (c: number): boolean => (c < 128 ? INNER[c] === 1 : c === 0xb7);

const enum Kind {
  OTHER = 0,
  LETTER = 1, // a letter or mark
  DIGIT = 2, // a digit, or @ and $ (which leetspeak uses as letters)
}

/** Kind of each folded code unit: ASCII by table, the rest from Unicode categories (cached). */
function kinds(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = kindOf(text.charCodeAt(i));
  return out;
}

// Per code unit: 0 not yet known, else kind + 1.
const KIND = new Uint8Array(0x10000);
function kindOf(c: number): Kind {
  const known = KIND[c]!;
  if (known !== 0) return known - 1;
  let kind: Kind;
  if (c < 0x80) {
    kind = (c >= 0x61 && c <= 0x7a) ? Kind.LETTER : (c >= 0x30 && c <= 0x39) || c === 0x40 || c === 0x24 ? Kind.DIGIT : Kind.OTHER;
  } else if (c >= 0xd800 && c <= 0xdfff) {
    kind = Kind.LETTER; // astral letters (rare): treat both halves as letters
  } else {
    const g = category(c);
    kind = g[0] === "L" || g[0] === "M" ? Kind.LETTER : g[0] === "N" ? Kind.DIGIT : Kind.OTHER;
  }
  KIND[c] = kind + 1;
  return kind;
}

/**
 * Whether {@link compactView} could change anything: one cheap pass that looks for the only places
 * where it does. Most prompts have none, and then the view is not built at all:
 * - spaced single letters, three or more with one and the same separator ("i g n", "i.g.n");
 * - inner punctuation, or an apostrophe next to a non-ASCII character, between two word characters ("ign-ore"),
 *   or a bar after one ("al|");
 * - a leetspeak digit or symbol before a letter ("1gn0r3", "h@ck"): only such a word has its leetspeak undone.
 */
function mayChange(src: string): boolean {
  const n = src.length;
  const re = CANDIDATES;
  re.lastIndex = 0;
  while (re.test(src)) {
    const i = re.lastIndex - 1; // every candidate is one code unit
    const c = src.charCodeAt(i);
    const kind = kindOf(c);
    if (kind === Kind.DIGIT) {
      if (leetOf(c) !== 0 && i + 1 < n && kindOf(src.charCodeAt(i + 1)) === Kind.LETTER) return true;
      continue;
    }
    if (kind === Kind.LETTER || i === 0) continue;
    const before = kindOf(src.charCodeAt(i - 1));
    if (c === 0x7c && before !== Kind.OTHER) return true; // a bar ends a word as leetspeak for "l" and is dropped as inner punctuation
    if (i + 1 >= n) continue;
    // Punctuation between two word characters.
    const after = kindOf(src.charCodeAt(i + 1));
    if (before !== Kind.OTHER && after !== Kind.OTHER && isDropped(src, i)) return true;
    // A separator after a single letter, followed by another single letter and the same separator.
    if (
      isSpacing(c) && before !== Kind.OTHER && after !== Kind.OTHER && (i < 2 || kindOf(src.charCodeAt(i - 2)) === Kind.OTHER) &&
      i + 3 < n && kindOf(src.charCodeAt(i + 2)) === Kind.OTHER && src.charCodeAt(i + 2) === c && kindOf(src.charCodeAt(i + 3)) !== Kind.OTHER &&
      (i + 4 >= n || kindOf(src.charCodeAt(i + 4)) === Kind.OTHER)
    ) return true;
  }
  return false;
}

/**
 * The code units {@link mayChange} looks at, found by a native search: ASCII other than a-z and the
 * space, the middle dot, and a space that may separate spaced letters (two units on, another space;
 * two units back, no a-z). Other non-ASCII characters only matter as neighbours: leetspeak, inner
 * punctuation and spacing separators are all ASCII. Each match is one unit long.
 */
const CANDIDATES = /[^a-z \u0080-\u00b6\u00b8-\uffff]|(?<![a-z][^]) (?=[^] )/g;

/**
 * Builds the compact view, or returns `null` when it would equal the folded view. `precheck: false`
 * (for tests) skips the quick pass that rules out most prompts.
 * @example compactView(prepareText("i g n o r e  a l l"))?.text // "ignore all"
 */
export function compactView(prepared: PreparedText, precheck = true): TextView | null {
  const src = prepared.folded;
  if (precheck && !mayChange(src)) return null;
  const n = src.length;
  const kind = kinds(src);
  const codes = new Uint16Array(n);
  const from = new Int32Array(n); // folded index of each output unit
  let length = 0;
  const changes: number[] = [];
  let i = 0;
  while (i < n) {
    if (kind[i] === Kind.OTHER) {
      codes[length] = src.charCodeAt(i);
      from[length++] = i++;
      continue;
    }
    // A run of single letters separated by one separator: "i g n o r e", "i.g.n.o.r.e".
    const sep = src.charCodeAt(i + 1);
    if (!isL(kind, i - 1) && !isL(kind, i + 1) && isSpacing(sep) && isL(kind, i + 2) && !isL(kind, i + 3) && src.charCodeAt(i + 3) === sep && isL(kind, i + 4) && !isL(kind, i + 5)) {
      let j = i;
      changes.push(length);
      while (src.charCodeAt(j + 1) === sep && isL(kind, j + 2) && !isL(kind, j + 3)) {
        // Two spaces in the original between spaced letters is a word boundary: keep one space.
        codes[length] = leetOf(src.charCodeAt(j)) || src.charCodeAt(j);
        from[length++] = j;
        if (sep === 0x20 && wideSpace(prepared, j + 1)) {
          codes[length] = 0x20;
          from[length++] = j + 1;
        }
        j += 2;
      }
      codes[length] = leetOf(src.charCodeAt(j)) || src.charCodeAt(j);
      from[length++] = j;
      changes.push(length - 1);
      i = j + 1;
      continue;
    }
    // One word: drop inner punctuation; undo leetspeak when the word has letters.
    let j = i;
    let letters = 0;
    let plain = true; // only letters and digits so far: copied as they are unless leetspeak is undone
    while (j < n) {
      const k = kind[j]!;
      if (k !== Kind.OTHER) { if (k === Kind.LETTER) letters++; j++; continue; }
      const c = src.charCodeAt(j);
      if ((isDropped(src, j) || leetOf(c) !== 0) && isL(kind, j - 1) && isL(kind, j + 1)) { plain = false; j++; continue; }
      if (leetOf(c) !== 0 && isL(kind, j - 1) && !isL(kind, j + 1) && c !== 0x21) { plain = false; j++; continue; } // trailing "$" or "@"; not "!"
      break;
    }
    const leetWord = letters > 0 && isLeetWord(src, kind, i, j);
    if (plain && !leetWord) {
      for (let k = i; k < j; k++) { codes[length] = src.charCodeAt(k); from[length++] = k; }
      i = j;
      continue;
    }
    for (let k = i; k < j; k++) {
      const c = src.charCodeAt(k);
      if (letters > 0) {
        const leet = leetWord ? leetOf(c) : 0;
        if (leet !== 0) { changes.push(length); codes[length] = leet; from[length++] = k; continue; }
        if (isDropped(src, k)) { changes.push(length); continue; }
      }
      codes[length] = c;
      from[length++] = k;
    }
    i = j;
  }
  if (changes.length === 0) return null;
  const text = new TextDecoder("utf-16le").decode(codes.subarray(0, length));
  if (text === src) return null;
  const starts = new Int32Array(length);
  const ends = new Int32Array(length);
  const { starts: folded0, ends: folded1 } = prepared; // the map is built on first access: read it once
  for (let k = 0; k < length; k++) {
    starts[k] = folded0[from[k]!]!;
    ends[k] = folded1[from[k]!]!;
  }
  return { text, starts, ends, changes };
}

/** A word character (letter, digit, or @ and $) at `k`; false outside the text. */
function isL(kind: Uint8Array, k: number): boolean {
  return k >= 0 && k < kind.length && kind[k] !== Kind.OTHER;
}

/** Inner punctuation at `k`, or an apostrophe next to a non-ASCII letter (see {@link INNER}). */
function isDropped(src: string, k: number): boolean {
  const c = src.charCodeAt(k);
  return isInner(c) || (c === 0x27 && (src.charCodeAt(k - 1) > 0x7f || src.charCodeAt(k + 1) > 0x7f));
}

/**
 * Leetspeak is undone in a word whose digits all stand for letters and one of them sits between
 * two letters or starts the word before a letter ("pr0mpt", "1gn0r3", "4ll"); "mp3", "covid19",
 * "h264" and "29-year-old" stay as they are.
 */
function isLeetWord(src: string, kind: Uint8Array, from: number, to: number): boolean {
  const isLetter = (k: number): boolean => k >= 0 && k < kind.length && kind[k] === Kind.LETTER;
  let inside = false;
  for (let k = from; k < to; k++) {
    if (kind[k] !== Kind.DIGIT) continue;
    if (leetOf(src.charCodeAt(k)) === 0) return false;
    if (isLetter(k + 1) && (isLetter(k - 1) || (k === from && !ORDINAL.test(src.slice(k + 1, to))))) inside = true;
  }
  return inside;
}

/** A folded space that stood for two or more spaces in the original: a word boundary inside spaced letters. */
function wideSpace(prepared: PreparedText, k: number): boolean {
  return prepared.ends[k]! - prepared.starts[k]! >= 2 || prepared.folded[k] === "\n";
}

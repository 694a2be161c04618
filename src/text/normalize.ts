// The text layer: one linear pass that builds the folded view rules match on, with a map back to the original.
import {
  Invisible,
  Script,
  TO_CYRILLIC,
  TO_LATIN,
  foldScriptOf,
  invisibleKind,
  isLetter,
  isLineBreak,
  isMark,
  isSpace,
  styledLatinKind,
} from "./unicode.js";

/** An invisible or format character the folded view dropped, for checkStructure. */
export interface InvisibleChar {
  readonly kind: Invisible;
  readonly cp: number;
  /** Offset in the original text. */
  readonly at: number;
}

/** A segment (base + marks) that NFKC changed, for checkStructure. */
export interface NfkcChange {
  readonly at: number;
  readonly end: number;
  /** `fullwidth` / `styled` Latin letters, or `other` (ligatures, CJK compatibility forms, superscripts...). */
  readonly kind: "fullwidth" | "styled" | "other";
}

/** A word whose letters mix Latin with Cyrillic or Greek. */
export interface MixedWord {
  readonly start: number;
  readonly end: number;
  /** The script most of its letters are in. */
  readonly dominant: "Latin" | "Cyrillic" | "Greek";
  /** How many letters were of another script than the dominant one. */
  readonly foreign: number;
  /** The word was entirely look-alike letters of another script than the surrounding text. */
  readonly disguised: boolean;
}

/**
 * A prompt prepared once for every check: the folded view and what the pass noticed on the way.
 * `folded` is NFKC, lower case, Latin letters without diacritics, invisible and format characters
 * removed, look-alike letters folded to the word's dominant script, and whitespace collapsed
 * (a run with a line break becomes "\n", any other run one space; none at either end).
 */
export interface PreparedText {
  readonly original: string;
  readonly folded: string;
  /** For each UTF-16 unit of `folded`, the original offset of the character it came from. */
  readonly starts: Int32Array;
  /** For each UTF-16 unit of `folded`, the original end offset of the character it came from. */
  readonly ends: Int32Array;
  /** True when the original is all ASCII. */
  readonly ascii: boolean;
  readonly invisibles: readonly InvisibleChar[];
  readonly nfkcChanges: readonly NfkcChange[];
  readonly mixedWords: readonly MixedWord[];
  /** Base characters carrying more combining marks than any real script needs (Zalgo text). */
  readonly markPiles: readonly { readonly at: number; readonly end: number; readonly marks: number }[];
}

/** Marks on one base character beyond which text counts as Zalgo (Vietnamese needs 2, Indic/Thai 3). */
const MAX_MARKS = 3;

const SEGMENT_CACHE_LIMIT = 8192;
/** How one segment (a base character and its marks) folds, computed once per distinct segment. */
interface SegmentFold {
  readonly folded: string;
  /** NFKC changes the segment (reported by checkStructure). */
  readonly nfkcChanges: boolean;
  /** Cyrillic and Greek letters in `folded` (look-alike folding runs only when a prompt has some). */
  readonly foreign: number;
}
const segmentCache = new Map<string, SegmentFold>();
const LATIN_DIACRITICS = /[\u0300-\u036f]/g;
/** Typographic quotes fold to ASCII ones, so rules need not spell `['\u2019]` in every contraction. */
const QUOTE_FOLDS: Readonly<Record<string, string>> = {
  "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'",
  "\u201c": "\"", "\u201d": "\"", "\u201e": "\"", "\u201f": "\"", "\u2033": "\"",
};

/** {@link foldSegment} of a single code unit (not a surrogate), cached by its number: no string is made. */
function foldUnit(c: number): SegmentFold {
  return (unitFolds[c] ??= foldSegment(String.fromCharCode(c)));
}
const unitFolds = new Array<SegmentFold | undefined>(0x10000).fill(undefined);

/** Whether the code point at `i` is a combining mark; BMP answers are cached (0 unknown, 1 no, 2 yes). */
function isMarkAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdfff) return isMark(text.codePointAt(i)!);
  let known = MARKS[c]!;
  if (known === 0) MARKS[c] = known = isMark(c) ? 2 : 1;
  return known === 2;
}
const MARKS = new Uint8Array(0x10000);

/** NFKC + lower case + (for Latin letters) no diacritics, for one base character and its marks. */
function foldSegment(segment: string): SegmentFold {
  let fold = segmentCache.get(segment);
  if (fold !== undefined) return fold;
  let folded = segment.normalize("NFKC").toLowerCase();
  folded = QUOTE_FOLDS[folded] ?? folded;
  if (foldScriptOf(folded.codePointAt(0) ?? 0) === Script.LATIN || folded.charCodeAt(0) < 0x80) {
    folded = folded.normalize("NFD").replace(LATIN_DIACRITICS, "").normalize("NFC");
  } else if (folded.charCodeAt(0) >= 0x0370 && folded.charCodeAt(0) < 0x0530) {
    // Greek and Cyrillic: keep the letter, drop accents (Greek tonos, Cyrillic breve) for matching.
    const base = folded.normalize("NFD").replace(LATIN_DIACRITICS, "");
    if (base.length > 0) folded = base.normalize("NFC");
  }
  let foreign = 0;
  for (let k = 0; k < folded.length; k++) {
    if (folded.charCodeAt(k) < 0x80) continue;
    const script = foldScriptOf(folded.codePointAt(k)!);
    if (script === Script.CYRILLIC || script === Script.GREEK) foreign++;
  }
  fold = { folded, nfkcChanges: segment.normalize("NFKC") !== segment, foreign };
  if (segmentCache.size >= SEGMENT_CACHE_LIMIT) segmentCache.clear();
  segmentCache.set(segment, fold);
  return fold;
}

/**
 * The folded code units and their map back to the original, built by {@link prepareText}. The codes
 * live in one scratch buffer reused by every call (the folded string is a copy); the map is kept as
 * segments, since almost every unit maps to one original unit right after the previous one's:
 * a linear segment covers such a run, and any other unit (a collapsed whitespace run, NFKC
 * expansions, astral characters) has a segment of its own with its exact start and end.
 */
class FoldBuffer {
  codes: Uint16Array;
  length = 0;
  /** Per segment: the folded index where it begins, the original start of that unit, and its end (-1: linear). */
  readonly segAt: number[] = [];
  readonly segStart: number[] = [];
  readonly segEnd: number[] = [];
  /** The original offset that would continue the last segment, when it is linear; else -1. */
  private linearNext = -1;

  constructor(capacity: number) {
    if (scratchCodes.length < capacity) scratchCodes = new Uint16Array(Math.max(capacity, scratchCodes.length * 2));
    this.codes = scratchCodes;
  }
  /** Makes room for `count` more units. */
  reserve(count: number): void {
    while (this.length + count > this.codes.length) this.grow();
  }
  /** One folded unit that came from original `[start, end)`. */
  push(code: number, start: number, end: number): void {
    if (this.length === this.codes.length) this.grow();
    this.codes[this.length] = code;
    if (end === start + 1) this.linear(start, 1);
    else {
      this.segAt.push(this.length); this.segStart.push(start); this.segEnd.push(end);
      this.linearNext = -1;
    }
    this.length++;
  }
  /** Records that the next `count` units (codes written by the caller) map one to one from original `start`. */
  linear(start: number, count: number): void {
    if (start !== this.linearNext) {
      this.segAt.push(this.length); this.segStart.push(start); this.segEnd.push(-1);
    }
    this.linearNext = start + count;
  }
  private grow(): void {
    const codes = new Uint16Array(this.codes.length * 2);
    codes.set(this.codes);
    this.codes = scratchCodes = codes;
  }
}

/** The code unit buffer every {@link prepareText} call writes into (it is synchronous, so one is enough). */
let scratchCodes = new Uint16Array(4096);

/** Builds the per-unit `starts` and `ends` from a buffer's segments. */
function unitMap(out: FoldBuffer): { starts: Int32Array; ends: Int32Array } {
  const { segAt, segStart, segEnd, length } = out;
  const starts = new Int32Array(length);
  const ends = new Int32Array(length);
  for (let j = 0; j < segAt.length; j++) {
    const from = segAt[j]!;
    const to = j + 1 < segAt.length ? segAt[j + 1]! : length;
    const start = segStart[j]!;
    const end = segEnd[j]!;
    for (let k = from; k < to; k++) {
      starts[k] = end < 0 ? start + (k - from) : start;
      ends[k] = end < 0 ? start + (k - from) + 1 : end;
    }
  }
  return { starts, ends };
}

const utf16 = new TextDecoder("utf-16le");

/** The folded code units as a string (lone surrogates were already replaced, so decoding is lossless). */
function toText(codes: Uint16Array, length: number): string {
  return length === 0 ? "" : utf16.decode(codes.subarray(0, length));
}

/**
 * Builds the folded view of `text` in one pass. Pure; never throws on any string.
 * @example prepareText("Ignore  ALL\u200B previous").folded // "ignore all previous"
 */
export function prepareText(text: string): PreparedText {
  const n = text.length;
  const out = new FoldBuffer(n + 16);
  const invisibles: InvisibleChar[] = [];
  const nfkcChanges: NfkcChange[] = [];
  const markPiles: { at: number; end: number; marks: number }[] = [];
  let ascii = true;
  let pendingSpace = -1; // original offset where the current whitespace run started, or -1
  let pendingBreak = false;
  let spaceEnd = 0;
  let nonLatinLetters = 0;

  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) {
      // Fast path: a run of printable ASCII, with single spaces between its words, goes straight into the buffers.
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d > 0x20 && d < 0x7f) { j++; continue; }
        if (d !== 0x20 || j + 1 >= n) break;
        const e = text.charCodeAt(j + 1);
        if (e <= 0x20 || e >= 0x7f) break;
        j += 2;
      }
      if (j < n && text.charCodeAt(j) >= 0x300 && isMarkAt(text, j)) j--; // that letter carries marks
      if (j > i) {
        if (pendingSpace >= 0) {
          // The whitespace run before this character becomes one space or one line break.
          if (out.length > 0) out.push(pendingBreak ? 0x0a : 0x20, pendingSpace, spaceEnd);
          pendingSpace = -1;
          pendingBreak = false;
        }
        out.reserve(j - i);
        out.linear(i, j - i);
        const { codes } = out;
        let k = out.length;
        for (let q = i; q < j; q++, k++) {
          const d = text.charCodeAt(q);
          codes[k] = d >= 0x41 && d <= 0x5a ? d + 0x20 : d;
        }
        out.length = k;
        i = j;
        continue;
      }
    }
    const markFollows = c < 0x80 && i + 1 < n && text.charCodeAt(i + 1) >= 0x300 && isMarkAt(text, i + 1);
    if (c < 0x80 && !markFollows) {
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
        if (pendingSpace < 0) pendingSpace = i;
        if (c !== 0x20 && c !== 0x09) pendingBreak = true;
        spaceEnd = i + 1;
      } else if (c < 0x20 || c === 0x7f) {
        invisibles.push({ kind: Invisible.CONTROL, cp: c, at: i });
      } else {
        if (pendingSpace >= 0) {
          // The whitespace run before this character becomes one space or one line break.
          if (out.length > 0) out.push(pendingBreak ? 0x0a : 0x20, pendingSpace, spaceEnd);
          pendingSpace = -1;
          pendingBreak = false;
        }
        const lower = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
        out.push(lower, i, i + 1);
      }
      i++;
      continue;
    }
    ascii = false;
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      // A lone surrogate: keep a replacement character so spans stay honest.
      if (pendingSpace >= 0) {
        // The whitespace run before this character becomes one space or one line break.
        if (out.length > 0) out.push(pendingBreak ? 0x0a : 0x20, pendingSpace, spaceEnd);
        pendingSpace = -1;
        pendingBreak = false;
      }
      out.push(0xfffd, i, i + 1);
      i++;
      continue;
    }
    const invisible = invisibleKind(cp);
    if (invisible !== Invisible.NONE) {
      invisibles.push({ kind: invisible, cp, at: i });
      i += width;
      continue;
    }
    if (isSpace(cp)) {
      if (pendingSpace < 0) pendingSpace = i;
      if (isLineBreak(cp)) pendingBreak = true;
      spaceEnd = i + width;
      i += width;
      continue;
    }
    // A segment: this character and the combining marks that follow it.
    let j = i + width;
    let marks = 0;
    while (j < n) {
      const m = text.charCodeAt(j);
      // Half-width katakana voicing marks are letters, not marks, but NFKC composes them with the kana before.
      if (m < 0x300 || (!isMarkAt(text, j) && m !== 0xff9e && m !== 0xff9f)) break;
      marks++;
      j += m >= 0xd800 && m <= 0xdbff && j + 1 < n && text.charCodeAt(j + 1) >= 0xdc00 && text.charCodeAt(j + 1) <= 0xdfff ? 2 : 1;
    }
    if (marks > MAX_MARKS) markPiles.push({ at: i, end: j, marks });
    const segment = j - i === 1 ? null : text.slice(i, j); // a lone code unit is looked up by its number
    const fold = segment === null ? foldUnit(c) : foldSegment(marks > MAX_MARKS ? segment.slice(0, width) : segment);
    if (marks > MAX_MARKS ? segment!.normalize("NFKC") !== segment : fold.nfkcChanges) {
      const kind = styledLatinKind(cp) ?? "other";
      nfkcChanges.push({ at: i, end: j, kind });
    }
    if (pendingSpace >= 0) {
      // The whitespace run before this character becomes one space or one line break.
      if (out.length > 0) out.push(pendingBreak ? 0x0a : 0x20, pendingSpace, spaceEnd);
      pendingSpace = -1;
      pendingBreak = false;
    }
    nonLatinLetters += fold.foreign;
    // NFKC of some compatibility characters contains spaces (e.g. U+2474 "(1)"): they are kept as they are.
    const { folded } = fold;
    for (let k = 0; k < folded.length; k++) out.push(folded.charCodeAt(k), i, j);
    i = j;
  }

  let map: { starts: Int32Array; ends: Int32Array } | undefined;
  const mapped = (): { starts: Int32Array; ends: Int32Array } => (map ??= unitMap(out));
  const mixedWords = nonLatinLetters > 0 ? foldMixedWords(out.codes, out.length, mapped()) : [];
  const folded = toText(out.codes, out.length);
  // The map is built on first use: most prompts have no finding whose span needs it.
  return {
    original: text,
    folded,
    get starts() { return mapped().starts; },
    get ends() { return mapped().ends; },
    ascii,
    invisibles,
    nfkcChanges,
    mixedWords,
    markPiles,
  };
}

/**
 * Finds words that mix Latin with Cyrillic or Greek and folds their look-alike letters, in place,
 * to the word's dominant script. A word written wholly in look-alike Cyrillic/Greek inside
 * mostly-Latin text ("\u0456gn\u043er\u0435") is folded to Latin too.
 */
function foldMixedWords(codes: Uint16Array, length: number, map: { readonly starts: Int32Array; readonly ends: Int32Array }): MixedWord[] {
  const scripts = scriptsOf(codes, length);
  let latinTotal = 0;
  let otherTotal = 0;
  for (let k = 0; k < length; k++) {
    if (scripts[k] === Script.LATIN) latinTotal++;
    else if (scripts[k] !== Script.OTHER) otherTotal++;
  }
  const mostlyLatin = latinTotal > 3 * otherTotal;
  const words: MixedWord[] = [];
  let k = 0;
  while (k < length) {
    if (!isWordCode(codes, scripts, k)) { k++; continue; }
    const start = k;
    let latin = 0, cyr = 0, greek = 0, confusable = 0;
    while (k < length && isWordCode(codes, scripts, k)) {
      const s = scripts[k];
      if (s === Script.LATIN) latin++;
      else if (s === Script.CYRILLIC) { cyr++; if (TO_LATIN.has(codes[k]!)) confusable++; }
      else if (s === Script.GREEK) { greek++; if (TO_LATIN.has(codes[k]!)) confusable++; }
      k++;
    }
    const foreignLetters = cyr + greek;
    if (latin > 0 && foreignLetters > 0) {
      // Greek letters next to Latin ones are ordinary in maths ("2\u03c0r", "\u03bbx"): only look-alikes count.
      if (cyr === 0 && confusable === 0) continue;
      const latinWins = latin >= foreignLetters;
      const target = latinWins ? TO_LATIN : TO_CYRILLIC;
      for (let q = start; q < k; q++) {
        const s = scripts[q];
        if (latinWins ? s !== Script.LATIN : s === Script.LATIN) {
          const mapped = target.get(codes[q]!);
          if (mapped !== undefined) codes[q] = mapped;
        }
      }
      words.push({
        start: map.starts[start]!,
        end: map.ends[k - 1]!,
        dominant: latinWins ? "Latin" : cyr >= greek ? "Cyrillic" : "Greek",
        foreign: latinWins ? foreignLetters : latin,
        disguised: false,
      });
    } else if (latin === 0 && mostlyLatin && foreignLetters >= 3 && confusable === foreignLetters) {
      for (let q = start; q < k; q++) codes[q] = TO_LATIN.get(codes[q]!) ?? codes[q]!;
      words.push({ start: map.starts[start]!, end: map.ends[k - 1]!, dominant: "Latin", foreign: foreignLetters, disguised: true });
    }
  }
  return words;
}

/** The fold script of each code unit (of the code point starting there; OTHER for a low surrogate). */
function scriptsOf(codes: Uint16Array, length: number): Uint8Array {
  const scripts = new Uint8Array(length);
  for (let k = 0; k < length; k++) {
    const c = codes[k]!;
    if (c < 0x80) { scripts[k] = c >= 0x61 && c <= 0x7a ? Script.LATIN : Script.OTHER; continue; }
    const next = k + 1 < length ? codes[k + 1]! : 0;
    const pair = c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
    scripts[k] = foldScriptOf(pair ? ((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000 : c);
  }
  return scripts;
}

function isWordCode(codes: Uint16Array, scripts: Uint8Array, k: number): boolean {
  if (scripts[k] !== Script.OTHER) return true;
  const code = codes[k]!;
  if (code < 0x80) return false;
  return code < 0xd800 && isLetter(code);
}

/**
 * Maps a span of the folded view back to the original text.
 * @returns `[start, end)` UTF-16 offsets into `prepared.original`.
 */
export function originalSpan(prepared: PreparedText, start: number, end: number): [number, number] {
  const last = prepared.starts.length - 1;
  if (last < 0) return [0, 0];
  const a = Math.min(Math.max(start, 0), last);
  const b = Math.min(Math.max(end - 1, a), last);
  return [prepared.starts[a]!, prepared.ends[b]!];
}

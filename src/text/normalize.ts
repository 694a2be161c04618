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
const segmentCache = new Map<string, string>();
const LATIN_DIACRITICS = /[\u0300-\u036f]/g;
/** Typographic quotes fold to ASCII ones, so rules need not spell `['\u2019]` in every contraction. */
const QUOTE_FOLDS: Readonly<Record<string, string>> = {
  "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'",
  "\u201c": "\"", "\u201d": "\"", "\u201e": "\"", "\u201f": "\"", "\u2033": "\"",
};

/** NFKC + lower case + (for Latin letters) no diacritics, for one base character and its marks. */
function foldSegment(segment: string): string {
  let folded = segmentCache.get(segment);
  if (folded !== undefined) return folded;
  folded = segment.normalize("NFKC").toLowerCase();
  folded = QUOTE_FOLDS[folded] ?? folded;
  if (foldScriptOf(folded.codePointAt(0) ?? 0) === Script.LATIN || folded.charCodeAt(0) < 0x80) {
    folded = folded.normalize("NFD").replace(LATIN_DIACRITICS, "").normalize("NFC");
  } else if (folded.charCodeAt(0) >= 0x0370 && folded.charCodeAt(0) < 0x0530) {
    // Greek and Cyrillic: keep the letter, drop accents (Greek tonos, Cyrillic breve) for matching.
    const base = folded.normalize("NFD").replace(LATIN_DIACRITICS, "");
    if (base.length > 0) folded = base.normalize("NFC");
  }
  if (segmentCache.size >= SEGMENT_CACHE_LIMIT) segmentCache.clear();
  segmentCache.set(segment, folded);
  return folded;
}

/** Growable parallel buffers for the folded view. */
class FoldBuffer {
  codes: Uint16Array;
  starts: Int32Array;
  ends: Int32Array;
  scripts: Uint8Array;
  length = 0;
  /** Sized for the common case (folding rarely lengthens text); grows when NFKC expands. */
  constructor(capacity: number) {
    this.codes = new Uint16Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.scripts = new Uint8Array(capacity);
  }
  /** Makes room for `count` more units. */
  reserve(count: number): void {
    while (this.length + count > this.codes.length) this.grow();
  }
  push(code: number, start: number, end: number, script: Script): void {
    if (this.length === this.codes.length) this.grow();
    const i = this.length++;
    this.codes[i] = code;
    this.starts[i] = start;
    this.ends[i] = end;
    this.scripts[i] = script;
  }
  private grow(): void {
    const size = this.codes.length * 2;
    const codes = new Uint16Array(size); codes.set(this.codes); this.codes = codes;
    const starts = new Int32Array(size); starts.set(this.starts); this.starts = starts;
    const ends = new Int32Array(size); ends.set(this.ends); this.ends = ends;
    const scripts = new Uint8Array(size); scripts.set(this.scripts); this.scripts = scripts;
  }
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
      // Fast path: a run of printable ASCII goes straight into the buffers.
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d <= 0x20 || d >= 0x7f) break;
        j++;
      }
      if (j < n && text.charCodeAt(j) >= 0x300 && isMark(text.codePointAt(j)!)) j--; // that letter carries marks
      if (j > i) {
        if (pendingSpace >= 0) {
          // The whitespace run before this character becomes one space or one line break.
          if (out.length > 0) out.push(pendingBreak ? 0x0a : 0x20, pendingSpace, spaceEnd, Script.OTHER);
          pendingSpace = -1;
          pendingBreak = false;
        }
        out.reserve(j - i);
        const { codes, starts, ends, scripts } = out;
        let k = out.length;
        for (let q = i; q < j; q++, k++) {
          let d = text.charCodeAt(q);
          if (d >= 0x41 && d <= 0x5a) d += 0x20;
          codes[k] = d;
          starts[k] = q;
          ends[k] = q + 1;
          scripts[k] = d >= 0x61 && d <= 0x7a ? Script.LATIN : Script.OTHER;
        }
        out.length = k;
        i = j;
        continue;
      }
    }
    const markFollows = i + 1 < n && text.charCodeAt(i + 1) >= 0x300 && isMark(text.codePointAt(i + 1)!);
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
          if (out.length > 0) out.push(pendingBreak ? 0x0a : 0x20, pendingSpace, spaceEnd, Script.OTHER);
          pendingSpace = -1;
          pendingBreak = false;
        }
        const lower = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
        out.push(lower, i, i + 1, lower >= 0x61 && lower <= 0x7a ? Script.LATIN : Script.OTHER);
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
        if (out.length > 0) out.push(pendingBreak ? 0x0a : 0x20, pendingSpace, spaceEnd, Script.OTHER);
        pendingSpace = -1;
        pendingBreak = false;
      }
      out.push(0xfffd, i, i + 1, Script.OTHER);
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
      const m = text.codePointAt(j)!;
      // Half-width katakana voicing marks are letters, not marks, but NFKC composes them with the kana before.
      if (!isMark(m) && m !== 0xff9e && m !== 0xff9f) break;
      marks++;
      j += m > 0xffff ? 2 : 1;
    }
    if (marks > MAX_MARKS) markPiles.push({ at: i, end: j, marks });
    const segment = j - i === 1 ? text[i]! : text.slice(i, j);
    const folded = foldSegment(marks > MAX_MARKS ? segment.slice(0, width) : segment);
    if (segment.normalize("NFKC") !== segment) {
      const kind = styledLatinKind(cp) ?? "other";
      nfkcChanges.push({ at: i, end: j, kind });
    }
    if (pendingSpace >= 0) {
      // The whitespace run before this character becomes one space or one line break.
      if (out.length > 0) out.push(pendingBreak ? 0x0a : 0x20, pendingSpace, spaceEnd, Script.OTHER);
      pendingSpace = -1;
      pendingBreak = false;
    }
    for (let k = 0; k < folded.length; k++) {
      const code = folded.charCodeAt(k);
      const script = code < 0x80 ? (code >= 0x61 && code <= 0x7a ? Script.LATIN : Script.OTHER) : foldScriptOf(folded.codePointAt(k)!);
      if (script === Script.CYRILLIC || script === Script.GREEK) nonLatinLetters++;
      if (code === 0x20 || code === 0x0a) {
        // NFKC of some compatibility characters contains spaces (e.g. U+2474 "(1)"): keep them as they are.
        out.push(code, i, j, Script.OTHER);
      } else {
        out.push(code, i, j, script);
      }
    }
    i = j;
  }

  const mixedWords = nonLatinLetters > 0 ? foldMixedWords(out) : [];
  return {
    original: text,
    folded: toText(out.codes, out.length),
    starts: out.starts.subarray(0, out.length),
    ends: out.ends.subarray(0, out.length),
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
function foldMixedWords(out: FoldBuffer): MixedWord[] {
  const { codes, scripts, length } = out;
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
        start: out.starts[start]!,
        end: out.ends[k - 1]!,
        dominant: latinWins ? "Latin" : cyr >= greek ? "Cyrillic" : "Greek",
        foreign: latinWins ? foreignLetters : latin,
        disguised: false,
      });
    } else if (latin === 0 && mostlyLatin && foreignLetters >= 3 && confusable === foreignLetters) {
      for (let q = start; q < k; q++) codes[q] = TO_LATIN.get(codes[q]!) ?? codes[q]!;
      words.push({ start: out.starts[start]!, end: out.ends[k - 1]!, dominant: "Latin", foreign: foreignLetters, disguised: true });
    }
  }
  return words;
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

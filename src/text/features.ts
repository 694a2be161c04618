// Text features: cheap facts about a text that rules can require as keywords ("@doubled-words"), for
// patterns that no literal can prefilter (a word repeated many times in a row).

/**
 * The features a rule can list in `keywords` by name. Each is a necessary condition that one pass over
 * the text decides far faster than a search with the rule's pattern would fail. Besides these, the
 * counted forms `@repeated-words:N` and `@repeated-tokens:N` (N from 2 to 1000) ask for a run that
 * occurs N times in a row; see {@link textFeature}.
 */
export const TEXT_FEATURES = {
  /**
   * A run of one to six words occurs twice in a row ("stop stop", "ignore it, ignore it"). Words are
   * runs of letters, combining marks and apostrophes; between two words of a run there may only be
   * one to four of the characters `\s , . ; : ! ? - ~ * _ / |`, the en dash and the em dash.
   * The same as `@repeated-words:2`.
   */
  "@doubled-words": (text: string): boolean => repeatedRuns(text).words >= 2,
  /**
   * The same for tokens (runs of letters, digits and underscores, "x_1 x_1", "1234 1234") with one
   * to three of `\s , ; | . -` between them. The same as `@repeated-tokens:2`.
   */
  "@doubled-tokens": (text: string): boolean => repeatedRuns(text).tokens >= 2,
  /**
   * Letters joined by symbols, the start of "i>g>n>o>r>e" or "i=g=n": a letter that does not follow a
   * letter or digit, one to three symbols (not letters, digits, marks, spaces or `. - _ * | / + ~ , ' ` ^`,
   * the middle dot and the backslash), another letter, then a symbol or a space.
   */
  "@symbol-joined-letters": hasSymbolJoinedLetters,
} as const satisfies Record<string, (text: string) => boolean>;

/** The name of a text feature, as written in `keywords` ("@doubled-words", "@repeated-words:10"). */
export type TextFeature = string;

/** How the known features are described in error messages. */
export const TEXT_FEATURE_NAMES = [...Object.keys(TEXT_FEATURES), "@repeated-words:N", "@repeated-tokens:N"] as const;

const REPEATED = /^@repeated-(words|tokens):([1-9]\d{0,3})$/;
const resolved = new Map<string, (text: string) => boolean>();

/**
 * The test a feature name stands for, or undefined for an unknown name. `@repeated-words:N`: a run of
 * one to six words (as for `@doubled-words`) occurs N times in a row ("ha ha ha ha ha" has
 * `@repeated-words:5`); `@repeated-tokens:N` the same for tokens; N from 2 to 1000.
 */
export function textFeature(name: string): ((text: string) => boolean) | undefined {
  let test = resolved.get(name);
  if (test !== undefined) return test;
  if (Object.hasOwn(TEXT_FEATURES, name)) test = TEXT_FEATURES[name as keyof typeof TEXT_FEATURES];
  else {
    const m = REPEATED.exec(name);
    const times = m ? Number(m[2]) : 0;
    if (!m || times < 2 || times > 1000) return undefined;
    test = m[1] === "words" ? (text) => repeatedRuns(text).words >= times : (text) => repeatedRuns(text).tokens >= times;
  }
  resolved.set(name, test);
  return test;
}

/** Whether `keyword` names a text feature (it starts with "@"), known or not. */
export const isFeatureKeyword = (keyword: string): boolean => keyword.startsWith("@");

/** Whether `name` is a known text feature. */
export const isTextFeature = (name: string): boolean => textFeature(name) !== undefined;

/**
 * Whether `text` has every one of `features` (known names), remembering answers in `cache` (one cache
 * per text: several rules ask about the same text).
 */
export function hasFeatures(features: readonly TextFeature[], text: string, cache: Map<TextFeature, boolean>): boolean {
  for (const feature of features) {
    let has = cache.get(feature);
    if (has === undefined) cache.set(feature, (has = textFeature(feature)!(text)));
    if (!has) return false;
  }
  return true;
}

/** Longest run of tokens that {@link RunTracker} compares. */
const MAX_RUN = 6;

/**
 * How many times in a row a run of words, and one of tokens, repeats at most in one text (one pass);
 * the last answer is kept (the rules ask about one text in turn).
 */
let lastText: string | undefined;
let lastRuns = { words: 1, tokens: 1 };
function repeatedRuns(text: string): { readonly words: number; readonly tokens: number } {
  if (text !== lastText) {
    const words = new RunTracker(WORD, WORD_GAP, 4);
    const tokens = new RunTracker(TOKEN, TOKEN_GAP, 3);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const k = classOf(c);
      const folded = c >= 0x41 && c <= 0x5a ? c | 0x20 : c; // A-Z as a-z, as the i flag would
      words.step(k, folded);
      tokens.step(k, folded);
    }
    lastRuns = { words: words.finish(), tokens: tokens.finish() };
    lastText = text;
  }
  return lastRuns;
}

/**
 * Hashes the tokens of a text as they go by, with a unique barrier value wherever consecutive tokens
 * are not separated by 1..`maxGap` gap characters only; then tells how many times in a row some run
 * of 1..6 tokens occurs. Equal tokens always have equal hashes, so the count is never too low for a
 * run the text has; a rare collision only raises it. Apostrophes: a pattern's word starts with a
 * letter, so "'stop" and "stop'" hash as "stop" (before a word, an apostrophe also breaks the gap, as
 * the patterns do not allow one between copies); a word with an apostrophe between letters ("x'stop",
 * "stop'd") may hold a copy on either side of it, and so may one with an astral character (an emoji
 * counts as a letter here but is none to the patterns): such a token may stand for the first or the
 * last copy of a run whatever its hash (a "wild" token).
 */
class RunTracker {
  private readonly hashes: number[] = [];
  /** Per entry of {@link hashes}: the token is wild (see above). */
  private readonly wild: boolean[] = [];
  private hash = 0;
  /** The hash up to the token's last character that is not an apostrophe. */
  private kept = 0;
  private inToken = false;
  /** The token so far has an apostrophe after a letter; one more letter makes the token wild. */
  private afterApostrophe = false;
  private wildToken = false;
  private gap = 0;
  private barrier = -1; // token hashes are >= 0

  constructor(private readonly tokenBit: number, private readonly gapBit: number, private readonly maxGap: number) {}

  step(k: number, c: number): void {
    if ((k & this.tokenBit) !== 0) {
      const apostrophe = (k & APOSTROPHE) !== 0;
      if (!this.inToken) {
        if (apostrophe) {
          this.gap = this.maxGap + 1;
          return;
        }
        if (this.hashes.length > 0 && this.gap > this.maxGap) this.push(this.barrier--, false);
        this.hash = 0x811c9dc5;
        this.inToken = true;
        this.afterApostrophe = this.wildToken = false;
      }
      this.hash = Math.imul(this.hash ^ c, 0x01000193);
      if ((k & SURROGATE) !== 0) this.wildToken = true; // an emoji or other astral character may sit next to a copy
      if (apostrophe) this.afterApostrophe = true;
      else {
        this.kept = this.hash;
        if (this.afterApostrophe) this.wildToken = true;
      }
      return;
    }
    if (this.inToken) {
      this.push(this.kept >>> 0, this.wildToken);
      this.inToken = false;
      this.gap = 0;
    }
    // A gap character extends the gap; anything else breaks it for good.
    this.gap = (k & this.gapBit) !== 0 && this.gap <= this.maxGap ? this.gap + 1 : this.maxGap + 1;
  }

  private push(hash: number, wild: boolean): void {
    this.hashes.push(hash);
    this.wild.push(wild);
  }

  /** The most times some run of 1..6 tokens occurs in a row (1 when none repeats). */
  finish(): number {
    if (this.inToken) this.push(this.kept >>> 0, this.wildToken);
    const { hashes, wild } = this;
    const n = hashes.length;
    // Position p compares token p with token p + size (barriers are negative and never equal).
    const either = (p: number, size: number): boolean => hashes[p]! >= 0 && hashes[p + size]! >= 0 && (wild[p] === true || wild[p + size] === true);
    let most = 1;
    for (let size = 1; size <= MAX_RUN; size++) {
      // A run of `size` tokens starting at t repeats r times when the tokens are equal at every
      // position in [t, t + (r - 1) * size), except that the first and the last of those positions may
      // instead involve a wild token: r = floor(positions / size) + 1.
      const end = n - size;
      let p = 0;
      while (p < end) {
        const h = hashes[p]!;
        if (h !== hashes[p + size] || h < 0) {
          if (size === 1 && most < 2 && either(p, 1)) most = 2;
          p++;
          continue;
        }
        const from = p;
        do p++; while (p < end && hashes[p] === hashes[p + size] && hashes[p]! >= 0);
        const positions = p - from + (from > 0 && either(from - 1, size) ? 1 : 0) + (p < end && either(p, size) ? 1 : 0);
        const copies = Math.floor(positions / size) + 1;
        if (copies > most) most = copies;
      }
    }
    return most;
  }
}

/**
 * Where the symbol-joined shape can start: an ASCII symbol (see SYMBOL below) or any non-ASCII code unit
 * (symbols, astral characters). A native search skips the ASCII letters, digits and spaces in between.
 */
let symbolCandidates: RegExp | undefined;
function candidatesRegex(): RegExp {
  let units = "";
  for (let c = 0; c < 0x80; c++) if ((computeClass(c) & SYMBOL) !== 0) units += `\\x${c.toString(16).padStart(2, "0")}`;
  return new RegExp(`[${units}\\u0080-\\uffff]`, "g");
}

function hasSymbolJoinedLetters(text: string): boolean {
  const n = text.length;
  const re = (symbolCandidates ??= candidatesRegex());
  re.lastIndex = 0;
  while (re.test(text)) {
    const i = re.lastIndex - 1; // one code unit
    const k = classAt(text, i);
    if ((k & (SYMBOL | SURROGATE)) === 0) {
      // A non-ASCII letter, digit or space: cross the non-ASCII run here rather than one search per unit.
      let j = i + 1;
      while (j < n && text.charCodeAt(j) >= 0x80 && (classAt(text, j) & (SYMBOL | SURROGATE)) === 0) j++;
      re.lastIndex = j;
      continue;
    }
    const previous = i > 0 ? classAt(text, i - 1) : 0;
    if ((k & SURROGATE) !== 0) {
      // Astral characters (emoji, rare scripts) may be the letters or the symbols: next to a letter, a
      // symbol or another astral character, answer "yes" rather than count code points.
      if ((previous & (LETTER | SYMBOL | SURROGATE)) !== 0 || (i + 1 < n && (classAt(text, i + 1) & (LETTER | SYMBOL | SURROGATE)) !== 0)) return true;
      continue;
    }
    // A symbol at i: the shape starts at i - 1 when that is a letter that does not follow a letter or digit.
    const start = i - 1;
    if (start < 0 || (previous & LETTER) === 0 || (start > 0 && (classAt(text, start - 1) & LETTER_OR_DIGIT_BIT) !== 0) || start + 3 >= n) continue;
    let j = i + 1;
    while (j < n && j - start <= 4 && (classAt(text, j) & SYMBOL) !== 0) j++;
    const symbols = j - start - 1;
    if (symbols <= 3 && j + 1 < n && (classAt(text, j) & LETTER) !== 0 && (classAt(text, j + 1) & (SYMBOL | SPACE_BIT)) !== 0) return true;
  }
  return false;
}

const classAt = (text: string, i: number): number => classOf(text.charCodeAt(i));

// Character classes, one bit each. For the doubled runs, surrogates count as letters (astral letters are
// rare, and counting them only makes the answer "yes" more often); symbol-joined letters handle them apart.
const WORD = 1; // letter, mark, apostrophe
const TOKEN = 2; // letter, digit, underscore
const WORD_GAP = 4; // \s , . ; : ! ? - ~ * _ / | and the en and em dashes
const TOKEN_GAP = 8; // \s , ; | . -
const LETTER = 16; // \p{L}
const LETTER_OR_DIGIT_BIT = 32; // \p{L} or \p{N}
const SYMBOL = 64; // not \p{L}, \p{N}, \p{M}, \s, nor . - _ * | / + ~ , ' ` ^, middle dot, backslash
const SPACE_BIT = 128;
const SURROGATE = 256;
const APOSTROPHE = 512; // ' and \u2019, word characters only between letters
const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;
const LETTER_ONLY = /\p{L}/u;
const NOT_SYMBOL = /[\p{L}\p{N}\p{M}\s.\-_*|/+~,'`^\u00b7\\]/u;
function computeClass(c: number): number {
  const s = String.fromCharCode(c);
  const surrogate = c >= 0xd800 && c <= 0xdfff;
  const space = SPACE.test(s);
  return (
    (surrogate || LETTER_OR_MARK.test(s) || c === 0x27 || c === 0x2019 ? WORD : 0) |
    (surrogate || LETTER_OR_DIGIT.test(s) || c === 0x5f ? TOKEN : 0) |
    (space || ",.;:!?-\u2013\u2014~*_/|".includes(s) ? WORD_GAP : 0) |
    (space || ",;|.-".includes(s) ? TOKEN_GAP : 0) |
    (surrogate ? SURROGATE : (LETTER_ONLY.test(s) ? LETTER : 0) | (LETTER_OR_DIGIT.test(s) ? LETTER_OR_DIGIT_BIT : 0) | (NOT_SYMBOL.test(s) ? 0 : SYMBOL)) |
    (space ? SPACE_BIT : 0) |
    (c === 0x27 || c === 0x2019 ? APOSTROPHE : 0)
  );
}
// Filled on first sight (bit 15 marks "known").
const CLASS = new Uint16Array(0x10000);
function classOf(c: number): number {
  let k = CLASS[c]!;
  if (k === 0) CLASS[c] = k = 0x8000 | computeClass(c);
  return k & 0x7fff;
}

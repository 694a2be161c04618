// Text features: cheap facts about a text that rules can require as keywords ("@doubled-words"), for
// patterns that no literal can prefilter (a word repeated many times in a row).

/**
 * The features a rule can list in `keywords`. Each is a necessary condition that one pass over the
 * text decides far faster than a search with the rule's pattern would fail.
 */
export const TEXT_FEATURES = {
  /**
   * A run of one to six words occurs twice in a row ("stop stop", "ignore it, ignore it"). Words are
   * runs of letters, combining marks and apostrophes; between two words of a run there may only be
   * one to four of the characters `\s , . ; : ! ? - ~ * _ / |`, the en dash and the em dash.
   */
  "@doubled-words": (text: string): boolean => doubledRuns(text).words,
  /**
   * The same for tokens (runs of letters, digits and underscores, "x_1 x_1", "1234 1234") with one
   * to three of `\s , ; | . -` between them.
   */
  "@doubled-tokens": (text: string): boolean => doubledRuns(text).tokens,
  /**
   * Letters joined by symbols, the start of "i>g>n>o>r>e" or "i=g=n": a letter that does not follow a
   * letter or digit, one to three symbols (not letters, digits, marks, spaces or `. - _ * | / + ~ , ' ` ^`,
   * the middle dot and the backslash), another letter, then a symbol or a space.
   */
  "@symbol-joined-letters": hasSymbolJoinedLetters,
} as const satisfies Record<string, (text: string) => boolean>;

export type TextFeature = keyof typeof TEXT_FEATURES;

/** Whether `keyword` names a text feature (it starts with "@"), known or not. */
export const isFeatureKeyword = (keyword: string): boolean => keyword.startsWith("@");

/** Whether `name` is a known text feature. */
export const isTextFeature = (name: string): name is TextFeature => Object.hasOwn(TEXT_FEATURES, name);

/**
 * Whether `text` has every one of `features`, remembering answers in `cache` (one cache per text:
 * several rules ask about the same text).
 */
export function hasFeatures(features: readonly TextFeature[], text: string, cache: Map<TextFeature, boolean>): boolean {
  for (const feature of features) {
    let has = cache.get(feature);
    if (has === undefined) cache.set(feature, (has = TEXT_FEATURES[feature](text)));
    if (!has) return false;
  }
  return true;
}

/** Longest run of tokens that {@link RunTracker} compares. */
const MAX_RUN = 6;

/** Both features of one text, in one pass; the last answer is kept (the rules ask about one text in turn). */
let lastText: string | undefined;
let lastRuns = { words: false, tokens: false };
function doubledRuns(text: string): { readonly words: boolean; readonly tokens: boolean } {
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
 * are not separated by 1..`maxGap` gap characters only; then tells whether some run of 1..6 tokens
 * is immediately followed by the same run. Equal tokens always have equal hashes, so the answer is
 * never "no" when the text has such a run; a rare collision only answers "yes".
 */
class RunTracker {
  private readonly hashes: number[] = [];
  private hash = 0;
  private inToken = false;
  private gap = 0;
  private barrier = -1; // token hashes are >= 0

  constructor(private readonly tokenBit: number, private readonly gapBit: number, private readonly maxGap: number) {}

  step(k: number, c: number): void {
    if ((k & this.tokenBit) !== 0) {
      if (!this.inToken) {
        if (this.hashes.length > 0 && this.gap > this.maxGap) this.hashes.push(this.barrier--);
        this.hash = 0x811c9dc5;
        this.inToken = true;
      }
      this.hash = Math.imul(this.hash ^ c, 0x01000193);
      return;
    }
    if (this.inToken) {
      this.hashes.push(this.hash >>> 0);
      this.inToken = false;
      this.gap = 0;
    }
    // A gap character extends the gap; anything else breaks it for good.
    this.gap = (k & this.gapBit) !== 0 && this.gap <= this.maxGap ? this.gap + 1 : this.maxGap + 1;
  }

  finish(): boolean {
    if (this.inToken) this.hashes.push(this.hash >>> 0);
    const { hashes } = this;
    const n = hashes.length;
    for (let size = 1; size <= MAX_RUN; size++) {
      for (let i = 0; i + 2 * size <= n; i++) {
        if (hashes[i] !== hashes[i + size] || hashes[i]! < 0) continue;
        let j = 1;
        while (j < size && hashes[i + j] === hashes[i + size + j] && hashes[i + j]! >= 0) j++;
        if (j === size) return true;
      }
    }
    return false;
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
    if ((k & (SYMBOL | SURROGATE)) === 0) continue;
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
    (space ? SPACE_BIT : 0)
  );
}
// Filled on first sight (bit 15 marks "known").
const CLASS = new Uint16Array(0x10000);
function classOf(c: number): number {
  let k = CLASS[c]!;
  if (k === 0) CLASS[c] = k = 0x8000 | computeClass(c);
  return k & 0x7fff;
}

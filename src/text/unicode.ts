// Unicode character data: the only importer of unicode-properties, plus our own small tables.
import props from "unicode-properties";

/** Scripts the folding logic cares about; everything else is `OTHER`. */
export const enum Script {
  OTHER = 0,
  LATIN = 1,
  CYRILLIC = 2,
  GREEK = 3,
}

/** Script of a letter we fold between (Latin, Cyrillic, Greek), else OTHER. */
export function foldScriptOf(cp: number): Script {
  if (cp < 0x80) return (cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a ? Script.LATIN : Script.OTHER;
  const s = props.getScript(cp);
  if (s === "Latin") return Script.LATIN;
  if (s === "Cyrillic") return Script.CYRILLIC;
  if (s === "Greek") return Script.GREEK;
  return Script.OTHER;
}

/** Unicode script name, e.g. "Latin", "Han", "Arabic". */
export function scriptName(cp: number): string {
  return props.getScript(cp);
}

/** General category, e.g. "Lu", "Mn", "Cf". */
export function category(cp: number): string {
  return props.getCategory(cp);
}

/** True for combining marks (Mn, Mc, Me). */
export function isMark(cp: number): boolean {
  return cp >= 0x300 && props.isMark(cp);
}

/** True for letters of any script (category L*). */
export function isLetter(cp: number): boolean {
  if (cp < 0x80) return (cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a;
  return props.getCategory(cp).charCodeAt(0) === 0x4c; // "L"
}

/** True for Unicode whitespace (White_Space property, the common ones). */
export function isSpace(cp: number): boolean {
  return (
    cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0 || cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f ||
    cp === 0x205f || cp === 0x3000
  );
}

/** True for line breaks (kept as "\n" in the folded view). */
export function isLineBreak(cp: number): boolean {
  return cp === 0x0a || cp === 0x0d || cp === 0x0b || cp === 0x0c || cp === 0x85 || cp === 0x2028 || cp === 0x2029;
}

/** Kinds of invisible or format characters, each reported differently by checkStructure. */
export const enum Invisible {
  NONE = 0,
  ZERO_WIDTH = 1, // ZWSP, ZWNJ, ZWJ, word joiner, invisible math operators, Mongolian vowel separator
  BOM = 2,
  SOFT_HYPHEN = 3,
  BIDI_MARK = 4, // LRM, RLM, ALM
  BIDI_EMBEDDING = 5, // LRE, RLE, PDF, LRI, RLI, FSI, PDI
  BIDI_OVERRIDE = 6, // LRO, RLO
  TAG = 7, // U+E0000..U+E007F
  VARIATION_SELECTOR = 8,
  CONTROL = 9, // C0/C1 controls other than whitespace, other Cf characters
}

/** Classifies a code point that the folded view drops. */
export function invisibleKind(cp: number): Invisible {
  if (cp < 0x20) return cp === 0x09 || cp === 0x0a || cp === 0x0d || cp === 0x0b || cp === 0x0c ? Invisible.NONE : Invisible.CONTROL;
  if (cp < 0x7f) return Invisible.NONE;
  if (cp <= 0x9f) return cp === 0x85 ? Invisible.NONE : Invisible.CONTROL;
  if (cp >= 0x2070 && cp < 0xfe00) return Invisible.NONE; // most scripts, CJK included: nothing invisible here
  if (cp === 0xad) return Invisible.SOFT_HYPHEN;
  if (cp < 0x180e) return cp === 0x34f || cp === 0x61c ? (cp === 0x61c ? Invisible.BIDI_MARK : Invisible.ZERO_WIDTH) : Invisible.NONE;
  if (cp === 0x180e) return Invisible.ZERO_WIDTH;
  if (cp >= 0x180b && cp <= 0x180f) return Invisible.VARIATION_SELECTOR;
  if (cp >= 0x200b && cp <= 0x200d) return Invisible.ZERO_WIDTH;
  if (cp === 0x200e || cp === 0x200f) return Invisible.BIDI_MARK;
  if (cp === 0x202a || cp === 0x202b || cp === 0x202c) return Invisible.BIDI_EMBEDDING;
  if (cp === 0x202d || cp === 0x202e) return Invisible.BIDI_OVERRIDE;
  if (cp >= 0x2060 && cp <= 0x2064) return Invisible.ZERO_WIDTH;
  if (cp >= 0x2066 && cp <= 0x2069) return Invisible.BIDI_EMBEDDING;
  if (cp >= 0x206a && cp <= 0x206f) return Invisible.CONTROL;
  if (cp >= 0xfe00 && cp <= 0xfe0f) return Invisible.VARIATION_SELECTOR;
  if (cp === 0xfeff) return Invisible.BOM;
  if (cp >= 0xfff9 && cp <= 0xfffb) return Invisible.CONTROL;
  if (cp >= 0xe0000 && cp <= 0xe007f) return Invisible.TAG;
  if (cp >= 0xe0100 && cp <= 0xe01ef) return Invisible.VARIATION_SELECTOR;
  if (cp >= 0x1bca0 && cp <= 0x1bca3) return Invisible.CONTROL;
  if (cp >= 0x1d173 && cp <= 0x1d17a) return Invisible.CONTROL;
  return Invisible.NONE;
}

/** True for pictographic emoji and the modifiers that build emoji sequences (ZWJ may join them). */
export function isEmojiPart(cp: number): boolean {
  return (
    (cp >= 0x1f000 && cp <= 0x1faff) || (cp >= 0x2600 && cp <= 0x27bf) || (cp >= 0x2190 && cp <= 0x21ff) ||
    (cp >= 0x2300 && cp <= 0x23ff) || (cp >= 0x2b00 && cp <= 0x2bff) || cp === 0x3030 || cp === 0x303d ||
    cp === 0x3297 || cp === 0x3299 || cp === 0xa9 || cp === 0xae || cp === 0x2122 || cp === 0x20e3 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x1f3fb && cp <= 0x1f3ff)
  );
}

/**
 * Cyrillic and Greek letters (lower case, after NFKC) that look like a Latin letter.
 * Deliberately leaves out letters with a common legitimate use next to Latin (mu for "micro", pi, theta).
 */
export const TO_LATIN: ReadonlyMap<number, number> = new Map(
  (
    [
      ["\u0430", "a"], ["\u0432", "b"], ["\u0435", "e"], ["\u0451", "e"], ["\u0456", "i"], ["\u0457", "i"], ["\u0458", "j"], ["\u043a", "k"],
      ["\u043c", "m"], ["\u043d", "h"], ["\u043e", "o"], ["\u0440", "p"], ["\u0441", "c"], ["\u0442", "t"], ["\u0443", "y"], ["\u0445", "x"],
      ["\u0455", "s"], ["\u0501", "d"], ["\u04bb", "h"], ["\u04cf", "l"], ["\u051b", "q"], ["\u051d", "w"], ["\u044c", "b"], ["\u0433", "r"], ["\u0475", "v"],
      ["\u03b1", "a"], ["\u03b2", "b"], ["\u03b5", "e"], ["\u03b7", "n"], ["\u03b9", "i"], ["\u03ba", "k"], ["\u03bd", "v"], ["\u03bf", "o"], ["\u03c1", "p"],
      ["\u03c4", "t"], ["\u03c5", "u"], ["\u03c7", "x"], ["\u03b3", "y"], ["\u03c9", "w"], ["\u03f2", "c"], ["\u03f3", "j"], ["\u0461", "w"],
    ] as const
  ).map(([from, to]) => [from.codePointAt(0)!, to.codePointAt(0)!]),
);

/** Latin letters that look like a Cyrillic letter, for words that are mostly Cyrillic. */
export const TO_CYRILLIC: ReadonlyMap<number, number> = new Map(
  (
    [["a", "\u0430"], ["e", "\u0435"], ["o", "\u043e"], ["p", "\u0440"], ["c", "\u0441"], ["y", "\u0443"], ["x", "\u0445"], ["k", "\u043a"], ["m", "\u043c"], ["t", "\u0442"], ["b", "\u0432"], ["h", "\u043d"]] as const
  ).map(([from, to]) => [from.codePointAt(0)!, to.codePointAt(0)!]),
);

/**
 * True when NFKC maps this code point to a plain Latin letter because it is a *styled* letter
 * (full-width, mathematical, circled, parenthesised, squared), as opposed to ligatures,
 * superscripts or modifier letters that ordinary text uses.
 */
export function styledLatinKind(cp: number): "fullwidth" | "styled" | null {
  if ((cp >= 0xff21 && cp <= 0xff3a) || (cp >= 0xff41 && cp <= 0xff5a)) return "fullwidth";
  if (cp >= 0x1d400 && cp <= 0x1d6a5) return "styled"; // mathematical alphanumerics (Latin part)
  if (cp >= 0x249c && cp <= 0x24e9) return "styled"; // parenthesised and circled letters
  if (cp >= 0x1f110 && cp <= 0x1f189) return "styled"; // parenthesised, circled, squared capital letters
  if (cp >= 0x2100 && cp <= 0x214f) return "styled"; // letterlike symbols (script, double-struck)
  return null;
}

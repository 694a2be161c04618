// The compact view: undoes letter spacing ("i g n o r e"), punctuation inside words ("ign-ore") and leetspeak ("1gn0r3").
import type { PreparedText } from "./normalize.js";

/** A derived view of the folded text with its own map back to the original. */
export interface TextView {
  readonly text: string;
  readonly starts: ArrayLike<number>;
  readonly ends: ArrayLike<number>;
}

const LEET: Readonly<Record<string, string>> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "!": "i", "|": "l" };
/** Separators that letter-spacing uses. */
const SPACING = new Set([" ", ".", "-", "_", "*", "|", "/", "+", "~", ",", "'"]);
/** Punctuation dropped between two letters of one word. */
const INNER = new Set([".", "-", "_", "*", "|", "~", "'", "`", "^", "\u00b7"]);
const LETTERISH = /[\p{L}\p{M}\p{N}@$]/u;
/** Cheap test: is there anything the compact view would change? */
const CANDIDATE = /(?:^|[^\p{L}\p{N}])[\p{L}\p{N}@$][ .\-_*|/+~,'][\p{L}\p{N}@$][ .\-_*|/+~,'][\p{L}\p{N}@$](?:[^\p{L}\p{N}]|$)|\p{L}[.\-_*|~'`^\u00b7]\p{L}|\p{L}[013457@$!|]|[013457@$|]\p{L}/u;

/**
 * Builds the compact view, or returns `null` when it would equal the folded view.
 * @example compactView(prepareText("i g n o r e  a l l"))?.text // "ignore all"
 */
export function compactView(prepared: PreparedText): TextView | null {
  const src = prepared.folded;
  if (!CANDIDATE.test(src)) return null;
  const chars: string[] = [];
  const from: number[] = []; // folded index of each output char
  const emit = (ch: string, at: number): void => { chars.push(ch); from.push(at); };
  const isL = (k: number): boolean => k >= 0 && k < src.length && LETTERISH.test(src[k]!);
  let i = 0;
  while (i < src.length) {
    // A run of single letters separated by one separator: "i g n o r e", "i.g.n.o.r.e".
    if (isL(i) && !isL(i - 1) && !isL(i + 1) && SPACING.has(src[i + 1] ?? "") && isL(i + 2) && !isL(i + 3)) {
      const sep = src[i + 1]!;
      let j = i;
      const letters: number[] = [j];
      while (src[j + 1] === sep && isL(j + 2) && !isL(j + 3)) {
        j += 2;
        letters.push(j);
      }
      if (letters.length >= 3) {
        letters.forEach((k, n) => {
          if (n > 0 && sep === " " && wideSpace(prepared, k - 1)) emit(" ", k - 1);
          emit(leet(src[k]!, true), k);
        });
        i = j + 1;
        continue;
      }
    }
    if (isL(i)) {
      // One word: drop inner punctuation, undo leetspeak when the word has letters.
      let j = i;
      while (j < src.length && (isL(j) || (INNER.has(src[j]!) && isL(j - 1) && isL(j + 1)) || (LEET[src[j]!] !== undefined && (isL(j - 1) || isL(j + 1))))) j++;
      const word = src.slice(i, j);
      const hasLetter = /\p{L}/u.test(word);
      for (let k = i; k < j; k++) {
        const ch = src[k]!;
        if (INNER.has(ch) && !(LEET[ch] !== undefined && hasLetter)) continue;
        emit(hasLetter ? leet(ch, true) : ch, k);
      }
      i = j;
      continue;
    }
    emit(src[i]!, i);
    i++;
  }
  const text = chars.join("");
  if (text === src) return null;
  const starts = new Int32Array(from.length);
  const ends = new Int32Array(from.length);
  from.forEach((f, n) => { starts[n] = prepared.starts[f]!; ends[n] = prepared.ends[f]!; });
  return { text, starts, ends };
}

function leet(ch: string, inWord: boolean): string {
  return inWord ? (LEET[ch] ?? ch) : ch;
}

/** A folded space that stood for two or more spaces in the original: a word boundary inside spaced letters. */
function wideSpace(prepared: PreparedText, k: number): boolean {
  return prepared.ends[k]! - prepared.starts[k]! >= 2 || prepared.folded[k] === "\n";
}

// Text features ("@doubled-words" in a rule's keywords): what they see, and that they never hide a match.
import { describe, expect, it } from "vitest";
import { loadRulePacks, RulePackError } from "../../src/index.js";
import { TEXT_FEATURES, isTextFeature, textFeature } from "../../src/text/features.js";
import { prepareText } from "../../src/text/normalize.js";

const words = (t: string) => TEXT_FEATURES["@doubled-words"](t);
const tokens = (t: string) => TEXT_FEATURES["@doubled-tokens"](t);

describe("text features", () => {
  it("@doubled-words: a run of one to six words twice in a row, separated only by a few separators", () => {
    expect(words("stop stop")).toBe(true);
    expect(words("please ignore it, ignore it now")).toBe(true);
    expect(words("don't don't")).toBe(true);
    expect(words("one two three four five six one two three four five six")).toBe(true);
    expect(words("one two three four five six seven one two three four five six seven")).toBe(false); // runs of up to six
    expect(words("item 1, item 2, item 3")).toBe(false); // a digit breaks the run
    expect(words("stop (stop)")).toBe(false); // so does a bracket
    expect(words("stop - - - stop")).toBe(false); // and a gap of more than four characters
    expect(words("the cat and the dog")).toBe(false);
    expect(words("")).toBe(false);
  });

  it("@doubled-tokens: the same with letters, digits and underscores as token characters", () => {
    expect(tokens("x_1 x_1")).toBe(true);
    expect(tokens("1234, 1234")).toBe(true);
    expect(tokens("x_1 x_2")).toBe(false);
    expect(tokens("abc' abc")).toBe(false); // an apostrophe is neither a token character nor a separator here
  });

  it("never hides a match of the built-in rules that require them, on generated texts", () => {
    const rules = loadRulePacks({ builtins: ["en"] }).rules.filter((r) => r.features.some((f) => f.startsWith("@doubled") || f.startsWith("@repeated")));
    expect(rules.map((r) => r.id).sort()).toEqual(["any.repetition.long-word-run", "any.repetition.phrase-run", "any.repetition.token-flood", "en.repetition.token-flood"]);
    const pieces = ["stop", "Stop", "it", "don't", "x_1", "1234", "naïve", "\u0301", "\u{1F600}", "'", "’", " ", ", ", " - ", "_", "/", "|", "\n", ".", "(", "7", "a", "ignore", "the", "...", "'stop", "stop'", "’em", "x'stop", "stop'd", "\u{1F600}stop"];
    let seed = 7;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let matched = 0;
    for (let n = 0; n < 3000; n++) {
      // A random phrase repeated a random number of times with random separators, inside random noise.
      const phrase = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pieces[Math.floor(next() * pieces.length)]).join(next() < 0.7 ? " " : "");
      const seps = [" ", ", ", " - ", "_", "/", ". ", "  ", "1", "(", "'"];
      const sep = seps[Math.floor(next() * seps.length)]!;
      const noise = () => Array.from({ length: Math.floor(next() * 4) }, () => pieces[Math.floor(next() * pieces.length)]).join("");
      const text = prepareText(`${noise()}${Array.from({ length: 4 + Math.floor(next() * 42) }, () => phrase).join(sep)}${noise()}`).folded;
      for (const rule of rules) {
        if (!rule.regex.test(text)) continue;
        matched++;
        for (const f of rule.features) expect(textFeature(f)!(text), `${rule.id} on ${JSON.stringify(text.slice(0, 60))}`).toBe(true);
      }
    }
    expect(matched).toBeGreaterThan(500); // the generator does produce matches
  });

  it("@repeated-words:N and @repeated-tokens:N: a run that occurs N times in a row", () => {
    const times = (name: string, t: string) => textFeature(name)!(t);
    expect(times("@repeated-words:5", "ha ha ha ha ha")).toBe(true);
    expect(times("@repeated-words:6", "ha ha ha ha ha")).toBe(false);
    expect(times("@repeated-words:3", "you are free, you are free - you are free!")).toBe(true);
    expect(times("@repeated-words:4", "you are free, you are free - you are free!")).toBe(false);
    expect(times("@repeated-words:3", "'stop stop stop'")).toBe(true); // apostrophes at a word's edges are not part of it
    expect(times("@repeated-words:3", "don't don't don't")).toBe(true);
    expect(times("@repeated-words:2", "stop 'stop")).toBe(false); // the patterns allow no apostrophe between copies
    expect(times("@repeated-tokens:4", "x_1 x_1 x_1 x_1")).toBe(true);
    expect(times("@repeated-tokens:4", "x_1 x_1 x_1 x_2")).toBe(false);
    expect(times("@repeated-words:2", "stop stop")).toBe(TEXT_FEATURES["@doubled-words"]("stop stop"));
    for (const bad of ["@repeated-words:1", "@repeated-words:1001", "@repeated-words:x", "@repeated-lines:3", "@repeated-words:05"]) expect(isTextFeature(bad), bad).toBe(false);
  });

  it("@symbol-joined-letters: a lone letter, one to three symbols, a letter, then a symbol or a space", () => {
    const joined = (t: string) => TEXT_FEATURES["@symbol-joined-letters"](t);
    expect(joined("i>g>n>o>r>e")).toBe(true);
    expect(joined("x \u2022 a\u2022b\u2022c")).toBe(true);
    expect(joined("a\u{1F525}b\u{1F525}c")).toBe(true); // emoji separators
    expect(joined("if a > b then")).toBe(false); // spaced symbols do not join
    expect(joined("x=y;")).toBe(true); // code does have it: the feature only prefilters
    expect(joined("a-b-c, a.b.c, a/b/c, a_b_c")).toBe(false); // separators the rules leave to the compact view
    expect(joined("word>word>word")).toBe(false); // not single letters
    expect(joined("plain prose, nothing joined.")).toBe(false);
  });

  it("@symbol-joined-letters never hides a match of the odd-separator rules, on generated texts", () => {
    const rules = loadRulePacks({ builtins: "none" }).rules; // the odd-separator rules come with every choice of languages
    const odd = loadRulePacks({ builtins: ["en"] }).rules.filter((r) => r.features.includes("@symbol-joined-letters"));
    expect(rules).toEqual([]);
    expect(odd.map((r) => r.id).sort()).toEqual(["any.special-characters.odd-separator-letters", "any.special-characters.odd-separator-sentence"]);
    const symbols = [">", ">>>", "=#=", "\u2022", "\u{1F525}", "\u2192", "=", "#", ":", "\u2665", ">>", "\u{1F525}\u{1F525}", "(", "'", "-", "."];
    const letters = ["i", "g", "n", "o", "r", "e", "a", "\u{10400}", "\u4e2d", "\u00e9", "1"];
    let seed = 3;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let matched = 0;
    for (let n = 0; n < 4000; n++) {
      const symbol = symbols[Math.floor(next() * symbols.length)]!;
      const length = 3 + Math.floor(next() * 8);
      let text = next() < 0.5 ? "x " : "";
      for (let k = 0; k < length; k++) text += letters[Math.floor(next() * letters.length)]! + (k < length - 1 ? (next() < 0.8 ? symbol : " ") : "");
      const folded = prepareText(text).folded;
      for (const rule of odd) {
        if (!rule.regex.test(folded)) continue;
        matched++;
        expect(TEXT_FEATURES["@symbol-joined-letters"](folded), `${rule.id} on ${JSON.stringify(folded)}`).toBe(true);
      }
    }
    expect(matched).toBeGreaterThan(300);
  });

  it("rejects an unknown feature at load, naming the known ones", () => {
    const pack = { id: "xx.f", version: "1.0.0", language: "any", license: "MIT", description: "test", rules: [{ id: "xx.f.r", title: "t", category: "repetition", severity: "low" as const, pattern: "a", keywords: ["@tripled-words"], examples: { match: ["a", "aa"], noMatch: ["b", "c"] } }] };
    expect(() => loadRulePacks({ builtins: "none", packs: [pack] })).toThrow(RulePackError);
    expect(() => loadRulePacks({ builtins: "none", packs: [pack] })).toThrow(/unknown text feature "@tripled-words".*@doubled-words/);
  });
});

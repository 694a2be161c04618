// requiredLiterals: per-construct cases, soundness on every built-in rule's examples, and a fuzz over random regexes.
import { describe, expect, it } from "vitest";
import { loadRulePacks } from "../../src/index.js";
import { requiredLiterals, requiredPrefixes } from "../../src/rules/prefilter.js";
import { KeywordHits } from "../../src/rules/keyword-index.js";
import { firstMatch } from "../../src/rules/run.js";
import { decodePayloads } from "../../src/text/decode.js";
import { prepareText } from "../../src/text/normalize.js";
import { buildViews } from "../../src/text/views.js";

const lit = (source: string, flags = "iu"): string[][] => requiredLiterals(source, flags);

/** Matches of `regex` in `text` that start with none of `prefixes` (none is the soundness property). */
function badStarts(prefixes: readonly string[] | null, regex: RegExp, text: string): string[] {
  if (prefixes === null) return [];
  const g = new RegExp(regex.source, `${regex.flags.replace(/[gy]/g, "")}g`);
  return [...text.matchAll(g)].filter((m) => !prefixes.some((p) => text.startsWith(p, m.index))).map((m) => `${JSON.stringify(m[0])} at ${m.index} starts with none of ${JSON.stringify(prefixes)}`);
}

/** The clauses that some match of `regex` in `text` violates (none is the soundness property). */
function violations(clauses: string[][], regex: RegExp, text: string): string[] {
  const out: string[] = [];
  const g = new RegExp(regex.source, `${regex.flags.replace(/[gy]/g, "")}g`);
  for (const m of text.matchAll(g)) {
    for (const clause of clauses) if (!clause.some((s) => m[0].includes(s))) out.push(`${JSON.stringify(m[0])} lacks all of ${JSON.stringify(clause)}`);
  }
  return out;
}

describe("requiredLiterals: constructs", () => {
  it("takes literals and concatenates exact sets", () => {
    expect(lit("ignore previous")).toEqual([["ignore previous"]]);
    expect(lit("ignor(?:e|ing) all")).toEqual([["ignore all", "ignoring all"]]);
    expect(lit("ab")).toEqual([]);
  });

  it("lower-cases with i and keeps the case without it", () => {
    expect(lit("IGNORE", "iu")).toEqual([["ignore"]]);
    expect(lit("IGNORE", "u")).toEqual([["IGNORE"]]);
  });

  it("splits at parts that match anything, keeping the most distinctive clauses", () => {
    expect(lit("ignore\\s+all\\s+previous\\s+instructions")).toEqual([["instructions"], ["previous"], ["ignore"], ["all"]]);
    expect(lit("a.b|c")).toEqual([]);
    expect(lit("you are now\\w+dan", "iu")).toEqual([["you are now"], ["dan"]]);
    expect(lit("[^x]yz[a-z]\\d\\D\\S\\w\\W\\p{L}\\P{L}foo", "u")).toEqual([["foo"]]);
  });

  it("treats optional parts as unknown, never as empty", () => {
    // "ignore all instructions" must still pass: {"ignore instructions"} would wrongly exclude it.
    expect(lit("ignore(?: all)? instructions")).toEqual([[" instructions"], ["ignore"]]);
    expect(lit("(?:foo)*bar")).toEqual([["bar"]]);
    expect(lit("(?:foo)+bar")).toEqual([["foo"], ["bar"]]);
    expect(lit("(?:foo){2,5}?bar")).toEqual([["foo"], ["bar"]]);
    expect(lit("(?:foo){1}bar")).toEqual([["foobar"]]);
    expect(lit("(?:foo){0}bar")).toEqual([["bar"]]);
  });

  it("ORs alternatives: exact unions while small, else one clause of each branch's best clause", () => {
    expect(lit("(?:disregard|forget) the rules")).toEqual([["disregard the rules", "forget the rules"]]);
    expect(lit("forget\\s+rules|disregard\\s+(?:all|any)\\s+instructions")).toEqual([["forget", "instructions"]]);
    expect(lit("forget\\s+rules|x")).toEqual([]);
    // 81 strings is too many: the first 27 become a clause, the last class is too short for one.
    expect(lit("(?:a|b|c)(?:d|e|f)(?:g|h|i)(?:j|k|l)")[0]).toHaveLength(27);
  });

  it("treats anchors, word boundaries and lookarounds as empty", () => {
    expect(lit("^\\bfoo\\B(?=bar)(?!baz)(?<=o)(?<!x)qux$")).toEqual([["fooqux"]]);
    expect(lit("(?<=ignore )previous", "imu")).toEqual([["previous"]]);
  });

  it("reads small classes and escapes as exact sets", () => {
    expect(lit("don[\u2019']t obey")).toEqual([["don't obey", "don\u2019t obey"]]);
    expect(lit("\\x41\\u0042\\u{43}\\.\\-\\/", "u")).toEqual([["ABC.-/"]]);
    expect(lit("[a-c]xyz", "u")).toEqual([["axyz", "bxyz", "cxyz"]]);
    expect(lit("[\\-\\]\\b]xyz", "u")).toEqual([["\bxyz", "-xyz", "]xyz"]]);
    expect(lit("\\n\\t\\r\\f\\v\\0\\cJ", "u")).toEqual([["\n\t\r\f\v\0\n"]]);
    expect(lit("[]foo", "u")).toEqual([]);
  });

  it("reads \\s as the only whitespace folded text holds: a space or a line break", () => {
    expect(lit("ig\\snore", "u")).toEqual([["ig\nnore", "ig nore"]]);
    expect(lit("[\\s,]xyz", "u")).toEqual([["\nxyz", " xyz", ",xyz"]]);
    expect(lit("ig\\s+nore", "u")).toEqual([["nore"]]);
  });

  it("treats backreferences as unknown", () => {
    expect(lit("(foo)\\1bar", "u")).toEqual([["foo"], ["bar"]]);
    expect(lit("(?<w>foo)\\k<w>bar", "u")).toEqual([["foo"], ["bar"]]);
  });

  it("handles astral characters as code points", () => {
    expect(lit("\\u{1F600}\\uD83D\\uDE00\u{1F600}", "u")).toEqual([["\u{1F600}\u{1F600}\u{1F600}"]]);
    expect(lit("[\u{1F600}\u{1F601}]ab", "u")).toEqual([["\u{1F600}ab", "\u{1F601}ab"]]);
  });

  it("keeps two-character CJK strings but not two-letter words", () => {
    expect(lit("\u5ffd\u7565|\u65e0\u89c6", "u")).toEqual([["\u5ffd\u7565", "\u65e0\u89c6"]]);
    expect(lit("is|it", "u")).toEqual([]);
  });

  it("adds the lower-case letters that case-insensitive matching equates", () => {
    // U+1C80 is a lower-case variant of Cyrillic ve that /\u0432/iu matches.
    expect(lit("\u0432\u0430\u043c", "iu")).toEqual([["\u0432\u0430\u043c", "\u1c80\u0430\u043c"]]);
    expect(lit("\u0432\u0430\u043c", "u")).toEqual([["\u0432\u0430\u043c"]]);
  });

  it("cuts long strings and drops implied clauses", () => {
    expect(lit("abcdefghijklmnopqrstuvwxyz", "u")).toEqual([["abcdefghijklmnopqrst"]]);
    expect(lit("(?:foo|bar)\\S(?:foo|bar|baz)", "u")).toEqual([["bar", "foo"]]);
  });

  it("returns nothing for what it cannot read", () => {
    expect(lit("foo(", "u")).toEqual([]);
    expect(lit("foo", "")).toEqual([]);
    expect(lit("foo", "v")).toEqual([]);
  });
});

describe("requiredPrefixes", () => {
  const pre = (source: string, flags = "iu"): string[] | null => requiredPrefixes(source, flags);

  it("cuts a union of more than 64 start strings to their shared beginnings instead of giving up", () => {
    // 100 words from 20 three-letter stems: too many start strings whole, few once cut to the stems.
    const words = Array.from({ length: 100 }, (_, i) => `${"abcdefghij"[i % 10]}${"kl"[Math.floor(i / 10) % 2]}q${Math.floor(i / 20)}x${i}word`);
    const got = pre(`\\b(?:${words.join("|")})\\s+now`)!;
    expect(got).not.toBeNull();
    expect(got.length).toBeLessThanOrEqual(64);
    for (const w of words) expect(got.some((p) => w.startsWith(p)), w).toBe(true);
    expect(Math.min(...got.map((p) => p.length))).toBeGreaterThanOrEqual(3);
  });

  it("gives the strings every match starts with, through assertions and optional parts", () => {
    expect(pre("\\b(?<!not )(?:please\\s+)?(?:ignore|disregard)\\b")).toEqual(["disregard", "ignore", "please\n", "please "]);
    expect(pre("ignore(?: all)? instructions")).toEqual(["ignore all", "ignore instr"]);
    expect(pre("(?:a|b)?c", "u")).toEqual(["a", "b", "c"]);
    expect(pre("[\\s,]+ab", "u")).toEqual(["\n", " ", ","]);
    expect(pre("(foo)\\1", "u")).toEqual(["foo"]);
  });

  it("keeps the shortest of strings that start one another", () => {
    expect(pre("ignore|ignoring|ign", "u")).toEqual(["ign"]);
    expect(pre("ig\\s*nore|ign", "u")).toEqual(["ig\n", "ig ", "ign"]);
  });

  it("knows nothing when a match can be empty or start anywhere", () => {
    expect(pre("x*", "u")).toBeNull();
    expect(pre("foo|", "u")).toBeNull();
    expect(pre(".foo", "u")).toBeNull();
    expect(pre("\\w+ is", "u")).toBeNull();
    expect(pre("(?:foo|\\d)bar", "u")).toBeNull();
    expect(pre("foo", "")).toBeNull();
  });
});

describe("requiredLiterals: case folding", () => {
  /** Characters that case mapping or folding touches (the only ones with case variants). */
  const cased: string[] = [];
  for (let cp = 0; cp < 0x20000; cp++) {
    const c = String.fromCodePoint(cp);
    if (/[\p{CWCM}\p{CWCF}]/u.test(c)) cased.push(c);
  }
  /** Characters folded text can hold: lower case and NFKC-stable. */
  const folded = cased.filter((c) => c.toLowerCase() === c && c.normalize("NFKC") === c);
  const haystack = folded.join("\n");

  it("knows every lower-case character that /c/iu matches, for every cased c", () => {
    const bad: string[] = [];
    for (const c of cased) {
      const source = c.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&").repeat(3);
      const regex = new RegExp(source, "iu");
      for (const x of new Set(haystack.match(new RegExp(source.slice(0, source.length / 3), "giu")) ?? [])) {
        bad.push(...violations(lit(source), regex, x.repeat(3)));
      }
    }
    expect(bad).toEqual([]);
  });
});

describe("requiredLiterals: soundness", () => {
  let loaded: ReturnType<typeof loadRulePacks> | undefined;
  const builtins = (): ReturnType<typeof loadRulePacks> => (loaded ??= loadRulePacks());

  it("derives clauses for most built-in rules", () => {
    const rules = builtins();
    const withClauses = rules.rules.filter((r) => requiredLiterals(r.regex.source, r.regex.flags).length > 0);
    expect(withClauses.length / rules.rules.length).toBeGreaterThan(0.7);
  });

  it("holds on every match of every built-in rule's match examples, in every view", () => {
    const rules = builtins();
    const bad: string[] = [];
    let matched = 0;
    for (const rule of rules.rules) {
      const clauses = requiredLiterals(rule.regex.source, rule.regex.flags);
      const prefixes = requiredPrefixes(rule.regex.source, rule.regex.flags);
      for (const example of rule.source.examples.match) {
        const text = typeof example === "string" ? example : example.text;
        const prepared = prepareText(text);
        for (const view of buildViews(prepared, decodePayloads(prepared))) {
          if (rule.regex.test(view.text)) matched++;
          bad.push(...violations(clauses, rule.regex, view.text).map((v) => `${rule.id}: ${v}`));
          bad.push(...badStarts(prefixes, rule.regex, view.text).map((v) => `${rule.id}: ${v}`));
        }
      }
    }
    expect(bad).toEqual([]);
    expect(matched).toBeGreaterThan(rules.rules.length);
  });

  it("anchors most built-in rules, and an anchored run finds what a search finds", () => {
    const rules = builtins();
    expect(rules.rules.filter((r) => r.anchors !== null).length / rules.rules.length).toBeGreaterThan(0.5);
    const bad: string[] = [];
    let compared = 0;
    for (const rule of rules.rules) {
      const examples = [...rule.source.examples.match, ...rule.source.examples.noMatch].map((e) => (typeof e === "string" ? e : e.text));
      for (const text of [examples.join("\n"), ...examples]) {
        const prepared = prepareText(text);
        for (const view of buildViews(prepared, decodePayloads(prepared))) {
          const places = rules.locate(view.text, new KeywordHits(rules.keywords.size));
          const expected = rule.regex.exec(view.text);
          const got = firstMatch(rule, view.text, places);
          compared++;
          if (got?.index !== expected?.index || got?.[0] !== expected?.[0]) bad.push(`${rule.id} on ${JSON.stringify(view.text.slice(0, 60))}: ${got?.index} vs ${expected?.index}`);
        }
      }
    }
    expect(bad).toEqual([]);
    expect(compared).toBeGreaterThan(rules.rules.length * 4);
  });

  it("still finds every built-in rule on its own match examples", () => {
    const rules = builtins();
    for (const rule of rules.rules) {
      const text = rule.source.examples.match.map((e) => (typeof e === "string" ? e : e.text)).join("\n");
      const prepared = prepareText(text);
      const views = buildViews(prepared, decodePayloads(prepared));
      const found = new KeywordHits(rules.keywords.size);
      for (const view of views) rules.keywords.scan(view.text, found);
      if (views.some((v) => rule.regex.test(v.text))) expect(rules.candidates(found), rule.id).toContain(rule);
    }
  });
});

describe("requiredLiterals: fuzz", () => {
  /** A tiny regex generator: each node gives its source and a random string it matches. */
  interface Gen {
    readonly source: string;
    sample(): string;
  }
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor((seed / 2147483648) * n);
  };
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
  const ALPHABET = ["a", "b", "e", "o", "s", "t", "\u0432", "\u1c80", "\u0441", "\u03c3", "\u03c2", "\u5ffd", "\u{1F600}", " ", "'", "-", "."];
  const escape = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
  const literal = (): Gen => {
    const c = pick(ALPHABET);
    const cp = c.codePointAt(0)!;
    const source = pick([escape(c), escape(c.toUpperCase()), cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, "0")}`]);
    return { source, sample: () => c };
  };
  const node = (depth: number): Gen => {
    const k = depth > 3 ? rand(2) : rand(10);
    if (k <= 1) {
      const word = Array.from({ length: 1 + rand(4) }, literal);
      return { source: word.map((w) => w.source).join(""), sample: () => word.map((w) => w.sample()).join("") };
    }
    if (k === 2) {
      const chars = Array.from({ length: 1 + rand(3) }, () => pick(ALPHABET));
      const negated = rand(4) === 0;
      return negated
        ? { source: `[^${chars.map(escape).join("")}]`, sample: () => "z" }
        : { source: `[${chars.map(escape).join("")}]`, sample: () => pick(chars) };
    }
    if (k === 3) {
      const parts = Array.from({ length: 2 + rand(3) }, () => node(depth + 1));
      return { source: `(?:${parts.map((p) => p.source).join("|")})`, sample: () => pick(parts).sample() };
    }
    if (k === 4) {
      const parts = Array.from({ length: 2 + rand(3) }, () => node(depth + 1));
      return { source: parts.map((p) => p.source).join(""), sample: () => parts.map((p) => p.sample()).join("") };
    }
    if (k === 5) {
      const child = node(depth + 1);
      const [min, max, q] = pick([[0, 1, "?"], [0, 3, "*"], [1, 3, "+"], [2, 2, "{2}"], [1, 3, "{1,3}"], [0, 2, "{0,2}?"], [2, 4, "{2,}"], [0, 0, "{0}"]] as const);
      return { source: `(?:${child.source})${q}`, sample: () => Array.from({ length: min + rand(max - min + 1) }, () => child.sample()).join("") };
    }
    if (k === 6) {
      const child = node(depth + 1);
      const kind = pick(["?=", "?!", "?<=", "?<!"]);
      return { source: `(${kind}${child.source})`, sample: () => (kind.endsWith("=") ? child.sample() : "") };
    }
    if (k === 7) return pick([{ source: "\\b", sample: () => "" }, { source: "^", sample: () => "" }, { source: ".", sample: () => pick(ALPHABET) }, { source: "\\s+", sample: () => " " }, { source: "\\w", sample: () => "q" }]);
    if (k === 8) {
      const child = node(depth + 1);
      return { source: `(${child.source})\\1`, sample: () => { const s = child.sample(); return s + s; } };
    }
    const child = node(depth + 1);
    return { source: `(?<n${depth}>${child.source})`, sample: () => child.sample() };
  };

  it("never excludes a match of a random regex on random matching text", () => {
    const bad: string[] = [];
    let matches = 0;
    for (let n = 0; n < 3000; n++) {
      const gen = node(0);
      const flags = pick(["u", "iu", "isu", "imu"]);
      let regex: RegExp;
      try {
        regex = new RegExp(gen.source, flags);
      } catch {
        continue;
      }
      const clauses = requiredLiterals(gen.source, flags);
      const prefixes = requiredPrefixes(gen.source, flags);
      for (let k = 0; k < 8; k++) {
        const text = `${pick(["", "x ", "ab"])}${gen.sample()}${pick(["", " y", "ba"])}`.normalize("NFKC").toLowerCase();
        if (regex.test(text)) matches++;
        bad.push(...violations(clauses, regex, text).map((v) => `/${gen.source}/${flags}: ${v}`));
        bad.push(...badStarts(prefixes, regex, text).map((v) => `/${gen.source}/${flags}: ${v}`));
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
    expect(matches).toBeGreaterThan(5000);
  });
});

// Loads rule packs: validate, check versions and ids, compile patterns, index keywords.
import { readFileSync } from "node:fs";
import { RulePackError } from "../errors.js";
import type { Severity } from "../types.js";
import { isFeatureKeyword, type TextFeature } from "../text/features.js";
import { VERSION } from "../version.js";
import { BUILTIN_PACKS } from "./builtin-packs.js";
import { compilePattern } from "./compile.js";
import { entryFound, KeywordHits, KeywordIndex, keywordAlternatives } from "./keyword-index.js";
import { analyzePattern } from "./prefilter.js";
import type { AnchorPlaces } from "./run.js";
import { satisfies } from "./semver.js";
import { validateRulePack, type Rule, type RulePack } from "./schema.js";

/** A rule ready to run. */
export interface CompiledRule {
  readonly id: string;
  readonly packId: string;
  readonly title: string;
  readonly category: string;
  readonly severity: Severity;
  readonly regex: RegExp;
  /**
   * For each keyword entry, the ids of its alternatives in the set's keyword index: first the
   * clauses derived from the pattern ({@link requiredLiterals}), then the author's keywords. A rule
   * runs when every entry has an alternative in the text; empty: always runs.
   */
  readonly keywordEntries: readonly (readonly number[])[];
  /** @internal How many of {@link keywordEntries} come first from the pattern: those hold for every match, in each view. */
  readonly derivedEntries: number;
  /** @internal Text features (`"@doubled-words"`) the rule's keywords require; checked per text before the rule runs. */
  readonly features: readonly TextFeature[];
  /**
   * @internal Keyword ids of the strings every match starts with ({@link requiredPrefixes}), or null.
   * Such a rule is tried only where one of them occurs.
   */
  readonly anchors: readonly number[] | null;
  /**
   * @internal What the checks run: the pattern with the sticky flag when anchored, else with the
   * global flag. One compiled form per rule: V8 stops optimising regexps once a process holds about
   * 16 MB of executable code, so copies would slow every rule down (see {@link RuleSet.compile}).
   */
  readonly matcher: RegExp;
  readonly source: Rule;
}

/** Languages of the built-in packs (`any` holds the language-independent ones). */
export const BUILTIN_LANGUAGES = ["en", "fr", "zh", "ja", "es", "de", "it", "pt", "ru", "ko"] as const;

/** Options of {@link loadRulePacks}. */
export interface LoadRulePacksOptions {
  /**
   * Built-in packs to load: `"all"`, `"none"`, or a list of languages (the language-independent
   * packs, language `any`, come with any list).
   * @default "all"
   */
  readonly builtins?: "all" | "none" | readonly string[];
  /** Third-party packs: objects, or paths of JSON files. */
  readonly packs?: readonly (RulePack | string)[];
  /** Rule ids (or id prefixes ending in `.`) to leave out, e.g. `["en.role-play."]`. */
  readonly disable?: readonly string[];
}

/** Compiled rules plus the keyword index that picks which ones run. Create with {@link loadRulePacks}. */
export class RuleSet {
  /** The packs loaded, with their versions. */
  readonly packs: readonly { readonly id: string; readonly version: string; readonly language: string; readonly rules: number }[];
  /** The compiled rules. */
  readonly rules: readonly CompiledRule[];
  /** @internal */
  readonly keywords: KeywordIndex;
  /** @internal Rules without keyword entries (neither the author's nor derived ones): they run on every text. */
  readonly unfiltered: readonly CompiledRule[];
  /** For each keyword alternative id, the indexes (in {@link rules}) of the rules whose first entry holds it. */
  private readonly byKeyword: readonly Int32Array[];
  /** Per rule, the number of the last {@link candidates} call that looked at it. */
  private readonly visited: Uint32Array;
  private visits = 0;
  /** 1 for the keyword ids that anchor a rule: {@link locate} reports where they occur. */
  private readonly anchorIds: Uint8Array;
  /** @internal A scratch {@link KeywordHits} for synchronous use; clear it after use. */
  readonly scratch: KeywordHits;
  private compiled = false;

  /** @internal Use {@link loadRulePacks}. */
  constructor(packs: readonly RulePack[], disable: readonly string[] = []) {
    const alternatives = new Map<string, number>();
    const seen = new Map<string, string>();
    const rules: CompiledRule[] = [];
    const off = (id: string): boolean => disable.some((d) => (d.endsWith(".") ? id.startsWith(d) : id === d));
    for (const pack of packs) {
      if (pack.requires !== undefined) {
        const ok = satisfies(VERSION, pack.requires);
        if (ok === null) throw new RulePackError("RULE_PACK_INVALID", `pack "${pack.id}" (/requires): cannot parse the range ${JSON.stringify(pack.requires)}; write e.g. ">=0.1.0"`, { packId: pack.id, pointer: "/requires" });
        if (!ok) throw new RulePackError("RULE_PACK_INCOMPATIBLE", `pack "${pack.id}" requires promptward ${pack.requires}, but this is ${VERSION}; upgrade promptward or use a pack version made for it`, { packId: pack.id, pointer: "/requires" });
      }
      pack.rules.forEach((rule, index) => {
        const pointer = `/rules/${index}`;
        const previous = seen.get(rule.id);
        if (previous !== undefined) throw new RulePackError("RULE_ID_DUPLICATE", `rule "${rule.id}" (${pointer}) in pack "${pack.id}": the id is already used in pack "${previous}"; rule ids must be unique across packs`, { packId: pack.id, ruleId: rule.id, pointer: `${pointer}/id` });
        seen.set(rule.id, pack.id);
        if (off(rule.id)) return;
        let regex: RegExp;
        try {
          regex = compilePattern(rule.pattern, rule.flags);
        } catch (e) {
          throw new RulePackError("RULE_PATTERN_INVALID", `rule "${rule.id}" (${pointer}/pattern) in pack "${pack.id}": ${(e as Error).message}; check the escaping (in JSON, a regex backslash is written "\\\\")`, { packId: pack.id, ruleId: rule.id, pointer: `${pointer}/pattern` }, { cause: e });
        }
        const idOf = (alt: string): number => {
          let id = alternatives.get(alt);
          if (id === undefined) alternatives.set(alt, (id = alternatives.size));
          return id;
        };
        const { literals: derived, prefixes } = analyzePattern(regex.source, regex.flags);
        // An author keyword entry with a short Latin alternative ("a", "he", " ") is in nearly every
        // text: it filters nothing and would only slow the scan down, so it is left out.
        const authored = (rule.keywords ?? []).filter((k) => !isFeatureKeyword(k)).map(keywordAlternatives).filter((entry) => !entry.some(isCommonString));
        const features = (rule.keywords ?? []).filter(isFeatureKeyword) as TextFeature[];
        const keywordEntries = [...derived, ...authored].map((entry) => entry.map(idOf));
        // Anchors too short to be rare ("a", "do") would only make many attempts: such rules are searched.
        const anchors = prefixes && !prefixes.some(isCommonString) ? prefixes.map(idOf) : null;
        const matcher = new RegExp(regex.source, `${regex.flags}${anchors ? "y" : "g"}`);
        rules.push({ id: rule.id, packId: pack.id, title: rule.title, category: rule.category, severity: rule.severity, regex, keywordEntries, derivedEntries: derived.length, features, anchors, matcher, source: rule });
      });
    }
    this.packs = packs.map((p) => ({ id: p.id, version: p.version, language: p.language, rules: p.rules.length }));
    this.rules = rules;
    this.keywords = new KeywordIndex([...alternatives.keys()]);
    this.unfiltered = rules.filter((r) => r.keywordEntries.length === 0);
    const byKeyword: number[][] = Array.from({ length: alternatives.size }, () => []);
    rules.forEach((rule, index) => {
      // A rule is indexed under the alternatives of its first entry; the other entries are checked per rule.
      const first = rule.keywordEntries[0];
      if (first) for (const id of new Set(first)) byKeyword[id]!.push(index);
    });
    this.byKeyword = byKeyword.map((list) => Int32Array.from(list));
    this.visited = new Uint32Array(rules.length);
    this.scratch = new KeywordHits(alternatives.size);
    this.anchorIds = new Uint8Array(alternatives.size);
    for (const rule of rules) for (const id of rule.anchors ?? []) this.anchorIds[id] = 1;
  }

  /**
   * Compiles every rule's matcher now (for Latin-1 and for other text), instead of on first use.
   * The order matters: V8 stops optimising regexps once a process holds about 16 MB of executable
   * code, so the rules that must search a whole text (not anchored) go first, and the anchored ones,
   * which are only tried at a few places, after. `createGuard` calls this once (about 0.5 s for the
   * built-in packs); afterwards the first requests are as fast as the rest.
   */
  compile(): this {
    if (this.compiled) return this;
    this.compiled = true;
    // V8 compiles to machine code at once only for texts of 1,000 characters or more.
    const latin = "warm up ".repeat(125);
    const samples = [latin, `${latin}\u4e2d`];
    for (const rule of [...this.rules.filter((r) => r.anchors === null), ...this.rules.filter((r) => r.anchors !== null)]) {
      for (const sample of samples) {
        rule.matcher.lastIndex = 0;
        rule.matcher.exec(sample);
      }
    }
    return this;
  }

  /**
   * @internal Scans `text` into `hits` (ORing in `bit`) and returns where the anchor keywords occur,
   * for `firstMatch` (src/rules/run.ts).
   */
  locate(text: string, hits: KeywordHits, bit = 1): AnchorPlaces {
    return this.keywords.scan(text, hits, bit, this.anchorIds);
  }

  /** Rules whose keyword entries all occur in the scanned texts. */
  candidates(hits: KeywordHits): CompiledRule[] {
    const { found, ids } = hits;
    const { rules, byKeyword, visited } = this;
    const out = [...this.unfiltered];
    // Each rule is judged once per call (the hits do not change meanwhile); its first entry holds by construction.
    const visit = (this.visits = (this.visits + 1) >>> 0 || 1);
    if (visit === 1) visited.fill(0);
    for (let k = 0; k < ids.length; k++) {
      const list = byKeyword[ids[k]!]!;
      for (let r = 0; r < list.length; r++) {
        const index = list[r]!;
        if (visited[index] === visit) continue;
        visited[index] = visit;
        const rule = rules[index]!;
        if (allEntriesFound(rule.keywordEntries, found)) out.push(rule);
      }
    }
    return out;
  }
}

/** Whether one alternative of every keyword entry after the first was found. */
function allEntriesFound(entries: readonly (readonly number[])[], found: Uint32Array): boolean {
  for (let e = 1; e < entries.length; e++) if (!entryFound(entries[e]!, found, ~0)) return false;
  return true;
}

/**
 * Shorter than 3 UTF-16 units, of digits, spaces, common punctuation and the letters of everyday
 * alphabets (Latin with the accents of European languages, Greek, Cyrillic, Armenian, Hebrew, Arabic,
 * the Indic scripts, Thai): in almost any text of some language. CJK characters, and rare letters
 * such as the turned letters of upside-down text (U+0250 and up) or small capitals, are distinctive
 * even alone.
 */
function isCommonString(s: string): boolean {
  return s.length < 3 && COMMON_CHARS.test(s);
}
const COMMON_CHARS = /^(?:[\p{N}\s.,;:!?'"()-]|[a-z\u00c0-\u017f]|(?=[\u0370-\u0e7f])\p{L})+$/iu;

/**
 * Loads, validates and compiles rule packs, once (at `createGuard`).
 * @example const rules = loadRulePacks({ builtins: ["en", "fr"], packs: ["./my-pack.json"] });
 * @throws {RulePackError} naming the pack, rule and JSON pointer of the first problem.
 */
export function loadRulePacks(options: LoadRulePacksOptions = {}): RuleSet {
  const builtins = options.builtins ?? "all";
  const packs: RulePack[] = [];
  if (builtins !== "none") {
    const wanted = builtins === "all" ? null : new Set([...builtins, "any"]);
    if (wanted) {
      for (const lang of builtins) {
        if (!(BUILTIN_LANGUAGES as readonly string[]).includes(lang) && lang !== "any") {
          throw new RulePackError("RULE_PACK_INVALID", `no built-in packs for language ${JSON.stringify(lang)}; built-in languages are ${BUILTIN_LANGUAGES.join(", ")}`, { packId: `builtin:${lang}` });
        }
      }
    }
    for (const raw of BUILTIN_PACKS) {
      const pack = validateRulePack(raw, "builtin");
      if (!wanted || wanted.has(pack.language)) packs.push(pack);
    }
  }
  for (const item of options.packs ?? []) packs.push(typeof item === "string" ? readPackFile(item) : validateRulePack(item));
  return new RuleSet(packs, options.disable);
}

/**
 * Reads and validates one pack file.
 * @throws {RulePackError} `RULE_PACK_UNREADABLE` when the file cannot be read or is not JSON.
 */
export function readPackFile(path: string): RulePack {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new RulePackError("RULE_PACK_UNREADABLE", `pack file ${JSON.stringify(path)} cannot be read: ${(e as Error).message}`, { packId: path }, { cause: e });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RulePackError("RULE_PACK_UNREADABLE", `pack file ${JSON.stringify(path)} is not valid JSON: ${(e as Error).message}`, { packId: path }, { cause: e });
  }
  return validateRulePack(raw, path);
}

let builtinDefault: RuleSet | undefined;
/** All built-in packs, compiled once per process on first use. */
export function defaultRuleSet(): RuleSet {
  return (builtinDefault ??= loadRulePacks().compile());
}

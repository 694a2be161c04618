// Rule pack types and hand-written validation (no schema library at run time).
import { RulePackError } from "../errors.js";
import { isFeatureKeyword, isTextFeature, TEXT_FEATURE_NAMES } from "../text/features.js";
import type { Severity } from "../types.js";
import { keywordAlternatives } from "./keyword-index.js";

/** An example in a rule: a text, or a text with the reason it is there. */
export type RuleExample = string | { readonly text: string; readonly why?: string };

/** One detection rule, as written in a pack file. */
export interface Rule {
  /** `<language>.<topic>.<slug>`, unique across all loaded packs. */
  readonly id: string;
  readonly title: string;
  /** e.g. `instruction_override`, `prompt_leak`, `role_play`. */
  readonly category: string;
  readonly severity: Severity;
  /**
   * A regular expression, matched against the folded text (lower case, NFKC, no Latin diacritics,
   * whitespace collapsed). Compiled with XRegExp, always in Unicode mode, so `\p{L}` works.
   */
  readonly pattern: string;
  /** Regex flags: any of `i m s u x n` (`x`: free spacing and `#` comments, `n`: only named groups capture). */
  readonly flags?: string;
  /**
   * Lower-case prefilter: the rule runs only when every entry occurs in the folded text. An entry may
   * list alternatives with `|` (`"instruction|rule"`). Every entry must occur in every `match` example.
   */
  readonly keywords?: readonly string[];
  readonly description?: string;
  readonly examples: { readonly match: readonly RuleExample[]; readonly noMatch: readonly RuleExample[] };
  readonly references?: readonly string[];
}

/** A rule pack: one JSON file per language and topic. */
export interface RulePack {
  readonly $schema?: string;
  /** `<language>.<topic>`, e.g. `de.instruction-override`. */
  readonly id: string;
  /** The pack's own semver. */
  readonly version: string;
  /** Range of promptward versions the pack targets, e.g. `>=0.1.0`. */
  readonly requires?: string;
  /** ISO 639-1 code, or `any` for language-independent packs. */
  readonly language: string;
  readonly license?: string;
  readonly description: string;
  readonly rules: readonly Rule[];
}

const SEVERITIES = new Set(["low", "medium", "high", "critical"]);
const PACK_KEYS = new Set(["$schema", "id", "version", "requires", "language", "license", "description", "rules"]);
const RULE_KEYS = new Set(["id", "title", "category", "severity", "pattern", "flags", "keywords", "description", "examples", "references"]);
const ID = /^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)+$/;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9a-z.-]+)?$/i;
const CATEGORY = /^[a-z][a-z0-9_]*$/;

/**
 * Checks the shape of a pack object and returns it typed.
 * @throws {RulePackError} `RULE_PACK_INVALID`, naming the pack, rule and JSON pointer.
 */
export function validateRulePack(raw: unknown, source = "<object>"): RulePack {
  const packId = isRecord(raw) && typeof raw.id === "string" ? raw.id : source;
  const fail = (pointer: string, problem: string, ruleId?: string): never => {
    const where = ruleId ? `rule "${ruleId}" (${pointer})` : `pack "${packId}" (${pointer || "/"})`;
    throw new RulePackError("RULE_PACK_INVALID", `${where}: ${problem}`, { packId, ruleId, pointer });
  };
  if (!isRecord(raw)) return fail("", `a rule pack must be a JSON object, got ${typeName(raw)}`);
  for (const key of Object.keys(raw)) if (!PACK_KEYS.has(key)) fail(`/${key}`, `unknown pack field "${key}"; allowed: ${[...PACK_KEYS].join(", ")}`);
  if (typeof raw.id !== "string" || !ID.test(raw.id)) fail("/id", `"id" must look like "<language>.<topic>" in lower case, got ${JSON.stringify(raw.id)}`);
  if (typeof raw.version !== "string" || !SEMVER.test(raw.version)) fail("/version", `"version" must be a semver such as "1.0.0", got ${JSON.stringify(raw.version)}`);
  if (raw.requires !== undefined && typeof raw.requires !== "string") fail("/requires", `"requires" must be a semver range string such as ">=0.1.0"`);
  if (typeof raw.language !== "string" || !/^(?:[a-z]{2,3}(?:-[a-z0-9]+)?|any)$/i.test(raw.language)) fail("/language", `"language" must be an ISO 639-1 code or "any", got ${JSON.stringify(raw.language)}`);
  if (typeof raw.description !== "string" || raw.description.length === 0) fail("/description", `"description" must be a non-empty string`);
  if (raw.license !== undefined && typeof raw.license !== "string") fail("/license", `"license" must be an SPDX identifier string`);
  if (!Array.isArray(raw.rules) || raw.rules.length === 0) fail("/rules", `"rules" must be a non-empty array`);
  (raw.rules as unknown[]).forEach((rule, index) => validateRule(rule, `/rules/${index}`, fail));
  return raw as unknown as RulePack;
}

function validateRule(rule: unknown, at: string, fail: (pointer: string, problem: string, ruleId?: string) => never): void {
  if (!isRecord(rule)) fail(at, `a rule must be an object, got ${typeName(rule)}`);
  const r = rule as Record<string, unknown>;
  const id = typeof r.id === "string" ? r.id : undefined;
  for (const key of Object.keys(r)) if (!RULE_KEYS.has(key)) fail(`${at}/${key}`, `unknown rule field "${key}"; allowed: ${[...RULE_KEYS].join(", ")}`, id);
  if (id === undefined || !ID.test(id)) fail(`${at}/id`, `"id" must look like "<language>.<topic>.<slug>" in lower case, got ${JSON.stringify(r.id)}`);
  if (typeof r.title !== "string" || r.title.length === 0) fail(`${at}/title`, `"title" must be a non-empty string`, id);
  if (typeof r.category !== "string" || !CATEGORY.test(r.category)) fail(`${at}/category`, `"category" must be snake_case such as "instruction_override", got ${JSON.stringify(r.category)}`, id);
  if (typeof r.severity !== "string" || !SEVERITIES.has(r.severity)) fail(`${at}/severity`, `"severity" must be one of low, medium, high, critical, got ${JSON.stringify(r.severity)}`, id);
  if (typeof r.pattern !== "string" || r.pattern.length === 0) fail(`${at}/pattern`, `"pattern" must be a non-empty string`, id);
  if (r.flags !== undefined && (typeof r.flags !== "string" || !/^[imsuxn]*$/.test(r.flags))) fail(`${at}/flags`, `"flags" may only contain i, m, s, u, x, n; got ${JSON.stringify(r.flags)}`, id);
  if (r.keywords !== undefined) {
    if (!Array.isArray(r.keywords)) fail(`${at}/keywords`, `"keywords" must be an array of lower-case strings`, id);
    (r.keywords as unknown[]).forEach((k, i) => {
      if (typeof k !== "string" || k.length === 0 || keywordAlternatives(k).some((alt) => alt.length === 0)) fail(`${at}/keywords/${i}`, `a keyword must be a non-empty string (alternatives separated by "|"), got ${JSON.stringify(k)}`, id);
      else if (k !== k.toLowerCase()) fail(`${at}/keywords/${i}`, `keywords are matched on folded (lower-case) text; write ${JSON.stringify(k.toLowerCase())}`, id);
      else if (isFeatureKeyword(k) && !isTextFeature(k)) fail(`${at}/keywords/${i}`, `unknown text feature ${JSON.stringify(k)}; keywords starting with "@" name one of ${TEXT_FEATURE_NAMES.join(", ")} (N from 2 to 1000)`, id);
    });
  }
  if (!isRecord(r.examples)) fail(`${at}/examples`, `"examples" must be an object with "match" and "noMatch" arrays`, id);
  const examples = r.examples as Record<string, unknown>;
  for (const kind of ["match", "noMatch"] as const) {
    const list = examples[kind];
    if (!Array.isArray(list)) fail(`${at}/examples/${kind}`, `"examples.${kind}" must be an array`, id);
    (list as unknown[]).forEach((ex, i) => {
      const ok = typeof ex === "string" ? ex.length > 0 : isRecord(ex) && typeof ex.text === "string" && ex.text.length > 0 && (ex.why === undefined || typeof ex.why === "string");
      if (!ok) fail(`${at}/examples/${kind}/${i}`, `an example must be a non-empty string or { "text": string, "why"?: string }`, id);
    });
  }
  if (r.references !== undefined && (!Array.isArray(r.references) || r.references.some((x) => typeof x !== "string"))) fail(`${at}/references`, `"references" must be an array of URLs`, id);
  if (r.description !== undefined && typeof r.description !== "string") fail(`${at}/description`, `"description" must be a string`, id);
}

/** The text of an example. */
export function exampleText(example: RuleExample): string {
  return typeof example === "string" ? example : example.text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

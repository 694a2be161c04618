// verifyRulePack: checks a pack the way the library will use it (schema, ids, examples, keywords, time budget).
import { isPromptSecurityError } from "../errors.js";
import { matchRules } from "../checks/patterns.js";
import { decodePayloads } from "../text/decode.js";
import { textFeature } from "../text/features.js";
import { prepareText } from "../text/normalize.js";
import { buildViews, type MatchView } from "../text/views.js";
import { RuleSet } from "./load.js";
import { exampleText, validateRulePack, type RulePack } from "./schema.js";
import { keywordAlternatives } from "./keyword-index.js";

/** One problem found in a pack. */
export interface VerifyProblem {
  readonly ruleId?: string;
  /** JSON pointer into the pack, e.g. `/rules/3/examples/match/1`. */
  readonly pointer: string;
  readonly message: string;
}

/** How long a rule's pattern took on its worst generated adversarial input. */
export interface RuleTiming {
  readonly ruleId: string;
  readonly worstMs: number;
  /** What the worst input was, e.g. `whitespace flood (20000 chars)`. */
  readonly input: string;
}

/** What {@link verifyRulePack} returns: a plain object to assert on with any test runner. */
export interface VerifyReport {
  readonly packId: string;
  readonly ok: boolean;
  readonly rules: number;
  readonly problems: readonly VerifyProblem[];
  /** The slowest rules first (at most 5). */
  readonly slowest: readonly RuleTiming[];
}

/** Options of {@link verifyRulePack}. */
export interface VerifyOptions {
  /**
   * Longest a pattern may take on one generated adversarial input of `adversarialLength` characters.
   * Generous on purpose: catastrophic backtracking takes seconds, linear patterns well under a millisecond.
   * @default 100
   */
  readonly timeBudgetMs?: number;
  /** @default 20000 */
  readonly adversarialLength?: number;
  /** Fewest `match` and `noMatch` examples per rule. @default 2 */
  readonly minExamples?: number;
}

const UNSAFE_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\u{e0000}-\u{e007f}]/u;

/**
 * Verifies a rule pack: schema, unique ids, at least `minExamples` examples of each kind behaving as
 * declared after normalisation, keywords present in every `match` example (so the prefilter never
 * hides a true positive), NFC text without raw invisible characters, and each pattern within a
 * time budget on adversarial input.
 * @example expect(verifyRulePack(myPack).problems).toEqual([]);
 */
export function verifyRulePack(pack: unknown, options: VerifyOptions = {}): VerifyReport {
  const budget = options.timeBudgetMs ?? 100;
  const length = options.adversarialLength ?? 20_000;
  const minExamples = options.minExamples ?? 2;
  const problems: VerifyProblem[] = [];
  let valid: RulePack;
  let set: RuleSet;
  try {
    valid = validateRulePack(pack);
    set = new RuleSet([{ ...valid, requires: undefined } as unknown as RulePack]);
  } catch (e) {
    const packId = typeof (pack as { id?: unknown })?.id === "string" ? (pack as { id: string }).id : "<unknown>";
    if (!isPromptSecurityError(e)) throw e;
    const { ruleId, pointer } = e as { ruleId?: string; pointer?: string };
    return { packId, ok: false, rules: 0, problems: [{ ...(ruleId ? { ruleId } : {}), pointer: pointer ?? "", message: e.message }], slowest: [] };
  }
  const timings: RuleTiming[] = [];
  textProblems(valid, "", problems);
  valid.rules.forEach((rule, index) => {
    const at = `/rules/${index}`;
    const compiled = set.rules[index]!;
    const only = new RuleSet([{ ...valid, requires: undefined, rules: [rule] } as unknown as RulePack]);
    if (!rule.id.startsWith(`${valid.id}.`)) problems.push({ ruleId: rule.id, pointer: `${at}/id`, message: `rule id should start with the pack id "${valid.id}."` });
    for (const kind of ["match", "noMatch"] as const) {
      const list = rule.examples[kind];
      if (list.length < minExamples) problems.push({ ruleId: rule.id, pointer: `${at}/examples/${kind}`, message: `needs at least ${minExamples} "${kind}" examples, has ${list.length}` });
      list.forEach((example, i) => {
        const text = exampleText(example);
        const views = viewsOf(text, only);
        const matched = matchRules(views, only).length > 0;
        if (matched !== (kind === "match")) {
          problems.push({ ruleId: rule.id, pointer: `${at}/examples/${kind}/${i}`, message: `${kind === "match" ? "does not match" : "matches"} ${JSON.stringify(text.slice(0, 80))} (folded: ${JSON.stringify(views[0]!.text.slice(0, 80))})` });
        }
        if (kind === "match") {
          (rule.keywords ?? []).forEach((entry, k) => {
            const alternatives = keywordAlternatives(entry);
            const feature = textFeature(entry);
            const present = feature ? views.some((v) => feature(v.text)) : views.some((v) => alternatives.some((alt) => v.text.includes(alt)));
            if (!present) {
              const what = feature ? `text feature ${JSON.stringify(entry)} is absent from` : `keyword ${JSON.stringify(entry)} does not occur in`;
              problems.push({ ruleId: rule.id, pointer: `${at}/keywords/${k}`, message: `${what} match example ${i} (folded: ${JSON.stringify(views[0]!.text.slice(0, 80))}); the prefilter would hide it` });
            }
          });
        }
      });
    }
    const timing = timeRule(compiled.regex, rule.id, rule.examples.match.map(exampleText), rule.pattern, length, budget);
    timings.push(timing);
    if (timing.worstMs > budget) problems.push({ ruleId: rule.id, pointer: `${at}/pattern`, message: `took ${timing.worstMs.toFixed(1)} ms on ${timing.input}, over the ${budget} ms budget: look for nested or adjacent unbounded quantifiers` });
  });
  timings.sort((a, b) => b.worstMs - a.worstMs);
  return { packId: valid.id, ok: problems.length === 0, rules: valid.rules.length, problems, slowest: timings.slice(0, 5) };
}

function viewsOf(text: string, rules: RuleSet): MatchView[] {
  const prepared = prepareText(text);
  return buildViews(prepared, decodePayloads(prepared), rules.keywords);
}

function textProblems(value: unknown, pointer: string, problems: VerifyProblem[]): void {
  if (typeof value === "string") {
    if (value.normalize("NFC") !== value) problems.push({ pointer, message: "text is not in Unicode NFC" });
    if (UNSAFE_CHARS.test(value)) problems.push({ pointer, message: "invisible, bidi or control characters must be written as \\u escapes in patterns, not raw" });
  } else if (Array.isArray(value)) value.forEach((v, i) => textProblems(v, `${pointer}/${i}`, problems));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) textProblems(v, `${pointer}/${k}`, problems);
}

/** Runs the pattern on generated inputs that make backtracking patterns blow up. */
function timeRule(regex: RegExp, ruleId: string, examples: readonly string[], pattern: string, length: number, budgetMs: number): RuleTiming {
  const fragments = [...new Set((pattern.match(/\p{L}{2,}/gu) ?? []).slice(0, 8))];
  const first = examples[0] ? prepareText(examples[0]).folded : "ignore";
  const fill = (unit: string): string => (unit.length === 0 ? "" : unit.repeat(Math.ceil(length / unit.length)).slice(0, length));
  const inputs: [string, string][] = [
    ["whitespace flood", `a${fill(" ")}b`],
    ["repeated match example", fill(`${first} `)],
    ["repeated example without its last character", fill(first.slice(0, -1))],
    ["repeated pattern words", fill(`${fragments.join(" ")} `)],
    ["pattern words without spaces", fill(fragments.join(""))],
    ["repeated letter", fill("a")],
    ["punctuation flood", fill(".:-")],
  ];
  let worst: RuleTiming = { ruleId, worstMs: 0, input: "" };
  regex.exec(first); // the engine compiles a pattern on first use: keep that out of the timings
  for (const [name, input] of inputs) {
    // A slow run is repeated and the fastest kept: catastrophic backtracking is slow every time,
    // a busy machine only sometimes.
    let ms = Infinity;
    for (let run = 0; run < 3 && ms > budgetMs / 4; run++) {
      const start = performance.now();
      regex.exec(input);
      ms = Math.min(ms, performance.now() - start);
    }
    if (ms > worst.worstMs) worst = { ruleId, worstMs: ms, input: `${name} (${input.length} chars)` };
  }
  return worst;
}

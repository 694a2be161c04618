// Root entry: the three checks, createGuard, the rule loader, scoring, types and errors.
export { checkStructure } from "./checks/structure.js";
export type { StructureOptions } from "./checks/structure.js";
export { checkPatterns } from "./checks/patterns.js";
export type { PatternOptions } from "./checks/patterns.js";
export { checkBehavior } from "./checks/behavior.js";
export type { BehaviorInput, BehaviorOptions, CheckBehaviorOptions } from "./checks/behavior.js";
export { createGuard } from "./guard.js";
export type { CheckInput, Guard, GuardOptions, GuardPatternOptions, Logger, VerdictContext } from "./guard.js";
export { BUILTIN_LANGUAGES, loadRulePacks, RuleSet } from "./rules/load.js";
export type { CompiledRule, LoadRulePacksOptions } from "./rules/load.js";
export type { Rule, RuleExample, RulePack } from "./rules/schema.js";
export { DEFAULT_BLOCK_AT, DEFAULT_FLAG_AT, SEVERITY_SCORES, scoreFindings } from "./score.js";
export { ConfigError, isPromptSecurityError, PromptSecurityError, RulePackError, StoreError } from "./errors.js";
export type { ErrorCode } from "./errors.js";
export type { HistoryEntry, HistoryLimits, HistoryStore, MaybePromise } from "./stores/types.js";
export type { Action, Category, CheckName, CheckResult, Finding, Severity, Verdict } from "./types.js";
export { VERSION } from "./version.js";

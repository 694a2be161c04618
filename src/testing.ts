// Entry for rule-pack authors and test suites: verify a pack and assert on the plain report.
export { verifyRulePack } from "./rules/verify.js";
export type { RuleTiming, VerifyOptions, VerifyProblem, VerifyReport } from "./rules/verify.js";
export { validateRulePack } from "./rules/schema.js";

// Entry for rule-pack authors and store authors: verify a pack, and run the history-store contract.
export { verifyRulePack } from "./rules/verify.js";
export type { RuleTiming, VerifyOptions, VerifyProblem, VerifyReport } from "./rules/verify.js";
export { validateRulePack } from "./rules/schema.js";
export { describeHistoryStore } from "./stores/contract.js";
export type { HistoryStoreContext, HistoryStoreContractOptions } from "./stores/contract.js";

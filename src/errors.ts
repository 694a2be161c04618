// Error classes and stable error codes. Hostile prompts never throw; only bad configuration does.

/** Stable, public error codes. */
export type ErrorCode =
  | "OPTION_UNKNOWN"
  | "OPTION_INVALID"
  | "RULE_PACK_INVALID"
  | "RULE_PATTERN_INVALID"
  | "RULE_ID_DUPLICATE"
  | "RULE_PACK_UNREADABLE"
  | "RULE_PACK_INCOMPATIBLE"
  | "STORE_UNAVAILABLE"
  | (string & {});

/** Base class of every error this library throws. Check with {@link isPromptSecurityError}. */
export class PromptSecurityError extends Error {
  /** Stable SCREAMING_SNAKE code, e.g. `OPTION_UNKNOWN`. */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PromptSecurityError";
    this.code = code;
  }
}

/** Thrown by `createGuard` and the check functions for a bad option. */
export class ConfigError extends PromptSecurityError {
  /** Dotted option path, e.g. `history.maxEvents`. */
  readonly option: string;
  constructor(code: "OPTION_UNKNOWN" | "OPTION_INVALID", option: string, message: string) {
    super(code, message);
    this.name = "ConfigError";
    this.option = option;
  }
}

/** Thrown when a rule pack is malformed: names the pack, the rule and the JSON pointer. */
export class RulePackError extends PromptSecurityError {
  readonly packId: string;
  readonly ruleId?: string;
  readonly pointer?: string;
  constructor(
    code: ErrorCode,
    message: string,
    where: { packId: string; ruleId?: string | undefined; pointer?: string | undefined },
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = "RulePackError";
    this.packId = where.packId;
    if (where.ruleId !== undefined) this.ruleId = where.ruleId;
    if (where.pointer !== undefined) this.pointer = where.pointer;
  }
}

/** Wraps a failure of a history store (`cause` holds the original error). */
export class StoreError extends PromptSecurityError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("STORE_UNAVAILABLE", message, options);
    this.name = "StoreError";
  }
}

const ERROR_NAMES = new Set(["PromptSecurityError", "ConfigError", "RulePackError", "StoreError"]);

/**
 * True for any error thrown by this library, also across realms (matches `name` and `code`).
 * @example if (isPromptSecurityError(e) && e.code === "OPTION_UNKNOWN") ...
 */
export function isPromptSecurityError(e: unknown): e is PromptSecurityError {
  if (e instanceof PromptSecurityError) return true;
  if (typeof e !== "object" || e === null) return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return typeof name === "string" && ERROR_NAMES.has(name) && typeof code === "string";
}

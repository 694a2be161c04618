// Public result types shared by the three checks, the guard and the adapters.

/** How serious a finding is. Mapped to a score in one place: {@link SEVERITY_SCORES}. */
export type Severity = "low" | "medium" | "high" | "critical";

/**
 * What kind of attack a finding points at. Built-in rule packs use these;
 * third-party packs may use any other lower-case `snake_case` string.
 */
export type Category =
  | "instruction_override"
  | "prompt_leak"
  | "role_play"
  | "json_injection"
  | "html_injection"
  | "markdown_injection"
  | "repetition"
  | "obfuscation"
  | "encoding"
  | "input_size"
  | "fragmentation"
  | "flood"
  | "probing"
  | "availability"
  | (string & {});

/** Which check produced a finding. */
export type CheckName = "structure" | "patterns" | "behavior";

/** One thing a check saw, readable by a person. */
export interface Finding {
  /** The check that produced it. */
  readonly check: CheckName;
  /** Stable id, e.g. `structure.json.role-key` or `en.instruction-override.ignore-previous`. */
  readonly ruleId: string;
  /** Attack category, e.g. `instruction_override`. */
  readonly category: Category;
  readonly severity: Severity;
  /** Human-readable: says what was seen. Never contains more than a short excerpt of the prompt. */
  readonly message: string;
  /** UTF-16 offsets `[start, end)` into the original text (of the message it came from, in adapters). */
  readonly span?: readonly [start: number, end: number];
}

/** What every check returns. */
export interface CheckResult {
  readonly findings: readonly Finding[];
  /** 0..1, see {@link scoreFindings}. */
  readonly score: number;
}

/** What the guard decided. */
export type Action = "allow" | "flag" | "block";

/** The guard's answer for one prompt. A blocked prompt is a verdict, never an exception. */
export interface Verdict {
  /** What the caller should do. In `monitor` mode this is never `"block"`. */
  readonly action: Action;
  /** What enforce mode would have done (equals `action` outside monitor mode). */
  readonly intendedAction: Action;
  /** 0..1 aggregate of all findings. */
  readonly score: number;
  readonly findings: readonly Finding[];
  readonly mode: "enforce" | "monitor";
  /** Length of the original text in UTF-16 code units. */
  readonly textLength: number;
  /** Length of the folded (normalised) text the rules ran on. */
  readonly normalizedLength: number;
  /** Time spent in `check`, in microseconds. */
  readonly elapsedUs: number;
}

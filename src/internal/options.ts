// Option validation shared by every factory: unknown keys with "did you mean", and typed value checks.
import { ConfigError } from "../errors.js";

/** Copies `options` without the keys whose value is `undefined` (so `{ x: undefined }` means "default"). */
export function definedOnly<T extends object>(options: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  if (options === undefined) return out;
  for (const [k, v] of Object.entries(options)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * Throws `OPTION_UNKNOWN` for a key not in `known`, with the closest known key as a hint.
 * @param path prefix for nested options, e.g. `"history."`
 */
export function rejectUnknownKeys(options: object, known: Readonly<Record<string, true>>, path = ""): void {
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(known, key)) continue;
    const hint = didYouMean(key, Object.keys(known));
    throw new ConfigError("OPTION_UNKNOWN", `${path}${key}`, `unknown option "${path}${key}"${hint ? `; did you mean "${path}${hint}"?` : ""} Known options: ${Object.keys(known).join(", ")}`);
  }
}

/** The candidate closest to `word` (edit distance at most a third of its length, at least 2), or undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

function invalid(name: string, expected: string, value: unknown): never {
  throw new ConfigError("OPTION_INVALID", name, `"${name}" must be ${expected}, got ${describe(value)}`);
}

/** Short, safe description of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return "an array";
  if (value === null || typeof value !== "object") return String(value);
  return "an object";
}

/** A positive integer (`min` defaults to 1). */
export function positiveInteger(name: string, value: unknown, min = 1): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) invalid(name, min === 1 ? "a positive integer" : `an integer >= ${min}`, value);
  return value as number;
}

/** A finite number in `[min, max]`. */
export function numberInRange(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) invalid(name, `a number from ${min} to ${max}`, value);
  return value as number;
}

/** One of the listed strings. */
export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) invalid(name, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`, value);
  return value as T;
}

/** A function. */
export function functionOption<F>(name: string, value: unknown): F {
  if (typeof value !== "function") invalid(name, "a function", value);
  return value as F;
}

/** A plain object (for nested options). */
export function objectOption(name: string, value: unknown): object {
  if (typeof value !== "object" || value === null || Array.isArray(value)) invalid(name, "an object", value);
  return value as object;
}

/** `true`, `false` or an options object: how each check is switched on, off or configured. */
export function toggle(name: string, value: unknown): boolean | object {
  if (typeof value === "boolean") return value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) invalid(name, "true, false or an options object", value);
  return value as object;
}

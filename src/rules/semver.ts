// Just enough semver to check a pack's `requires` range: comparators, ^, ~, x-ranges, ||.

type Version = [number, number, number];

function parse(v: string): Version | null {
  const m = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?(?:-[0-9a-z.-]+)?$/i.exec(v.trim());
  if (!m) return null;
  const n = (s: string | undefined): number => (s === undefined || s === "x" || s === "*" ? -1 : Number(s));
  return [Number(m[1]), n(m[2]), n(m[3])];
}

function cmp(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i]! !== b[i]!) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

function fill(v: Version): Version {
  return [v[0], Math.max(v[1], 0), Math.max(v[2], 0)];
}

function satisfiesOne(version: Version, comparator: string): boolean | null {
  const m = /^(\^|~|>=|<=|>|<|=)?\s*(.+)$/.exec(comparator);
  if (!m) return null;
  const op = m[1] ?? "";
  if (m[2] === "*" || m[2] === "x") return true;
  const raw = parse(m[2]!);
  if (!raw) return null;
  const target = fill(raw);
  const c = cmp(version, target);
  switch (op) {
    case ">=": return c >= 0;
    case "<=": return c <= 0;
    case ">": return c > 0;
    case "<": return c < 0;
    case "^": {
      if (c < 0) return false;
      if (target[0] > 0) return version[0] === target[0];
      if (target[1] > 0 || raw[1] < 0) return version[0] === 0 && (raw[1] < 0 || version[1] === target[1]);
      return version[0] === 0 && version[1] === 0 && version[2] === target[2];
    }
    case "~": return c >= 0 && version[0] === target[0] && (raw[1] < 0 || version[1] === target[1]);
    default:
      // "1.2.x", "1.x", "=1.2.3" or "1.2.3"
      return version[0] === raw[0] && (raw[1] < 0 || version[1] === raw[1]) && (raw[2] < 0 || version[2] === raw[2]);
  }
}

/**
 * True when `version` satisfies `range`; `null` when the range cannot be parsed.
 * @example satisfies("0.4.1", ">=0.4.0 <1.0.0") // true
 */
export function satisfies(version: string, range: string): boolean | null {
  const v = parse(version);
  if (!v) return null;
  const current = fill(v);
  let any = false;
  for (const alternative of range.split("||")) {
    const comparators = alternative.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, "$1").split(/\s+/).filter(Boolean);
    let all = true;
    for (const c of comparators) {
      const ok = satisfiesOne(current, c);
      if (ok === null) return null;
      all &&= ok;
    }
    any ||= all;
  }
  return any;
}

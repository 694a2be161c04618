// Literal prefilter derived from a rule's regex (RE2-prefilter style): strings every match must contain.

/**
 * What is known about the strings a regex node matches: either `exact`, a small set holding every
 * string the node can match, or (`exact` null) `clauses`, a conjunction of disjunctions: every
 * match contains a string of each clause. No clauses and no exact set: nothing is known.
 */
interface Info {
  readonly exact: readonly string[] | null;
  readonly clauses: readonly (readonly string[])[];
  /**
   * Strings that every non-empty match starts with (`[""]`: unknown); for exact nodes, the exact set.
   * Used to anchor a rule: the engine then only tries the places where one of them occurs.
   */
  readonly prefix: readonly string[];
  /** Whether the node can match the empty string (for exact nodes: the set holds ""). */
  readonly nullable: boolean;
}

/** Most strings in an exact set. */
const MAX_EXACT = 32;
/** Longest string (UTF-16 units) kept in an exact set while concatenating. */
const MAX_EXACT_LENGTH = 40;
/** Most characters a class may have and still count as an exact set. */
const MAX_CLASS = 8;
/** Most strings in one clause. */
const MAX_CLAUSE = 64;
/** Most clauses returned per regex. */
const MAX_CLAUSES = 4;
/** Clause strings are cut to this many code points: a prefix of a required string is required too. */
const MAX_STRING = 20;

const ANY: Info = { exact: null, clauses: [], prefix: [""], nullable: true };
const EMPTY: Info = { exact: [""], clauses: [], prefix: [""], nullable: true };
/** Most strings in a prefix set. */
const MAX_PREFIXES = 64;
/** Prefix strings are cut to this many UTF-16 units: longer ones would add little and cost automaton states. */
const MAX_PREFIX_LENGTH = 12;

/** An exact node. */
function exactInfo(strings: readonly string[]): Info {
  return { exact: strings, clauses: [], prefix: strings, nullable: strings.includes("") };
}

/**
 * Lower-case letters that `u`+`i` matching treats as equal (simple case folding), by groups; all
 * other letters only pair with upper-case ones, which folded text never holds. Only the members
 * that survive NFKC can occur in folded text (U+017F folds to `s`). A test recomputes this table
 * from the runtime's Unicode data.
 */
const CASE_GROUPS: readonly string[] = [
  "s\u017f", "\u00b5\u03bc", "\u0345\u03b9\u1fbe", "\u0390\u1fd3", "\u03b0\u1fe3", "\u03b2\u03d0",
  "\u03b5\u03f5", "\u03b8\u03d1", "\u03ba\u03f0", "\u03c0\u03d6", "\u03c1\u03f1", "\u03c2\u03c3",
  "\u03c6\u03d5", "\u0432\u1c80", "\u0434\u1c81", "\u043e\u1c82", "\u0441\u1c83", "\u0442\u1c84\u1c85",
  "\u044a\u1c86", "\u0463\u1c87", "\u1c88\ua64b", "\u1e61\u1e9b", "\ufb05\ufb06",
];
/** For each member of a group, the group's NFKC-stable members (none: the letter itself). */
const CASE_VARIANTS = new Map<string, string[]>();
for (const group of CASE_GROUPS) {
  const stable = [...group].filter((c) => c.normalize("NFKC") === c);
  for (const c of group) CASE_VARIANTS.set(c, stable.length > 0 ? stable : [c]);
}

/**
 * Strings that every match of a regex contains, as a conjunction of disjunctions: each clause is a
 * list of strings, and any match (`m[0]`) of `source` on folded input (lower case, NFKC) contains
 * at least one string of every clause. Returns `[]` when nothing useful is known (or the source
 * cannot be parsed). Case-insensitive patterns give lower-case strings; without `i`, literals are
 * kept as written.
 * @param source `RegExp.prototype.source` of a `u`-mode regex.
 * @param flags its flags; without `u` (or with `v`) nothing is derived.
 * @example requiredLiterals("ignor(?:e|ing)\\s+(?:all\\s+)?previous", "iu") // [["previous"], ["ignore", "ignoring"]]
 */
export function requiredLiterals(source: string, flags: string): string[][] {
  return analyzePattern(source, flags).literals;
}

/**
 * Strings that every match of a regex starts with, on folded input (as for {@link requiredLiterals}),
 * or null when there is no such set (a match could start with anything, or be empty). The engine
 * then tries the regex only where one of them occurs: with a sticky copy at each such place, which
 * finds the same first match as a search over the whole text.
 * @example requiredPrefixes("\\b(?:please\\s+)?(?:ignore|disregard)\\b", "iu") // ["disregard", "ignore", "please\n", "please "]
 */
export function requiredPrefixes(source: string, flags: string): string[] | null {
  return analyzePattern(source, flags).prefixes;
}

/** {@link requiredLiterals} and {@link requiredPrefixes} from one parse of the pattern. */
export function analyzePattern(source: string, flags: string): { literals: string[][]; prefixes: string[] | null } {
  if (!flags.includes("u") || flags.includes("v")) return { literals: [], prefixes: null };
  let info: Info;
  try {
    info = new Parser(source, flags.includes("i")).parse();
  } catch {
    return { literals: [], prefixes: null };
  }
  // A match that can be empty, or start with anything (""), gives no anchor.
  const prefixes = info.nullable ? [""] : minimalPrefixes((info.exact ?? info.prefix).map((s) => s.slice(0, MAX_PREFIX_LENGTH)));
  return { literals: finish(toClauses(info)), prefixes: prefixes[0] === "" ? null : [...prefixes] };
}

/** Whether a string is distinctive enough to be worth a lookup: 3 code points, or 2 CJK ones. */
function useful(s: string): boolean {
  if (s.length >= 6) return true;
  const cps = [...s];
  return cps.length >= 3 || (cps.length === 2 && cps.every((c) => c.codePointAt(0)! >= 0x2e80));
}

/** The clause an exact set gives, or null when one of its strings is not useful. */
function clauseOf(strings: readonly string[]): string[] | null {
  if (strings.length === 0 || !strings.every(useful)) return null;
  const cut = [...new Set(strings.map((s) => (s.length <= MAX_STRING ? s : [...s].slice(0, MAX_STRING).join(""))))];
  if (cut.length > 4 * MAX_CLAUSE) return null;
  // A string that contains another string of the clause adds nothing.
  const kept: string[] = [];
  for (const s of cut.sort((a, b) => a.length - b.length)) if (!kept.some((t) => s.includes(t))) kept.push(s);
  return kept.length <= MAX_CLAUSE ? kept.sort() : null;
}

function toClauses(info: Pick<Info, "exact" | "clauses">): (readonly string[])[] {
  if (info.exact === null) return [...info.clauses];
  const clause = clauseOf(info.exact);
  return clause ? [clause] : [];
}

/** Shortest string of a clause, in code points: longer means rarer. */
function score(clause: readonly string[]): number {
  return Math.min(...clause.map((s) => [...s].length));
}

/** Whether clause `a` being satisfied implies `b` is: each string of `a` contains one of `b`. */
function implies(a: readonly string[], b: readonly string[]): boolean {
  return a.every((s) => b.some((t) => s.includes(t)));
}

/** Drops implied clauses, keeps the most distinctive few. */
function finish(clauses: readonly (readonly string[])[]): string[][] {
  const sorted = [...clauses].sort((a, b) => score(b) - score(a) || a.length - b.length);
  const out: string[][] = [];
  sorted.forEach((c, i) => {
    const redundant = sorted.some((d, j) => j !== i && implies(d, c) && (!implies(c, d) || j < i));
    if (!redundant && out.length < MAX_CLAUSES) out.push([...c]);
  });
  return out;
}

/** The concatenations of `a` and `b`, or null when there would be too many or too long strings. */
function cross(a: readonly string[], b: readonly string[]): string[] | null {
  if (a.length * b.length > MAX_EXACT) return null;
  const out = new Set<string>();
  for (const x of a) {
    for (const y of b) {
      if (x.length + y.length > MAX_EXACT_LENGTH) return null;
      out.add(x + y);
    }
  }
  return [...out];
}

function concat(parts: readonly Info[]): Info {
  // Runs of single strings (plain literals) are joined first: the products below are then few.
  const items: Info[] = [];
  for (const part of parts) {
    const last = items[items.length - 1];
    if (part.exact?.length === 1 && last?.exact?.length === 1) items[items.length - 1] = exactInfo([last.exact[0]! + part.exact[0]!]);
    else items.push(part);
  }
  let run: readonly string[] = [""];
  let exact = true;
  const clauses: (readonly string[])[] = [];
  for (const item of items) {
    if (item.exact !== null) {
      const product = cross(run, item.exact);
      if (product) {
        run = product;
        continue;
      }
      clauses.push(...toClauses({ exact: run, clauses: [] }));
      run = item.exact;
    } else {
      clauses.push(...toClauses({ exact: run, clauses: [] }), ...item.clauses);
      run = [""];
    }
    exact = false;
  }
  if (exact) return exactInfo(run);
  clauses.push(...toClauses({ exact: run, clauses: [] }));
  return { exact: null, clauses, prefix: sequencePrefix(items), nullable: items.every((i) => i.nullable) };
}

/**
 * The prefix set of a sequence, from the right: an exact part is crossed with what follows it; a
 * non-exact part gives its own prefixes, plus what follows when it can be empty.
 */
function sequencePrefix(items: readonly Info[]): readonly string[] {
  let after: readonly string[] = [""];
  for (let k = items.length - 1; k >= 0; k--) {
    const item = items[k]!;
    if (item.exact !== null) after = crossPrefixes(item.exact, after);
    else if (item.prefix.includes("")) after = [""];
    else after = item.nullable ? unionPrefixes([item.prefix, after]) : item.prefix;
  }
  return after;
}

/** Each `a` followed by each `b`, cut to {@link MAX_PREFIX_LENGTH}; just `a` when there would be too many. */
function crossPrefixes(a: readonly string[], b: readonly string[]): readonly string[] {
  const out = new Set<string>();
  for (const x of a) {
    for (const y of b) {
      out.add((x + y).slice(0, MAX_PREFIX_LENGTH));
      if (out.size > MAX_PREFIXES) return unionPrefixes([a]);
    }
  }
  return minimalPrefixes(out);
}

/**
 * The union of prefix sets (unknown if any is unknown). When it grows too big, the strings are cut
 * shorter until the set is small again (a shorter start string still starts every match); unknown
 * only when even that fails.
 */
function unionPrefixes(sets: readonly (readonly string[])[]): readonly string[] {
  const all = new Set<string>();
  for (const set of sets) for (const s of set) all.add(s.slice(0, MAX_PREFIX_LENGTH));
  if (all.has("")) return [""];
  let out = minimalPrefixes(all);
  for (let cut = MAX_PREFIX_LENGTH - 1; out.length > MAX_PREFIXES && cut > 0; cut--) out = minimalPrefixes(out.map((s) => s.slice(0, cut)));
  return out.length > MAX_PREFIXES ? [""] : out;
}

/** Drops strings that start with another string of the set: a text holding them holds the shorter one there too. */
function minimalPrefixes(strings: Iterable<string>): readonly string[] {
  const sorted = [...new Set(strings)].sort();
  const out: string[] = [];
  // Sorted, so "" (unknown) comes first and absorbs everything.
  for (const s of sorted) if (out.length === 0 || !s.startsWith(out[out.length - 1]!)) out.push(s);
  return out;
}

function alternate(branches: readonly Info[]): Info {
  const prefix = unionPrefixes(branches.map((b) => (b.exact ?? b.prefix).filter((s) => s !== "" || b.exact === null)));
  const nullable = branches.some((b) => b.nullable);
  if (branches.every((b) => b.exact !== null)) {
    const union = [...new Set(branches.flatMap((b) => b.exact!))];
    if (union.length <= MAX_EXACT) return exactInfo(union);
  }
  // OR of the branches: one clause, the union of each branch's best clause.
  const clause: string[] = [];
  for (const branch of branches) {
    const best = toClauses(branch).sort((a, b) => score(b) - score(a) || a.length - b.length)[0];
    if (!best) return { ...ANY, prefix, nullable };
    clause.push(...best);
  }
  const merged = clauseOf(clause);
  return { exact: null, clauses: merged ? [merged] : [], prefix, nullable };
}

function repeat(child: Info, min: number, max: number): Info {
  if (max === 0) return EMPTY;
  if (min === 1 && max === 1) return child;
  // A non-empty match starts with a non-empty match of the child.
  const first = child.exact === null ? child.prefix : child.exact.filter((s) => s !== "");
  const prefix = first.length === 0 ? [""] : first;
  if (min === 0) return { ...ANY, prefix, nullable: true };
  return { exact: null, clauses: toClauses(child), prefix, nullable: child.nullable };
}

const HEX = /^[0-9a-fA-F]+$/;
const SYNTAX = new Set("\\^$.|?*+()[]{}");
const QUANTIFIER = new Set("?*+{");

/** Recursive-descent parser over the code points of a `u`-mode source, computing {@link Info}. */
class Parser {
  private readonly s: string[];
  private i = 0;

  constructor(source: string, private readonly ignoreCase: boolean) {
    this.s = [...source];
  }

  parse(): Info {
    const info = this.alternation();
    if (this.i !== this.s.length) throw new SyntaxError("unbalanced )");
    return info;
  }

  private peek(offset = 0): string | undefined {
    return this.s[this.i + offset];
  }

  private next(): string {
    const c = this.s[this.i++];
    if (c === undefined) throw new SyntaxError("unexpected end");
    return c;
  }

  private expect(c: string): void {
    if (this.next() !== c) throw new SyntaxError(`expected ${c}`);
  }

  /** Reads up to (not including) `end`. */
  private until(end: string): string {
    let out = "";
    while (this.peek() !== end) out += this.next();
    this.i++;
    return out;
  }

  private alternation(): Info {
    const branches = [this.sequence()];
    while (this.peek() === "|") {
      this.i++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? branches[0]! : alternate(branches);
  }

  private sequence(): Info {
    const items: Info[] = [];
    let text = "";
    while (this.i < this.s.length && this.peek() !== "|" && this.peek() !== ")") {
      // Fast path: plain characters, not quantified, with a single variant, are gathered as text.
      const c = this.peek()!;
      const variants = SYNTAX.has(c) || QUANTIFIER.has(this.peek(1) ?? "") ? null : this.variants(c);
      if (variants?.length === 1) {
        text += variants[0]!;
        this.i++;
        continue;
      }
      if (text !== "") items.push(exactInfo([text]));
      text = "";
      items.push(this.quantified());
    }
    if (text !== "") items.push(exactInfo([text]));
    return concat(items);
  }

  private quantified(): Info {
    const atom = this.atom();
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      this.i++;
      const [lo, hi] = this.until("}").split(",");
      if (!lo || !/^\d+$/.test(lo) || (hi !== undefined && hi !== "" && !/^\d+$/.test(hi))) throw new SyntaxError("bad quantifier");
      min = Number(lo);
      max = hi === undefined ? min : hi === "" ? Infinity : Number(hi);
      this.i--;
    } else return atom;
    this.i++;
    if (this.peek() === "?") this.i++;
    return repeat(atom, min, max);
  }

  private atom(): Info {
    const c = this.next();
    switch (c) {
      case "(":
        return this.group();
      case "[":
        return this.charClass();
      case ".":
        return ANY;
      case "^":
      case "$":
        return EMPTY;
      case "\\":
        return this.escape();
      case ")":
      case "*":
      case "+":
      case "?":
      case "{":
      case "}":
      case "]":
      case "|":
        throw new SyntaxError(`unexpected ${c}`);
      default:
        return this.chars([c.codePointAt(0)!]);
    }
  }

  private group(): Info {
    let lookaround = false;
    if (this.peek() === "?") {
      this.i++;
      const kind = this.next();
      if (kind === "=" || kind === "!") lookaround = true;
      else if (kind === "<" && (this.peek() === "=" || this.peek() === "!")) {
        this.i++;
        lookaround = true;
      } else if (kind === "<") this.until(">");
      else if (kind !== ":") throw new SyntaxError("unknown group");
    }
    const body = this.alternation();
    this.expect(")");
    // Lookaround contents are not part of the match.
    return lookaround ? EMPTY : body;
  }

  /** An escape outside a class. */
  private escape(): Info {
    const c = this.peek()!;
    if (c === "b" || c === "B") {
      this.i++;
      return EMPTY;
    }
    if (c === "k" || /[1-9]/.test(c)) {
      // A backreference: whatever the group matched.
      this.i++;
      if (c === "k") {
        this.expect("<");
        this.until(">");
      } else while (/[0-9]/.test(this.peek() ?? "")) this.i++;
      return ANY;
    }
    const set = this.classEscape();
    return set === null ? ANY : this.chars(set);
  }

  /** An escape (after the backslash) as code points, or null for a big set (\d, \w, \p{..}...). */
  private classEscape(): number[] | null {
    const c = this.next();
    switch (c) {
      case "s":
        // Folded text holds no other whitespace: every run became one space or one line break.
        return [0x20, 0x0a];
      case "d":
      case "D":
      case "w":
      case "W":
      case "S":
        return null;
      case "p":
      case "P":
        this.expect("{");
        this.until("}");
        return null;
      case "n":
        return [0x0a];
      case "t":
        return [0x09];
      case "r":
        return [0x0d];
      case "f":
        return [0x0c];
      case "v":
        return [0x0b];
      case "0":
        return [0];
      case "c":
        return [this.next().codePointAt(0)! % 32];
      case "x":
        return [this.hex(2)];
      case "u": {
        if (this.peek() === "{") {
          this.i++;
          const digits = this.until("}");
          if (!HEX.test(digits)) throw new SyntaxError("bad \\u{}");
          return [parseInt(digits, 16)];
        }
        const unit = this.hex(4);
        // A surrogate pair written as two escapes is one code point in u mode.
        if (unit >= 0xd800 && unit < 0xdc00 && this.peek() === "\\" && this.peek(1) === "u" && this.peek(2) !== "{") {
          const save = this.i;
          this.i += 2;
          const low = this.hex(4);
          if (low >= 0xdc00 && low < 0xe000) return [0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00)];
          this.i = save;
        }
        return [unit];
      }
      default:
        // Identity escape of a syntax character (and \- in classes).
        return [c.codePointAt(0)!];
    }
  }

  private hex(n: number): number {
    let digits = "";
    for (let k = 0; k < n; k++) digits += this.next();
    if (!HEX.test(digits)) throw new SyntaxError("bad hex escape");
    return parseInt(digits, 16);
  }

  private charClass(): Info {
    const negated = this.peek() === "^";
    if (negated) this.i++;
    const members: number[] = [];
    let big = false;
    while (this.peek() !== "]") {
      const lo = this.classAtom();
      if (this.peek() === "-" && this.peek(1) !== "]") {
        this.i++;
        const hi = this.classAtom();
        if (lo === null || hi === null || hi.length !== 1 || lo.length !== 1) throw new SyntaxError("bad range");
        if (hi[0]! - lo[0]! >= MAX_CLASS) big = true;
        else for (let cp = lo[0]!; cp <= hi[0]!; cp++) members.push(cp);
      } else if (lo === null) big = true;
      else members.push(...lo);
    }
    this.i++;
    if (negated || big || members.length > MAX_CLASS) return ANY;
    return this.chars(members);
  }

  private classAtom(): number[] | null {
    const c = this.next();
    if (c !== "\\") return [c.codePointAt(0)!];
    if (this.peek() === "b") {
      this.i++;
      return [0x08];
    }
    return this.classEscape();
  }

  /** A node matching exactly one of the given characters. */
  private chars(cps: readonly number[]): Info {
    const out = new Set<string>();
    for (const cp of cps) for (const c of this.variants(String.fromCodePoint(cp))) out.add(c);
    return out.size > MAX_CLASS ? { ...ANY, nullable: false } : exactInfo([...out]);
  }

  /** The characters of folded (lower-case, NFKC) text that `c` matches. */
  private variants(c: string): readonly string[] {
    if (!this.ignoreCase) return [c];
    const lower = c.toLowerCase();
    const base = [...lower].length === 1 ? lower : c;
    return CASE_VARIANTS.get(base) ?? [base];
  }
}

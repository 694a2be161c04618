// Aho-Corasick automaton over all keyword alternatives: finds every keyword in one pass over the text.

/**
 * The alternatives of one keyword entry, separated by `|`. A literal bar is escaped with a
 * backslash: the JSON string `"<\\|im_start"` is the keyword `<|im_start`.
 */
export function keywordAlternatives(entry: string): string[] {
  return entry.split(/(?<!\\)\|/).map((alt) => alt.replace(/\\\|/g, "|"));
}

/** Which keywords scans found, with one bit per scanned text; reusable after {@link clear}. */
export class KeywordHits {
  /** For each keyword id, a bit per text it occurs in (0: none). */
  readonly found: Uint32Array;
  /** The ids with a non-zero entry in {@link found}, in the order they were first found. */
  readonly ids: number[] = [];

  constructor(size: number) {
    this.found = new Uint32Array(size);
  }

  /** Forgets every hit (in time proportional to the hits, not to the number of keywords). */
  clear(): void {
    for (const id of this.ids) this.found[id] = 0;
    this.ids.length = 0;
  }
}

/** States this close to the root get a dense ASCII transition row (128 entries, 512 bytes each). */
const DENSE_DEPTH = 3;

/**
 * Multi-string matcher built once at construction; `scan` is linear in the text length,
 * whatever the number of keywords.
 */
export class KeywordIndex {
  /** Transitions per state, keyed by UTF-16 code unit. */
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  /** Keyword ids that end at each state (including those reached by failure links). */
  private readonly out: number[][] = [[]];
  /** Length (UTF-16 units) of each keyword. */
  private readonly lengths: Uint16Array;
  /**
   * For the shallow states (where a scan spends most of its steps), the next state for every ASCII
   * code unit, failure links already followed: one array read per character instead of map lookups.
   */
  private readonly ascii: Int32Array;
  /** Row of each state in {@link ascii}, or -1 for deeper states. */
  private readonly rowOf: Int32Array;
  readonly size: number;
  /** Length of the longest keyword. */
  readonly maxLength: number;

  constructor(keywords: readonly string[]) {
    this.lengths = Uint16Array.from(keywords, (w) => w.length);
    this.maxLength = keywords.reduce((max, w) => Math.max(max, w.length), 0);
    keywords.forEach((word, id) => {
      let state = 0;
      for (let i = 0; i < word.length; i++) {
        const c = word.charCodeAt(i);
        let to = this.next[state]!.get(c);
        if (to === undefined) {
          to = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.next[state]!.set(c, to);
        }
        state = to;
      }
      this.out[state]!.push(id);
    });
    this.size = keywords.length;
    // Breadth-first failure links.
    const queue: number[] = [];
    for (const to of this.next[0]!.values()) queue.push(to);
    for (let q = 0; q < queue.length; q++) {
      const state = queue[q]!;
      for (const [c, to] of this.next[state]!) {
        let f = this.fail[state]!;
        while (f !== 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
        const target = this.next[f]!.get(c);
        this.fail[to] = target !== undefined && target !== to ? target : 0;
        this.out[to]!.push(...this.out[this.fail[to]!]!);
        queue.push(to);
      }
    }
    // Dense ASCII rows for the states at most DENSE_DEPTH deep, in breadth-first order so that a
    // state's failure target (always shallower) has its row before the state does.
    const depth = new Uint8Array(this.next.length);
    for (const to of this.next[0]!.values()) depth[to] = 1;
    const shallow = [0];
    for (const state of queue) {
      for (const to of this.next[state]!.values()) depth[to] = depth[state]! + 1;
      if (depth[state]! <= DENSE_DEPTH) shallow.push(state);
    }
    this.rowOf = new Int32Array(this.next.length).fill(-1);
    this.ascii = new Int32Array(shallow.length * 128);
    shallow.forEach((state, row) => {
      this.rowOf[state] = row;
      for (let c = 0; c < 128; c++) {
        const to = this.next[state]!.get(c);
        this.ascii[row * 128 + c] = to !== undefined ? to : state === 0 ? 0 : this.ascii[this.rowOf[this.fail[state]!]! * 128 + c]!;
      }
    });
  }

  /** The state after reading code unit `c` in `state`. */
  private step(state: number, c: number): number {
    const { next, fail, rowOf } = this;
    if (c < 128) {
      while (rowOf[state]! < 0) {
        const to = next[state]!.get(c);
        if (to !== undefined) return to;
        state = fail[state]!;
      }
      return this.ascii[rowOf[state]! * 128 + c]!;
    }
    let to = next[state]!.get(c);
    while (to === undefined && state !== 0) {
      state = fail[state]!;
      to = next[state]!.get(c);
    }
    return to ?? 0;
  }

  /**
   * Records in `hits` every keyword id occurring in `text` (ORing in `bit`). When `starts` is given,
   * the start offsets of the keywords flagged in `located` are appended to `starts.get(id)`.
   */
  scan(text: string, hits: KeywordHits, bit = 1, located?: Uint8Array, starts?: Map<number, number[]>): void {
    let state = 0;
    const { out, lengths } = this;
    const { found, ids } = hits;
    for (let i = 0; i < text.length; i++) {
      state = this.step(state, text.charCodeAt(i));
      const ends = out[state]!;
      for (let h = 0; h < ends.length; h++) {
        const id = ends[h]!;
        const was = found[id]!;
        if (was === 0) ids.push(id);
        found[id] = was | bit;
        if (starts !== undefined && located![id] === 1) {
          const start = i + 1 - lengths[id]!;
          const list = starts.get(id);
          if (list === undefined) starts.set(id, [start]);
          else list.push(start);
        }
      }
    }
  }

  /**
   * Whether a distinctive keyword occurrence in `text` spans the boundary before position `at`
   * (starts before it and ends after it); only the text around it is scanned. Distinctive: 4 UTF-16
   * units, or 2 for CJK; "ign" or "do " form too easily.
   */
  covers(text: string, at: number): boolean {
    const from = Math.max(0, at - this.maxLength + 1);
    const end = Math.min(text.length, at + this.maxLength);
    let state = 0;
    const { out, lengths } = this;
    for (let i = from; i < end; i++) {
      state = this.step(state, text.charCodeAt(i));
      if (i < at) continue;
      const hits = out[state]!;
      for (let h = 0; h < hits.length; h++) {
        const length = lengths[hits[h]!]!;
        if (i + 1 - length < at && (length >= 4 || (length >= 2 && text.charCodeAt(i) >= 0x2e80))) return true;
      }
    }
    return false;
  }
}

// Aho-Corasick automaton over all keyword alternatives: finds every keyword in one pass over the text.

/**
 * The alternatives of one keyword entry, separated by `|`. A literal bar is escaped with a
 * backslash: the JSON string `"<\\|im_start"` is the keyword `<|im_start`.
 */
export function keywordAlternatives(entry: string): string[] {
  return entry.split(/(?<!\\)\|/).map((alt) => alt.replace(/\\\|/g, "|"));
}

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
  }

  /**
   * Marks in `found` every keyword id occurring in `text` (ORing in `bit`). When `starts` is given,
   * the start offsets of the keywords flagged in `located` are appended to `starts.get(id)`.
   */
  scan(text: string, found: Uint8Array | Uint32Array, bit = 1, located?: Uint8Array, starts?: Map<number, number[]>): void {
    let state = 0;
    const { next, fail, out, lengths } = this;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let to = next[state]!.get(c);
      while (to === undefined && state !== 0) {
        state = fail[state]!;
        to = next[state]!.get(c);
      }
      state = to ?? 0;
      const hits = out[state]!;
      for (let h = 0; h < hits.length; h++) {
        const id = hits[h]!;
        found[id] = found[id]! | bit;
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
   * Whether a distinctive keyword occurrence in `text` covers the position `at` (only the text
   * around it is scanned). Distinctive: 4 UTF-16 units, or 2 for CJK; "ign" or "do " form too easily.
   */
  covers(text: string, at: number): boolean {
    const from = Math.max(0, at - this.maxLength + 1);
    const end = Math.min(text.length, at + this.maxLength);
    let state = 0;
    const { next, fail, out, lengths } = this;
    for (let i = from; i < end; i++) {
      const c = text.charCodeAt(i);
      let to = next[state]!.get(c);
      while (to === undefined && state !== 0) {
        state = fail[state]!;
        to = next[state]!.get(c);
      }
      state = to ?? 0;
      if (i < at) continue;
      const hits = out[state]!;
      for (let h = 0; h < hits.length; h++) {
        const length = lengths[hits[h]!]!;
        if (i + 1 - length <= at && (length >= 4 || (length >= 2 && text.charCodeAt(i) >= 0x2e80))) return true;
      }
    }
    return false;
  }
}

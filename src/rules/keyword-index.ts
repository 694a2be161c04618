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

/** Whether some keyword id of `entry` has a bit of `mask` in `found` (one entry of a rule's keywords holds). */
export function entryFound(entry: readonly number[], found: Uint32Array, mask: number): boolean {
  for (let a = 0; a < entry.length; a++) if ((found[entry[a]!]! & mask) !== 0) return true;
  return false;
}

/** Above this many children, a state's children are found by binary search instead of a linear one. */
const LINEAR_CHILDREN = 8;

/**
 * Multi-string matcher built once at construction; `scan` is linear in the text length,
 * whatever the number of keywords. The automaton lives in flat typed arrays: per state its children
 * (sorted by code unit), its failure link and the keyword ids ending there.
 */
export class KeywordIndex {
  /** Children of state s: `childChar` / `childTo` from `childStart[s]` to `childStart[s + 1]`, sorted by code unit. */
  private readonly childStart: Int32Array;
  private readonly childChar: Uint16Array;
  private readonly childTo: Int32Array;
  private readonly fail: Int32Array;
  /** Keyword ids that end at state s (including those reached by failure links): `outIds` from `outStart[s]` to `outStart[s + 1]`. */
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;
  /** States from this number on are those where some keyword ends (see the renumbering in the constructor). */
  private readonly firstOutput: number;
  /** Length (UTF-16 units) of each keyword. */
  private readonly lengths: Uint16Array;
  /**
   * For every state, the next state for every ASCII class, failure links already followed: one array
   * read per ASCII character. Classes compress ASCII to the code units keywords hold (class 0: all
   * others, which lead back to the root from anywhere), so a row has a few dozen entries.
   */
  private readonly ascii: Uint16Array | Int32Array;
  /** 1 for each code unit that occurs in some keyword: any other one leads back to the root state. */
  private readonly inKeywords: Uint8Array;
  /** ASCII class of each code unit below 128. */
  private readonly asciiClass: Uint8Array;
  /** Number of ASCII classes: the width of a row of {@link ascii}. */
  private readonly width: number;
  readonly size: number;
  // Scratch for recording places in scan (synchronous, so one set per index is enough).
  private stamp = 0;
  private readonly stamps: Uint32Array;
  private readonly heads: Int32Array;
  private readonly touched: number[] = [];
  private placeStart = new Int32Array(256);
  private placeNext = new Int32Array(256);
  /** Length of the longest keyword. */
  readonly maxLength: number;

  constructor(keywords: readonly string[]) {
    this.lengths = Uint16Array.from(keywords, (w) => w.length);
    this.maxLength = keywords.reduce((max, w) => Math.max(max, w.length), 0);
    this.size = keywords.length;
    this.inKeywords = new Uint8Array(0x10000);
    for (const word of keywords) for (let i = 0; i < word.length; i++) this.inKeywords[word.charCodeAt(i)] = 1;
    this.stamps = new Uint32Array(keywords.length);
    this.heads = new Int32Array(keywords.length);
    // Build a trie of maps, then flatten it.
    let next: Map<number, number>[] = [new Map()];
    let ends: number[][] = [[]];
    keywords.forEach((word, id) => {
      let state = 0;
      for (let i = 0; i < word.length; i++) {
        const c = word.charCodeAt(i);
        let to = next[state]!.get(c);
        if (to === undefined) {
          to = next.length;
          next.push(new Map());
          ends.push([]);
          next[state]!.set(c, to);
        }
        state = to;
      }
      ends[state]!.push(id);
    });
    const states = next.length;
    // Breadth-first failure links and outputs.
    let fail = new Int32Array(states);
    let queue: number[] = [];
    for (const to of next[0]!.values()) queue.push(to);
    for (let q = 0; q < queue.length; q++) {
      const state = queue[q]!;
      for (const [c, to] of next[state]!) {
        let f = fail[state]!;
        while (f !== 0 && !next[f]!.has(c)) f = fail[f]!;
        const target = next[f]!.get(c);
        fail[to] = target !== undefined && target !== to ? target : 0;
        ends[to]!.push(...ends[fail[to]!]!);
        queue.push(to);
      }
    }
    // Renumber the states so that those where a keyword ends come last: the scan then tells them by
    // comparing the state with one number, without reading the output table at every character.
    const order = [0, ...queue];
    const renumbered = [...order.filter((st) => ends[st]!.length === 0), ...order.filter((st) => ends[st]!.length > 0)];
    const id = new Int32Array(states);
    renumbered.forEach((st, k) => (id[st] = k));
    this.firstOutput = renumbered.findIndex((st) => ends[st]!.length > 0);
    if (this.firstOutput < 0) this.firstOutput = states;
    next = renumbered.map((st) => new Map([...next[st]!].map(([c, to]) => [c, id[to]!] as const)));
    ends = renumbered.map((st) => ends[st]!);
    fail = Int32Array.from(renumbered, (st) => id[fail[st]!]!);
    queue = queue.map((st) => id[st]!);
    this.fail = fail;
    this.childStart = new Int32Array(states + 1);
    this.childChar = new Uint16Array(states - 1);
    this.childTo = new Int32Array(states - 1);
    this.outStart = new Int32Array(states + 1);
    this.outIds = new Int32Array(ends.reduce((n, e) => n + e.length, 0));
    for (let state = 0, k = 0, o = 0; state < states; state++) {
      this.childStart[state] = k;
      for (const [c, to] of [...next[state]!].sort((a, b) => a[0] - b[0])) {
        this.childChar[k] = c;
        this.childTo[k++] = to;
      }
      this.outStart[state] = o;
      for (const id of ends[state]!) this.outIds[o++] = id;
      this.childStart[state + 1] = k;
      this.outStart[state + 1] = o;
    }
    // Dense ASCII rows for every state, in breadth-first order so that a state's failure target
    // (always shallower) has its row before the state does.
    this.asciiClass = new Uint8Array(128);
    const representative = [0];
    for (const word of keywords) {
      for (let i = 0; i < word.length; i++) {
        const c = word.charCodeAt(i);
        if (c < 128 && this.asciiClass[c] === 0) {
          this.asciiClass[c] = representative.length;
          representative.push(c);
        }
      }
    }
    const width = (this.width = representative.length);
    const ascii = (this.ascii = states < 0x10000 ? new Uint16Array(states * width) : new Int32Array(states * width));
    for (const state of [0, ...queue]) {
      for (let k = 1; k < width; k++) {
        const to = next[state]!.get(representative[k]!);
        ascii[state * width + k] = to !== undefined ? to : state === 0 ? 0 : ascii[fail[state]! * width + k]!;
      }
    }
  }

  /** The child of `state` for code unit `c`, or -1. */
  private child(state: number, c: number): number {
    const { childChar } = this;
    let lo = this.childStart[state]!;
    let hi = this.childStart[state + 1]!;
    if (hi - lo <= LINEAR_CHILDREN) {
      for (; lo < hi; lo++) if (childChar[lo] === c) return this.childTo[lo]!;
      return -1;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = childChar[mid]!;
      if (m === c) return this.childTo[mid]!;
      if (m < c) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  /** The state after reading code unit `c` in `state`. */
  private step(state: number, c: number): number {
    if (c < 128) return this.ascii[state * this.width + this.asciiClass[c]!]!;
    for (;;) {
      const to = this.child(state, c);
      if (to >= 0) return to;
      if (state === 0) return 0;
      state = this.fail[state]!;
    }
  }

  /**
   * Records in `hits` every keyword id occurring in `text` (ORing in `bit`). With `located`, also
   * returns where the keywords flagged 1 in it start ({@link Places}); otherwise {@link Places.NONE}.
   */
  scan(text: string, hits: KeywordHits, bit = 1, located?: Uint8Array): Places {
    let state = 0;
    const { outStart, outIds, lengths, ascii, asciiClass, width, firstOutput, inKeywords } = this;
    const { found, ids } = hits;
    const stamp = located === undefined ? 0 : (this.stamp = (this.stamp + 1) >>> 0 || 1);
    if (stamp === 1) this.stamps.fill(0);
    const { stamps, heads } = this;
    let count = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      state = c < 128 ? ascii[state * width + asciiClass[c]!]! : inKeywords[c] === 0 ? 0 : this.step(state, c);
      if (state < firstOutput) continue;
      const end = outStart[state + 1]!;
      for (let h = outStart[state]!; h < end; h++) {
        const id = outIds[h]!;
        const was = found[id]!;
        if (was === 0) ids.push(id);
        found[id] = was | bit;
        if (stamp !== 0 && located![id] === 1) {
          // One linked list per keyword in flat arrays: this place, then the keyword's previous one.
          if (count === this.placeStart.length) this.growPlaces();
          this.placeStart[count] = i + 1 - lengths[id]!;
          if (stamps[id] === stamp) this.placeNext[count] = heads[id]!;
          else {
            this.placeNext[count] = -1;
            stamps[id] = stamp;
            this.touched.push(id);
          }
          heads[id] = count++;
        }
      }
    }
    if (stamp === 0 || count === 0) {
      this.touched.length = 0;
      return Places.NONE;
    }
    const first = new Map<number, number>();
    for (const id of this.touched) first.set(id, heads[id]!);
    this.touched.length = 0;
    return new Places(this.placeStart.slice(0, count), this.placeNext.slice(0, count), first);
  }

  private growPlaces(): void {
    const size = this.placeStart.length * 2;
    const start = new Int32Array(size); start.set(this.placeStart); this.placeStart = start;
    const next = new Int32Array(size); next.set(this.placeNext); this.placeNext = next;
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
    const { outStart, outIds, lengths } = this;
    for (let i = from; i < end; i++) {
      state = this.step(state, text.charCodeAt(i));
      if (i < at) continue;
      for (let h = outStart[state]!; h < outStart[state + 1]!; h++) {
        const length = lengths[outIds[h]!]!;
        if (i + 1 - length < at && (length >= 4 || (length >= 2 && text.charCodeAt(i) >= 0x2e80))) return true;
      }
    }
    return false;
  }
}

/**
 * Where some keywords start in one text, from {@link KeywordIndex.scan}: per keyword a linked list
 * (newest first) in two flat arrays, and the list heads of the keywords that occur.
 */
export class Places {
  /** No places (nothing was located, or nothing found). */
  static readonly NONE = new Places(new Int32Array(0), new Int32Array(0), new Map());

  constructor(private readonly start: Int32Array, private readonly next: Int32Array, private readonly heads: ReadonlyMap<number, number>) {}

  /** Appends to `out` the start offsets of keyword `id` at or after `from`, newest first. */
  collect(id: number, from: number, out: number[]): void {
    for (let p = this.heads.get(id) ?? -1; p >= 0; p = this.next[p]!) {
      const start = this.start[p]!;
      if (start >= from) out.push(start);
    }
  }

  /** The start offsets of keyword `id`, ascending (empty when it does not occur). */
  of(id: number): number[] {
    const out: number[] = [];
    this.collect(id, 0, out);
    return out.reverse();
  }
}

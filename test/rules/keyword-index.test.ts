// KeywordIndex (the Aho-Corasick automaton of the prefilter) against a naive search over every keyword.
import { describe, expect, it } from "vitest";
import { KeywordHits, KeywordIndex } from "../../src/rules/keyword-index.js";

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A small alphabet makes overlaps, shared prefixes and failure chains common; the CJK and emoji
// letters exercise the non-ASCII path, and the many first letters the binary search over children.
const ALPHABET = ["a", "b", "n", " ", "-", "é", "忽", "略", "\ud83d\ude00", ..."cdefghijklmopqrs"];
const word = (next: () => number, max: number): string => {
  let w = "";
  const n = 1 + Math.floor(next() * max);
  for (let i = 0; i < n; i++) w += ALPHABET[Math.floor(next() * (i === 0 ? ALPHABET.length : 6))]!;
  return w;
};

function naiveStarts(text: string, keyword: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(keyword); at >= 0; at = text.indexOf(keyword, at + 1)) out.push(at);
  return out;
}

describe("KeywordIndex", () => {
  it("finds exactly the keywords a naive search finds, with every start offset", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const next = random(seed);
      const keywords = [...new Set(Array.from({ length: 5 + Math.floor(next() * 60) }, () => word(next, 7)))];
      const index = new KeywordIndex(keywords);
      // "字" is in no keyword: from any state it leads back to the root.
      const text = Array.from({ length: 40 }, () => word(next, 9) + (next() < 0.2 ? "\u5b57" : "")).join(next() < 0.5 ? "" : " ");
      const hits = new KeywordHits(keywords.length);
      const located = new Uint8Array(keywords.length).fill(1);
      const places = index.scan(text, hits, 2, located);
      keywords.forEach((k, id) => {
        const want = naiveStarts(text, k);
        expect(hits.found[id], `seed ${seed}: ${JSON.stringify(k)}`).toBe(want.length > 0 ? 2 : 0);
        expect(places.of(id), `seed ${seed}: ${JSON.stringify(k)}`).toEqual(want);
      });
      // A second scan does not disturb the places of the first (each scan's places are its own).
      const again = index.scan(text.slice(0, 20), new KeywordHits(keywords.length), 1, located);
      keywords.forEach((k, id) => {
        expect(places.of(id)).toEqual(naiveStarts(text, k));
        expect(again.of(id)).toEqual(naiveStarts(text.slice(0, 20), k));
      });
      expect([...hits.ids].sort((x, y) => x - y)).toEqual(keywords.map((k, id) => (text.includes(k) ? id : -1)).filter((id) => id >= 0));
      hits.clear();
      expect(hits.ids).toEqual([]);
      expect(hits.found.every((f) => f === 0)).toBe(true);
    }
  });

  it("covers(text, at) is true exactly when a distinctive keyword starts before `at` and ends after it", () => {
    const distinctive = (k: string, text: string, end: number) => k.length >= 4 || (k.length >= 2 && text.charCodeAt(end - 1) >= 0x2e80);
    for (let seed = 100; seed < 140; seed++) {
      const next = random(seed);
      const keywords = [...new Set(Array.from({ length: 30 }, () => word(next, 6)))];
      const index = new KeywordIndex(keywords);
      const text = Array.from({ length: 12 }, () => word(next, 8)).join("");
      for (let at = 1; at < text.length; at++) {
        const want = keywords.some((k) => naiveStarts(text, k).some((s) => s < at && s + k.length > at && distinctive(k, text, s + k.length)));
        expect(index.covers(text, at), `seed ${seed} at ${at}`).toBe(want);
      }
    }
  });
});

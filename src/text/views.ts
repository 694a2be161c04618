// The texts the pattern rules run on: folded, compact, and whatever was decoded, each mapped to original spans.
import type { KeywordIndex } from "../rules/keyword-index.js";
import { compactView } from "./compact.js";
import type { DecodedPayload } from "./decode.js";
import { originalSpan, prepareText, type PreparedText } from "./normalize.js";

/** One text the rules match on, with a way back to the original prompt. */
export interface MatchView {
  readonly kind: "folded" | "compact" | "base64" | "hex" | "unicode-tags";
  readonly text: string;
  /** Maps a span of `text` to `[start, end)` in the original prompt. */
  span(start: number, end: number): [number, number];
}

/**
 * How far (UTF-16 units) around each place where the compact view differs from the folded one it is
 * searched. Elsewhere the two are the same text, which the folded view already covers; a long prompt
 * with a few hyphenated words then costs little more than its folded view.
 */
export const COMPACT_RADIUS = 400;

/**
 * Builds the views for a prepared prompt: folded first, then compact (near its changes), then
 * decoded payloads. With `keywords`, the compact view is only searched near the changes that
 * formed a keyword ("ign-ore", "1gn0r3", "i g n o r e"), not near every "well-known" or "snake_case".
 */
export function buildViews(prepared: PreparedText, payloads: readonly DecodedPayload[], keywords?: KeywordIndex): MatchView[] {
  const views: MatchView[] = [{ kind: "folded", text: prepared.folded, span: (a, b) => originalSpan(prepared, a, b) }];
  const compact = compactView(prepared);
  const changes = compact && keywords ? compact.changes.filter((at) => keywords.covers(compact.text, at)) : compact?.changes;
  if (compact && changes && changes.length > 0) {
    const last = compact.starts.length - 1;
    for (const [from, to] of windows(changes, compact.text.length)) {
      views.push({
        kind: "compact",
        text: from === 0 && to === compact.text.length ? compact.text : compact.text.slice(from, to),
        span: (a, b) => {
          const s = Math.min(Math.max(a + from, 0), last);
          const e = Math.min(Math.max(b - 1 + from, s), last);
          return [compact.starts[s]!, compact.ends[e]!];
        },
      });
    }
  }
  for (const payload of payloads) {
    const inner = prepareText(payload.text);
    views.push({ kind: payload.kind, text: inner.folded, span: () => [payload.span[0], payload.span[1]] });
  }
  return views;
}

/** Merged `[from, to)` windows of {@link COMPACT_RADIUS} around the changes; the whole text when they cover most of it. */
function windows(changes: readonly number[], length: number): [number, number][] {
  const out: [number, number][] = [];
  let covered = 0;
  for (const c of changes) {
    const from = Math.max(0, c - COMPACT_RADIUS);
    const to = Math.min(length, c + COMPACT_RADIUS);
    const last = out[out.length - 1];
    if (last && from <= last[1]) {
      covered += Math.max(0, to - last[1]);
      last[1] = Math.max(last[1], to);
    } else {
      out.push([from, to]);
      covered += to - from;
    }
  }
  return covered > length * 0.7 ? [[0, length]] : out;
}

/** How a view is described in a finding's message. */
export const VIEW_NOTES: Readonly<Record<MatchView["kind"], string>> = {
  folded: "",
  compact: " (after undoing letter spacing, inner punctuation or leetspeak)",
  base64: " (in base64-decoded text)",
  hex: " (in hex-decoded text)",
  "unicode-tags": " (in text hidden in Unicode tag characters)",
};

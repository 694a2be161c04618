// The texts the pattern rules run on: folded, compact, and whatever was decoded, each mapped to original spans.
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

/** Builds the views for a prepared prompt: folded first, then compact, then decoded payloads. */
export function buildViews(prepared: PreparedText, payloads: readonly DecodedPayload[]): MatchView[] {
  const views: MatchView[] = [{ kind: "folded", text: prepared.folded, span: (a, b) => originalSpan(prepared, a, b) }];
  const compact = compactView(prepared);
  if (compact) {
    const last = compact.starts.length - 1;
    views.push({
      kind: "compact",
      text: compact.text,
      span: (a, b) => {
        const s = Math.min(Math.max(a, 0), last);
        const e = Math.min(Math.max(b - 1, s), last);
        return [compact.starts[s]!, compact.ends[e]!];
      },
    });
  }
  for (const payload of payloads) {
    const inner = prepareText(payload.text);
    views.push({ kind: payload.kind, text: inner.folded, span: () => [payload.span[0], payload.span[1]] });
  }
  return views;
}

/** How a view is described in a finding's message. */
export const VIEW_NOTES: Readonly<Record<MatchView["kind"], string>> = {
  folded: "",
  compact: " (after undoing letter spacing, inner punctuation or leetspeak)",
  base64: " (in base64-decoded text)",
  hex: " (in hex-decoded text)",
  "unicode-tags": " (in text hidden in Unicode tag characters)",
};

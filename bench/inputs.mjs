// Benchmark inputs shared by the benches: labelled corpus texts and texts of a given size built from them.
import { existsSync, readFileSync } from "node:fs";

const corpora = process.env.PROMPTWARD_CORPORA ?? new URL("../../shared/corpora/", import.meta.url).pathname;

/** The texts of a corpus file in ../shared/corpora (only lines with `label` when given), or [] when it is absent. */
export function readCorpus(file, label) {
  const path = `${corpora.replace(/\/?$/, "/")}${file}`;
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((r) => !label || r.label === label).map((r) => r.text);
}

/** `count` texts of exactly `size` characters, made by concatenating prompts of `pool` in turn. */
export function sized(pool, size, count) {
  const out = [];
  let i = 0;
  for (let n = 0; n < count; n++) {
    let text = "";
    while (text.length < size) text += `${pool[i++ % pool.length]}\n\n`;
    out.push(text.slice(0, size));
  }
  return out;
}

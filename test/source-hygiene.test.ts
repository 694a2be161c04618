// src/ is ASCII only (non-ASCII characters are written as escapes); rule packs are NFC; runtime deps stay at three.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));

describe("source hygiene", () => {
  it("src/ is ASCII only", () => {
    const offenders = walk(join(root, "src")).filter((f) => /[^\x00-\x7f]/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("rule packs are UTF-8 NFC JSON", () => {
    const offenders = walk(join(root, "rules")).filter((f) => {
      const text = readFileSync(f, "utf8");
      return text.normalize("NFC") !== text;
    });
    expect(offenders).toEqual([]);
  });

  it("has exactly the three runtime dependencies, each imported from one module", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["lru-cache", "unicode-properties", "xregexp"]);
    for (const dep of Object.keys(pkg.dependencies)) {
      const importers = walk(join(root, "src")).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && new RegExp(`from "${dep}"`).test(readFileSync(f, "utf8")));
      expect(importers.length, dep).toBeLessThanOrEqual(1);
    }
  });

  it("keeps VERSION equal to package.json", async () => {
    const { VERSION } = await import("../src/version.js");
    expect(VERSION).toBe(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version);
  });
});

// Build: one entry per public subpath, ESM + CJS with .d.ts for each.
import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: { index: "src/index.ts", testing: "src/testing.ts", gateway: "src/gateway.ts", express: "src/express.ts", fastify: "src/fastify.ts", redis: "src/redis.ts" },
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    target: "node20",
    sourcemap: false,
    splitting: false,
  },
  {
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
  },
]);

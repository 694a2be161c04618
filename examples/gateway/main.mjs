// Runs the proxy: `BACKENDS=http://gpu1:8000,http://gpu2:8000 PORT=8080 node examples/gateway/main.mjs` (after `npm run build`).
import { nodeGuard } from "../../dist/gateway.js";
import { makeGuard } from "./guard.mjs";
import { createProxy } from "./proxy.mjs";

const backends = (process.env.BACKENDS ?? "http://127.0.0.1:9001,http://127.0.0.1:9002").split(",");
const guard = await makeGuard({ mode: process.env.PROMPTWARD_MODE === "monitor" ? "monitor" : "enforce" });
const proxy = createProxy({ backends, check: nodeGuard(guard) }); // the one line: nodeGuard(guard)
proxy.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? "127.0.0.1", () => {
  console.log(`promptward gateway on http://${process.env.HOST ?? "127.0.0.1"}:${proxy.address().port}/v1 -> ${backends.join(", ")}`);
});

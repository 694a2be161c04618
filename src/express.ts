// Entry `promptward/express`: the Express middleware.
export { expressGuard } from "./adapters/express.js";
export type { ExpressGuardedRequest, ExpressGuardOptions } from "./adapters/express.js";
export type { GatewayFinding, GatewayOptions, GatewayVerdict } from "./adapters/core.js";

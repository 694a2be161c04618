// Entry `promptward/gateway`: the Web Request adapter, the node http helper and OpenAI-compatible body extraction.
export { gatewayGuard, nodeGuard } from "./adapters/gateway.js";
export type { GatewayOutcome, NodeMiddleware, NodeRequest, NodeResponse, WebGatewayGuard } from "./adapters/gateway.js";
export { verdictHeaderValue } from "./adapters/core.js";
export type { GatewayFinding, GatewayOptions, GatewayVerdict } from "./adapters/core.js";
export { DEFAULT_ROLES, endpointOf, extractPrompts } from "./adapters/openai.js";
export type { Endpoint, ExtractResult, MessageRole, PromptSegment } from "./adapters/openai.js";

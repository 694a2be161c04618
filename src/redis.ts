// Entry `promptward/redis`: the Redis history store, for gateways that run as several instances.
export { RedisHistoryStore } from "./stores/redis.js";
export type { RedisHistoryStoreOptions, RedisSendCommand } from "./stores/redis.js";

// Vitest globalSetup: a throwaway redis-server on a free loopback port for the Redis store tests.
// Provides `redisUrl` ("" when there is no server) and `redisSkipReason`. Under CI=true a missing
// redis-server fails the run instead of skipping (.ci/run installs it).
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** `redis://127.0.0.1:PORT` of the test server, or "" when Redis tests must skip. */
    redisUrl: string;
    /** Why the Redis tests skip ("" when they run). */
    redisSkipReason: string;
  }
}

const isCI = /^(1|true)$/i.test(process.env["CI"] ?? "");

export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env["PATH"] ?? "").split(delimiter).concat(["/usr/sbin", "/usr/local/sbin"])) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Resolves when the server answers PING with PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let data = "";
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
      if (data.includes("\r\n")) done(data.startsWith("+PONG"));
    });
  });
}

/** Starts redis-server on a free loopback port; resolves with the child and port once it answers. */
export async function startRedisServer(bin: string, dir: string): Promise<{ child: ChildProcess; port: number }> {
  let lastError = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (c: Buffer) => { output += c.toString(); });
    child.stderr?.on("data", (c: Buffer) => { output += c.toString(); });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && child.exitCode === null) {
      if (await ping(port)) return { child, port };
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    lastError = output.trim().split("\n").slice(-3).join("\n");
  }
  throw new Error(`redis-server did not start: ${lastError}`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env["REDIS_URL"];
  if (given) {
    project.provide("redisUrl", given);
    project.provide("redisSkipReason", "");
    return async () => {};
  }
  const bin = findOnPath("redis-server");
  if (!bin) {
    const reason = "redis-server is not on PATH: the Redis store tests are skipped (install it with `apt-get install -y redis-server`, or set REDIS_URL)";
    if (isCI) throw new Error(`CI=true and ${reason.replace(": the Redis store tests are skipped", "")}; the Redis tests must run in CI`);
    console.warn(`[promptward] ${reason}`);
    project.provide("redisUrl", "");
    project.provide("redisSkipReason", reason);
    return async () => {};
  }
  const dir = mkdtempSync(join(tmpdir(), "promptward-redis-"));
  const { child, port } = await startRedisServer(bin, dir);
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  project.provide("redisUrl", `redis://127.0.0.1:${port}`);
  project.provide("redisSkipReason", "");
  return async () => {
    process.off("exit", kill);
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  };
}

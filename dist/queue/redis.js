// Redis for the queues: REDIS_URL, or a private redis-server under ./data
// when one is on PATH (the local default), configured as BullMQ needs it:
// maxmemory-policy noeviction (never drop a job) and an append-only file.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { Redis } from "ioredis";
import { isAlive } from "../pid.js";
export const REDIS_SETTINGS = ["--maxmemory-policy", "noeviction", "--appendonly", "yes", "--appendfsync", "everysec"];
export async function freePort() {
    return new Promise((res, rej) => {
        const srv = createServer();
        srv.unref();
        srv.on("error", rej);
        srv.listen(0, "127.0.0.1", () => {
            const a = srv.address();
            srv.close(() => (typeof a === "object" && a ? res(a.port) : rej(new Error("no free port"))));
        });
    });
}
export function redisServerBinary() {
    const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).stdout.trim();
    return found || undefined;
}
/**
 * Starts redis-server in `dir` on a free loopback port; resolves once it answers PING.
 * One server per folder: its pid and port are kept there, so a server left
 * running by an app that was killed (kill -9) is taken over, or stopped if it
 * no longer answers, rather than a second one started on the same files.
 */
export async function startRedisServer(dir, opts = {}) {
    const bin = redisServerBinary();
    if (!bin) {
        throw new Error("Redis is needed for the queues: set REDIS_URL, or install redis-server (Debian: apt-get install redis-server) so a private one can be started under ./data");
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pidFile = join(dir, "redis-server.pid");
    const portFile = join(dir, "redis-server.port");
    const left = leftover(pidFile, portFile);
    if (left) {
        if (await answers(`redis://127.0.0.1:${left.port}`))
            return adopted(left, pidFile, portFile);
        await stopPid(left.pid);
    }
    const port = opts.port ?? (await freePort());
    const proc = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--dir", resolve(dir), "--save", "", ...REDIS_SETTINGS, ...(opts.extra ?? [])], {
        stdio: ["ignore", "ignore", "pipe"],
    });
    writeFileSync(pidFile, String(proc.pid));
    writeFileSync(portFile, String(port));
    let err = "";
    proc.stderr?.on("data", (b) => (err += String(b)));
    const url = `redis://127.0.0.1:${port}`;
    const until = Date.now() + 15_000;
    for (;;) {
        if (proc.exitCode !== null)
            throw new Error(`redis-server exited: ${err}`);
        if (await answers(url))
            break;
        if (Date.now() > until)
            throw new Error(`redis-server did not answer on ${url}`);
        await new Promise((r) => setTimeout(r, 50));
    }
    return {
        url,
        origin: { kind: "started", pid: proc.pid ?? 0, port },
        stop: async () => {
            forget(pidFile, portFile);
            if (proc.exitCode !== null)
                return;
            proc.kill("SIGTERM");
            await new Promise((r) => proc.once("exit", r));
        },
    };
}
function leftover(pidFile, portFile) {
    if (!existsSync(pidFile))
        return undefined;
    const pid = Number(readFileSync(pidFile, "utf8"));
    const port = existsSync(portFile) ? Number(readFileSync(portFile, "utf8")) : 0;
    if (!pid || !isAlive(pid)) {
        forget(pidFile, portFile);
        return undefined;
    }
    return { pid, port };
}
function adopted({ pid, port }, pidFile, portFile) {
    return {
        url: `redis://127.0.0.1:${port}`,
        origin: { kind: "taken_over", pid, port },
        stop: async () => {
            forget(pidFile, portFile);
            await stopPid(pid);
        },
    };
}
function forget(pidFile, portFile) {
    rmSync(pidFile, { force: true });
    rmSync(portFile, { force: true });
}
async function answers(url) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
    probe.on("error", () => { }); // refused until the server is up: that is what we are waiting for
    try {
        await probe.connect();
        return (await probe.ping()) === "PONG";
    }
    catch {
        return false;
    }
    finally {
        probe.disconnect();
    }
}
async function stopPid(pid) {
    if (!isAlive(pid))
        return;
    process.kill(pid, "SIGTERM");
    for (let i = 0; i < 100 && isAlive(pid); i++)
        await new Promise((r) => setTimeout(r, 50));
    if (isAlive(pid))
        process.kill(pid, "SIGKILL");
}
/** REDIS_URL, or a private server in data/redis (beside the embedded database's folder). */
export async function redisEndpoint(dataDir = process.env.DRP_REDIS_DIR ?? join(dirname(process.env.DRP_DATA_DIR ?? "data/pglite"), "redis")) {
    if (process.env.REDIS_URL)
        return { url: process.env.REDIS_URL, stop: async () => { } };
    return startRedisServer(dataDir);
}
//# sourceMappingURL=redis.js.map
// The embedded database (PGlite) belongs to one process. While `npm start`
// holds it, a `drp` command sends itself to the running app over a Unix
// socket beside the database (readable by its owner only) and the app runs it
// on its own services, one command at a time: the CLI works while the app
// runs, with the same output and exit code.
import { chmodSync, existsSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
/** The socket for an embedded database folder. */
export function cliSocketPath(dataDir) {
    return `${dataDir.replace(/\/$/, "")}.sock`;
}
/** The services a command run inside the app uses, instead of opening the database again. */
let inApp;
export function servicesInApp() {
    return inApp;
}
/** Serves `drp` commands on the socket; `run` is the CLI's main, called with output captured. */
export async function serveCli(path, svc, run) {
    if (existsSync(path))
        rmSync(path, { force: true }); // a socket left by an app that was killed
    let queue = Promise.resolve();
    const server = createServer((socket) => {
        let buf = "";
        socket.on("data", (chunk) => {
            buf += String(chunk);
            const nl = buf.indexOf("\n");
            if (nl < 0)
                return;
            let req;
            try {
                req = JSON.parse(buf.slice(0, nl));
                if (!Array.isArray(req.argv) || !req.argv.every((a) => typeof a === "string"))
                    throw new Error("argv");
            }
            catch {
                socket.end(`${JSON.stringify({ code: 2, out: "", err: "error: a malformed request on the CLI socket\n" })}\n`);
                return;
            }
            // one command at a time: output is captured process-wide while it runs
            queue = queue.then(async () => {
                socket.end(`${JSON.stringify(await captured(svc, run, req.argv))}\n`);
            });
        });
        socket.on("error", () => { });
    });
    await new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(path, () => resolve());
    });
    chmodSync(path, 0o600);
    server.on("close", () => rmSync(path, { force: true }));
    return server;
}
async function captured(svc, run, argv) {
    let out = "";
    let err = "";
    const orig = { log: console.log, error: console.error, out: process.stdout.write, err: process.stderr.write, exitCode: process.exitCode };
    console.log = (...a) => void (out += `${a.map(String).join(" ")}\n`);
    console.error = (...a) => void (err += `${a.map(String).join(" ")}\n`);
    process.stdout.write = ((s) => ((out += String(s)), true));
    process.stderr.write = ((s) => ((err += String(s)), true));
    inApp = svc;
    try {
        const code = await run(argv);
        return { code, out, err };
    }
    catch (e) {
        return { code: 1, out, err: `${err}error: ${e.message}\n` };
    }
    finally {
        inApp = undefined;
        console.log = orig.log;
        console.error = orig.error;
        process.stdout.write = orig.out;
        process.stderr.write = orig.err;
        process.exitCode = orig.exitCode;
    }
}
/** Sends a command to the app holding the database; undefined if no app answers there. */
export async function sendToApp(path, argv) {
    if (!existsSync(path))
        return undefined;
    return new Promise((resolve) => {
        const socket = createConnection(path);
        let buf = "";
        socket.on("connect", () => socket.write(`${JSON.stringify({ argv })}\n`));
        socket.on("data", (c) => (buf += String(c)));
        socket.on("end", () => {
            try {
                resolve(JSON.parse(buf.trim()));
            }
            catch {
                resolve(undefined);
            }
        });
        socket.on("error", () => resolve(undefined));
    });
}
//# sourceMappingURL=cli-socket.js.map
// npm start: the API (and, with the worker, the whole service) in one process.
// With no DATABASE_URL it runs on the embedded PGlite under ./data.
import { openServices } from "./app/bootstrap.ts";
import { buildApp } from "./http/app.ts";

const opened = await openServices({ migrate: process.env.DRP_MIGRATE !== "false" });
const { svc, handle } = opened;
const app = await buildApp(svc, { ping: handle.ping });
const port = Number(process.env.PORT ?? 3000);
await app.listen({ port, host: process.env.HOST ?? "0.0.0.0" });
svc.log.info({ port, database: handle.where, authorities: [...svc.authorities.keys()] }, "drp-monitor API listening");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    svc.log.info({ signal }, "stopping");
    await app.close();
    await opened.close();
    process.exit(0);
  });
}

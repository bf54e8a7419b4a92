// An SMTP server in a process of its own for the lag benchmark, so that
// receiving mail does not compete with the worker for its CPU. Prints the
// port, then one line per message: the time it was taken (ms since epoch).
import { SMTPServer } from "smtp-server";

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onData(stream, _session, cb) {
    stream.on("data", () => {});
    stream.on("end", () => {
      process.stdout.write(`${Date.now()}\n`);
      cb();
    });
  },
});
server.on("error", () => {}); // a client resetting its connection is not ours to report
server.listen(0, "127.0.0.1", () => {
  const a = server.server.address();
  process.stdout.write(`port ${typeof a === "object" && a ? a.port : 0}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));

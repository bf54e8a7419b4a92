export function stopOnSignals(log, stop) {
    let stopping = false;
    for (const signal of ["SIGINT", "SIGTERM"])
        process.on(signal, () => {
            if (stopping) {
                log.warn({ signal }, "already stopping: finishing the emails being sent first (SIGKILL stops at once)");
                return;
            }
            stopping = true;
            log.info({ signal }, "stopping: no new work; finishing the emails being sent");
            void stop(signal);
        });
}
//# sourceMappingURL=signals.js.map
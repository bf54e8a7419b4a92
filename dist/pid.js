// Whether a process still runs (signal 0 checks without sending anything).
export function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=pid.js.map
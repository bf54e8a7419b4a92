// CPU time, from /proc (Linux), for what bounds a burst: the whole machine's
// busy time across every core, and a process with the processes it started.
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** Busy milliseconds of every core together since boot (user, nice, system, irq, softirq, steal). */
export function machineBusyMs(): number {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f;
  return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) * TICK_MS;
}

function stat(pid: number): { ppid: number; ms: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(f[1]), ms: (Number(f[11]) + Number(f[12])) * TICK_MS };
  } catch {
    return undefined;
  }
}

/** CPU milliseconds used so far by `pid` and every process under it that is still running. */
export function treeCpuMs(pid: number): number {
  const all = new Map<number, { ppid: number; ms: number }>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const s = stat(Number(d));
    if (s) all.set(Number(d), s);
  }
  let ms = 0;
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop()!;
    ms += all.get(p)?.ms ?? 0;
    for (const [c, s] of all) if (s.ppid === p) todo.push(c);
  }
  return ms;
}

export const cores = availableParallelism();

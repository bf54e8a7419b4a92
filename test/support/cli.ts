// Running `drp` in the test process, capturing what it prints and its exit code.
import { vi } from "vitest";
import { main } from "../../src/cli/main.ts";

export async function drp(...args: string[]) {
  let out = "";
  let err = "";
  const spies = [
    vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true)),
    vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true)),
    vi.spyOn(console, "log").mockImplementation((...a) => void (out += `${a.join(" ")}\n`)),
    vi.spyOn(console, "error").mockImplementation((...a) => void (err += `${a.join(" ")}\n`)),
  ];
  process.exitCode = undefined;
  try {
    const code = await main(args);
    return { code, out, err, json: () => JSON.parse(out) };
  } finally {
    process.exitCode = undefined;
    for (const s of spies) s.mockRestore();
  }
}

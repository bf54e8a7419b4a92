// Printing for the CLI: JSON for machines, aligned plain text for people.
export function printJson(value) {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
/** A plain table with a header row, columns padded to their widest cell. */
export function table(header, rows) {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells) => cells
        .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
        .join("  ")
        .trimEnd();
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
/** A usage mistake (bad flag value): exit code 2, like commander's own. */
export class UsageError extends Error {
    name = "UsageError";
}
export function parseWholeNumber(text, flag, min = 0) {
    if (!/^\d+$/.test(text) || Number(text) < min)
        throw new UsageError(`${flag} must be a whole number ≥ ${min}, got "${text}"`);
    return Number(text);
}
//# sourceMappingURL=output.js.map
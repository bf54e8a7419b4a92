// An email spells out each abbreviation it uses once, the first time it
// appears in the body: "Ivy Reviewer (Independent Reviewing Officer, IRO)".
// The heading and preheader stay short, as a subject does; the abbreviations
// come from the procedure's `terms.abbreviations` (src/domain/procedure/model.ts).
import type { Wording } from "./words.ts";

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const depth = (s: string) => [...s].reduce((n, c) => n + (c === "(" ? 1 : c === ")" ? -1 : 0), 0);

/** The body's text in reading order, each abbreviation spelled out at its first use (longest first: "CP Chair" before "CP"). */
export function spellOutOnce(t: Wording, abbreviations: Readonly<Record<string, string>>, names: readonly string[] = []): Wording {
  // names from the directory ("Birmingham IRO QA inbox") are theirs, not the procedure's words: left as they are
  const kept = [...new Set(names.filter((n) => n.length > 0))].sort((a, b) => b.length - a.length);
  // and so are words in quotation marks (a procedure's title, the holder's own instruction)
  const quoted: string[] = [];
  const mask = (s: string) =>
    kept
      .reduce((x, n, i) => x.replaceAll(n, `\uE000${i}\uE000`), s)
      .replace(/"[^"\n]*"|“[^”]*”/g, (q) => `\uE001${quoted.push(q) - 1}\uE001`);
  const unmask = (s: string) =>
    s.replace(/\uE001(\d+)\uE001/g, (_, i: string) => quoted[Number(i)]!).replace(/\uE000(\d+)\uE000/g, (_, i: string) => kept[Number(i)]!);
  const todo = new Map(Object.entries(abbreviations).sort(([a], [b]) => b.length - a.length));
  const all = [...t.paragraphs, ...(t.lists ?? []).flatMap((l) => [l.lead, ...l.items]), t.inset ?? ""].join("\n");
  // already spelled out by the text itself: "Head of Service (HoS)", "(Head of Service, HoS)", "QA Deputy Head of Service (QA DHoS)"
  for (const [abbr, full] of todo) {
    const bare = full.replace(/^the /i, "");
    if (new RegExp(`${escapeRe(bare)}(, | \\([^()]*\\b)${escapeRe(abbr)}\\b`, "i").test(all)) todo.delete(abbr);
  }
  const once = (s: string): string => {
    let out = mask(s);
    for (const [abbr, full] of [...todo]) {
      // a whole word: not inside a reference ("IRO-2026-1"), a plural ("IROs") or an address
      const word = new RegExp(`(?<![\\w@./-])(\\()?${escapeRe(abbr)}(\\))?(?![\\w@-])`, "g");
      for (const m of out.matchAll(word)) {
        const before = out.slice(0, m.index);
        const alone = Boolean(m[1] && m[2]); // "Ivy Reviewer (IRO)"
        // inside a parenthesis of other words ("(Corporate Director of CYPS)"), a second one would nest: wait for the next use
        if (!alone && depth(before) > 0) continue;
        // part of a name ("Cafcass Legal", "IRO Service Manager"): spelling it out there would break the name
        if (/^ [A-Z]/.test(out.slice(m.index + m[0].length))) continue;
        todo.delete(abbr);
        const atStart = before.length === 0 || /[.!?:]\s$/.test(before);
        const spelled = /\bthe $/i.test(before) ? full.replace(/^the /i, "") : atStart ? capital(full) : full;
        const replacement = alone ? `(${spelled.replace(/^the /i, "")}, ${abbr})` : `${m[1] ?? ""}${spelled} (${abbr})${m[2] ?? ""}`;
        out = before + replacement + out.slice(m.index + m[0].length);
        break;
      }
    }
    return unmask(out);
  };
  return {
    ...t,
    paragraphs: t.paragraphs.map(once),
    lists: t.lists?.map((l) => ({ lead: once(l.lead), items: l.items.map(once) })),
    inset: t.inset === undefined ? undefined : once(t.inset),
  };
}

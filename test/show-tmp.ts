import { authorities } from "../src/config/authorities.ts";
import { samplesAt } from "../src/mail/samples.ts";

const id = process.argv[2] ?? "birmingham";
const a = authorities().get(id)!;
for (const kind of ["delivery_failed", "recipient_away"] as const)
  for (const s of samplesAt(a, a.procedures.iro ?? a.procedures.cp!, Number(process.argv[3] ?? 1), { kind })) {
    console.log(`--- ${s.kind} ${s.audience}\n# ${s.view.heading}\n> ${s.view.preheader}`);
    for (const p of s.view.paragraphs) console.log(`  ${p}`);
    for (const l of s.view.lists) console.log(`  ${l.lead} ${l.items.map((i) => `\n   - ${i}`).join("")}`);
    console.log(`  [banners] ${s.view.banners.join(" | ")}\n  [source] ${s.view.source}`);
  }

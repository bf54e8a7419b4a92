// The outstanding list as CSV, in the tracker's columns and their order (the
// import's format, import-tracker): the spreadsheet can be retired either way,
// exported from here or imported into here. After the tracker's columns come
// those of the list itself, which the import reads past.
import { eventsByDispute, findDisputes } from "../db/queries/disputes.ts";
import type { Viewer } from "../domain/access.ts";
import { cell } from "../reports/csv.ts";
import { recordDownload } from "./access-trail.ts";
import type { Services } from "./context.ts";
import { type OutstandingFilter, outstanding, outstandingRow } from "./outstanding.ts";
import { LIST_COLUMNS, TRACKER_COLUMNS } from "./tracker-import.ts";

const CHUNK = 1_000;

/** The header, then a row a dispute, in the list's order; events are read a thousand disputes at a time. */
export async function* outstandingCsvRows(svc: Services, v: Viewer, f: OutstandingFilter): AsyncGenerator<string[]> {
  const list = await outstanding(svc, v, f, false);
  yield [...TRACKER_COLUMNS, ...LIST_COLUMNS];
  for (let i = 0; i < list.all.length; i += CHUNK) {
    const chunk = list.all.slice(i, i + CHUNK);
    const ids = chunk.map((r) => r.id);
    // in the access trail before any of it is written out
    const [events, full] = await Promise.all([
      eventsByDispute(svc.db, ids),
      findDisputes(svc.db, ids),
      recordDownload(svc.db, v, ids, svc.clock.now()),
    ]);
    const byId = new Map(full.map((d) => [d.id, d]));
    for (const listed of chunk) {
      const d = byId.get(listed.id);
      if (!d) continue; // closed and gone since the list was read
      const r = outstandingRow(list.authority, list.directory, d, list.today);
      const log = events.get(r.id) ?? [];
      const raised = log.find((e) => e.type === "raised");
      const entered = [...log].reverse().find((e) => e.type === "escalated") ?? raised;
      const since = (type: string) => log.find((e) => e.type === type && entered && e.seq > entered.seq);
      const timescale = (entered?.payload as { timescaleWorkingDays?: number } | undefined)?.timescaleWorkingDays;
      const raisedStage = (raised?.payload as { stage?: number } | undefined)?.stage ?? d.stage;
      const escalated = entered !== raised;
      const tracker: Record<(typeof TRACKER_COLUMNS)[number], string> = {
        authority: d.authorityId,
        procedure: d.procedure,
        child_ref: d.childRef,
        family_ref: d.familyRef ?? "",
        raised_by_name: d.raisedByName,
        raised_by_email: d.raisedByEmail,
        raised_by_role: d.raisedByRole,
        team: d.teamId,
        categories: d.categories.join(";"),
        other_category: d.otherCategory ?? "",
        summary: d.summary,
        raised_at: (raised?.at ?? d.raisedAt).toISOString(),
        raised_stage: String(raisedStage),
        timescale_working_days: timescale === undefined ? "" : String(timescale),
        current_stage: escalated ? String(d.stage) : "",
        stage_entered_at: escalated && entered ? entered.at.toISOString() : "",
        extended_until: since("extension_agreed") ? (d.respondBy ?? "") : "",
        response_recorded_at: since("response_recorded")?.at.toISOString() ?? "",
      };
      // typed text (a summary, a name) that a spreadsheet would run as a formula goes in with an apostrophe
      yield [
        ...TRACKER_COLUMNS.map((c) => cell(tracker[c])),
        r.reference,
        cell(r.stageLabel),
        cell(r.holder.people.map((p) => p.name).join("; ") || `nobody (${r.holder.label})`),
        r.holder.label,
        r.respondBy ?? "",
        r.workingDaysLeft === null ? "" : String(r.workingDaysLeft),
        r.overdue ? "yes" : "no",
        r.limit ? `${r.limit.day} of ${r.limit.of}` : "",
        r.limit?.ends ?? "",
      ];
    }
  }
}

// Sample emails for review (drp preview): a fictional dispute taken through
// the real state machine, planner, addressing and wording, so that what QA
// managers read is what people will receive.
import { existsSync, readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { parseIsoDate } from "../domain/calendar/dates.ts";
import { type Directory, directoryFileSchema, directoryFromFile } from "../domain/directory.ts";
import type { DisputeEvent } from "../domain/dispute/events.ts";
import { replay } from "../domain/dispute/state.ts";
import { planNotifications } from "../domain/planner.ts";
import { type Authority, firstFormalStage } from "../domain/procedure/model.ts";
import { failureDigestView } from "../queue/digest.ts";
import { referenceFor } from "../service/disputes.ts";
import { address } from "./addressing.ts";
import { composeEmail } from "./compose.ts";
import type { EmailKind, EmailView } from "./model.ts";

const RAISED = new Date("2026-11-02T10:00:00Z");
const LATER = new Date("2026-11-05T11:00:00Z");

export function demoDirectory(a: Authority): Directory {
  const file = new URL(`../../demo/directories/${a.id}.yaml`, import.meta.url);
  if (existsSync(file)) return directoryFromFile(directoryFileSchema.parse(parseDocument(readFileSync(file, "utf8")).toJS()));
  return { authority: a.id, people: new Map(), services: new Map(), teams: new Map(), roles: {} };
}

export function sampleEmail(a: Authority, kind: EmailKind): EmailView {
  const dir = demoDirectory(a);
  if (kind === "failure_digest") {
    const failures = [
      {
        kind: "overdue",
        recipientRole: "team_manager",
        key: `${a.id}-sample:s1:e0:overdue/team_manager`,
        reason: "gave up after 10 attempts: 550 mailbox unavailable",
        lastError: null,
        reference: referenceFor(a, 2026, 41),
      },
    ];
    return failureDigestView(a, failures, ["QA inbox"], parseIsoDate("2026-11-24"), "drp-monitor@example.org");
  }
  const p = a.procedures.iro ?? a.procedures.cp!;
  const stage = firstFormalStage(p);
  const by = p.raisedBy[0]!;
  const raised: DisputeEvent = {
    type: "raised",
    at: RAISED,
    stage: stage.stage,
    by,
    timescaleWorkingDays: "setBy" in stage.timescale ? 5 : undefined,
    confirmed: stage.requires.map((r) => r.id),
  };
  const events: DisputeEvent[] = [raised];
  if (kind === "extension_agreed") events.push({ type: "extension_agreed", at: LATER, until: parseIsoDate("2026-11-27") });
  if (kind === "closed") events.push({ type: "resolved", at: LATER });
  if (kind === "cafcass_referral") {
    if (!p.cafcass?.nominatedOfficers.length) throw new Error(`${a.name}'s ${p.name} names no nominated officer for Cafcass referrals`);
    events.push({ type: "referred_to_cafcass", at: LATER });
  }
  const r = replay({ authority: a, procedure: p }, events);
  if (!r.ok) throw r.error;
  const team = [...dir.teams.values()][0];
  const id = "00000000-0000-4000-8000-000000000042";
  const plan = planNotifications({ authority: a, procedure: p, state: r.state, disputeId: id, service: team?.service, now: RAISED });
  const n = plan.notifications.find((x) => x.kind === kind);
  if (!n) throw new Error(`no ${kind} email arises in the sample dispute for ${a.id}`);
  const dispute = {
    id,
    reference: referenceFor(a, 2026, 42),
    childRef: "ECL-123456",
    teamId: team?.id ?? "sample-team",
    teamName: team?.name,
    raisedByName: by === "iro" ? "Ivy Reviewer" : "Cora Chair",
    raisedByEmail: by === "iro" ? "ivy.reviewer@example.org" : "cora.chair@example.org",
    raisedByRole: by,
  };
  const addressed = address(a, dir, dispute, n.to[0]!, n.cc, p.qaInbox);
  return composeEmail({ authority: a, procedure: p, state: r.state, dispute, notification: n, addressed, now: n.at });
}

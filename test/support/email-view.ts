// A complete EmailView for the rendering tests and benchmark. Fictional people
// and references only, and never a child's name (the view has no field for one).
import type { EmailView } from "../../src/mail/model.ts";

export function sampleView(over: Partial<EmailView> = {}): EmailView {
  return {
    kind: "reminder",
    audience: "recipient",
    subject: "[OFFICIAL-SENSITIVE] Dispute BIR-2026-0042",
    preheader: "Respond to the IRO's dispute by Friday 13 March 2026",
    heading: "Respond to the dispute by Friday 13 March 2026",
    authorityName: "Example Borough Council",
    reference: "BIR-2026-0042",
    caseReference: "ECL-123456",
    caseUrl: "https://cases.example.org/record/ECL-123456?tab=plan&view=full",
    protectiveMarking: "OFFICIAL-SENSITIVE",
    recipient: { name: "Sam Taylor", role: "Case-holding Team Manager" },
    paragraphs: [
      "The Independent Reviewing Officer raised a dispute about this child's care plan on Monday 2 March 2026.",
      "You need to respond by Friday 13 March 2026.",
    ],
    lists: [{ lead: "A copy of this email was also sent to:", items: ["Alex Morgan, IRO Manager", "Quality assurance team"] }],
    inset: "If there is no response by Friday 13 March 2026, the IRO can escalate the dispute to stage 2.",
    banners: [],
    source: "Dispute Resolution Process, paragraph 4.2",
    instigator: { name: "Jordan Lee", email: "jordan.lee@example.org", role: "Independent Reviewing Officer" },
    footer: "You are getting this email because you are the Case-holding Team Manager for this child.",
    ...over,
  };
}

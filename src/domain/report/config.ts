// The reports an authority file asks for (`reports:`): which, how often, to
// whom, with which sections. The figures themselves are counted in count.ts.
import { z } from "zod";
import { PROCEDURE_IDS } from "../procedure/ids.ts";
import { ROLE_NAME } from "../procedure/roles.ts";

export const REPORT_SECTIONS = [
  /** raised, escalated, resolved and outstanding, informal against formal */
  "summary",
  /** disputes entering each stage, by month (and contact with Cafcass), with a bar chart */
  "by_month_and_stage",
  "by_category",
  /** by team: children, families, disputes and categories */
  "by_team",
  /** how long each stage took against its timescale: median and share on time */
  "timeliness",
  /** the summary for the same period a year earlier, beside this one */
  "last_year",
  /** every dispute open at the end of the period, with days open */
  "outstanding",
  /** every dispute step in the period: date, dispute, step, who ("Dispute steps this quarter") */
  "action_log",
  /** the actions SLT agreed, open in the period or closed in it, with their progress (a slt_actions register: Newham §10) */
  "slt_actions",
  /** good practice recorded in the period, by team and by procedure, and the list (a good_practice register: WF §1.2, §11.1) */
  "good_practice",
  /** an empty "Comments and issues in relation to the Dispute Resolution Process", for the service managers (Newham Appendix 1) */
  "comments",
  /** statutory reviews and conferences held, ratings, decisions agreed by default */
  "reviews",
] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

const roleName = z.string().regex(ROLE_NAME, "a role is a lower_snake_case name such as qa_inbox");

export const reportSchema = z.strictObject({
  id: z.string().regex(ROLE_NAME, "a report id is lower_snake_case"),
  name: z.string().min(1),
  every: z.enum(["month", "quarter"]),
  /** who the report is for; held at authority level in the directory */
  to: z.array(roleName).min(1),
  copied: z.array(roleName).default([]),
  /** the procedures it covers, each counted separately; all of the authority's when absent */
  procedures: z.array(z.enum(PROCEDURE_IDS)).min(1).optional(),
  sections: z.array(z.enum(REPORT_SECTIONS)).min(1),
  /**
   * Each person who holds an outstanding dispute's stage (its recipient) is
   * sent their own list of what they hold (WF §7 "Advise operational managers
   * of outstanding alerts on a monthly basis").
   */
  holders: z.strictObject({ source: z.string().min(1) }).optional(),
  source: z.string().min(1, "say which paragraph of the source document asks for this report"),
});

export type ReportConfig = z.infer<typeof reportSchema>;

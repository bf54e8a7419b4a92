// A step's form shown again after a refusal: the error summary, each field's
// message, and what the person had typed. The link pages and the signed-in
// pages show the same form (templates/pages/action.njk).
import type { Issue } from "../service/errors.ts";

export function formAgain(issues: Issue[], raw: Record<string, unknown>) {
  const text = (k: string) => (typeof raw[k] === "string" ? raw[k] : undefined);
  return {
    // the date's message belongs to its first box
    errors: issues.map((i) => ({ text: i.message, href: i.field ? `#${i.field === "date" ? "date-day" : i.field}` : undefined })),
    fieldErrors: Object.fromEntries(issues.filter((i) => i.field).map((i) => [i.field, { text: i.message }])),
    values: {
      note: text("note"),
      timescale: text("timescale"),
      day: text("date-day"),
      month: text("date-month"),
      year: text("date-year"),
    },
  };
}

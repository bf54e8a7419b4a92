// The kinds of email a review's deadlines send (plan.ts says when).
export const REVIEW_KINDS = ["review_due", "review_reminder", "review_overdue", "review_agreed"] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

// SLT's Action Log (Newham §10: "Any necessary actions should be identified
// and agreed at that meeting and an Action Log maintained. At subsequent
// meetings identified actions should be reviewed and progress recorded."):
// which actions a period's report shows, and how each stood at its end.
import type { IsoDate } from "../calendar/dates.ts";

export const ACTION_STATUSES = ["open", "done", "dropped"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export interface Progress {
  on: IsoDate;
  note: string;
}

export interface SltAction {
  reference: string;
  action: string;
  owner: string;
  agreedOn: IsoDate;
  dueOn: IsoDate | null;
  status: ActionStatus;
  closedOn: IsoDate | null;
  progress: readonly Progress[];
}

/** An action as the report shows it: as it stood at the period's end. */
export interface ReportedAction extends Omit<SltAction, "progress"> {
  /** the progress recorded by the period's end */
  progress: Progress[];
  /** still open at the period's end: it goes on to the next meeting */
  carriedForward: boolean;
  /** open at the period's end with its due date before then */
  overdue: boolean;
}

export interface SltActionsSection {
  name: string;
  source: string;
  actions: ReportedAction[];
  /** how the period's actions stood at its end */
  open: number;
  done: number;
  dropped: number;
  /** agreed in the period */
  agreed: number;
}

type Span = { from: IsoDate; to: IsoDate };

/** How an action stood at the end of a day: a closing recorded later had not happened yet. */
export function statusOn(a: Pick<SltAction, "status" | "closedOn">, day: IsoDate): ActionStatus {
  return a.status !== "open" && a.closedOn !== null && a.closedOn <= day ? a.status : "open";
}

/** Open at any time in the period, or closed in it: agreed by its end and not closed before it began. */
export function inPeriod(a: Pick<SltAction, "agreedOn" | "closedOn" | "status">, p: Span): boolean {
  return a.agreedOn <= p.to && (a.status === "open" || a.closedOn === null || a.closedOn >= p.from);
}

export function sltActionsSection(cfg: { name: string; source: string }, rows: readonly SltAction[], p: Span): SltActionsSection {
  const actions = rows
    .filter((a) => inPeriod(a, p))
    .map((a): ReportedAction => {
      const status = statusOn(a, p.to);
      return {
        reference: a.reference,
        action: a.action,
        owner: a.owner,
        agreedOn: a.agreedOn,
        dueOn: a.dueOn,
        status,
        closedOn: status === "open" ? null : a.closedOn,
        progress: a.progress.filter((x) => x.on <= p.to),
        carriedForward: status === "open",
        overdue: status === "open" && a.dueOn !== null && a.dueOn < p.to,
      };
    })
    .sort((x, y) => (x.agreedOn < y.agreedOn ? -1 : x.agreedOn > y.agreedOn ? 1 : x.reference < y.reference ? -1 : 1));
  const count = (s: ActionStatus) => actions.filter((a) => a.status === s).length;
  return {
    name: cfg.name,
    source: cfg.source,
    actions,
    open: count("open"),
    done: count("done"),
    dropped: count("dropped"),
    agreed: actions.filter((a) => a.agreedOn >= p.from).length,
  };
}

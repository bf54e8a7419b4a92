// The good-practice register (WF §1.2: IROs and CP Chairs "recognise and
// report on good practice by individuals or teams"; §11.1 "register … good
// practice with business support to be recorded on database"): what a
// period's report counts, by team and by procedure, and lists.
import type { IsoDate } from "../calendar/dates.ts";
import type { ProcedureId } from "../procedure/model.ts";

export const GOOD_PRACTICE_ABOUT = ["individual", "team"] as const;
/** noticed by IROs and CP Chairs in their work on children's plans (§1.2); not under a concern about a chair (§1.6) */
export const GOOD_PRACTICE_PROCEDURES = ["iro", "cp"] as const satisfies readonly ProcedureId[];
export type GoodPracticeProcedure = (typeof GOOD_PRACTICE_PROCEDURES)[number];
export const isGoodPracticeProcedure = (id: string): id is GoodPracticeProcedure =>
  (GOOD_PRACTICE_PROCEDURES as readonly string[]).includes(id);
export type GoodPracticeAbout = (typeof GOOD_PRACTICE_ABOUT)[number];

export interface GoodPracticeEntry {
  reference: string;
  noticedOn: IsoDate;
  procedure: GoodPracticeProcedure;
  /** the team's directory id */
  team: string;
  about: GoodPracticeAbout;
  disputeReference: string | null;
  /** the child's case reference, never a name */
  childRef: string | null;
  description: string;
  /** the IRO or CP Chair who noticed it */
  noticedBy: string;
}

export interface GoodPracticeSection {
  name: string;
  source: string;
  total: number;
  byProcedure: { procedure: ProcedureId; name: string; count: number }[];
  /** teams with an entry in the period, by name */
  byTeam: { team: string; name: string; aboutAnIndividual: number; aboutTheTeam: number; count: number }[];
  /** the period's entries, oldest first, each with its team's name */
  list: (GoodPracticeEntry & { teamName: string })[];
}

export interface GoodPracticeContext {
  name: string;
  source: string;
  /** the procedures counted (each by its name), in order */
  procedures: readonly { id: ProcedureId; name: string }[];
  /** team id → name */
  teams: ReadonlyMap<string, string>;
}

type Span = { from: IsoDate; to: IsoDate };

/** Entries noticed in the period (every entry given, without one), of the procedures counted. */
export function goodPracticeSection(cx: GoodPracticeContext, rows: readonly GoodPracticeEntry[], p?: Span): GoodPracticeSection {
  const counted = new Set<ProcedureId>(cx.procedures.map((x) => x.id));
  const mine = rows
    .filter((e) => counted.has(e.procedure) && (!p || (e.noticedOn >= p.from && e.noticedOn <= p.to)))
    .sort((x, y) => (x.noticedOn < y.noticedOn ? -1 : x.noticedOn > y.noticedOn ? 1 : x.reference < y.reference ? -1 : 1));
  const nameOf = (team: string) => cx.teams.get(team) ?? team;
  const byTeam = [...new Set(mine.map((e) => e.team))]
    .map((team) => {
      const theirs = mine.filter((e) => e.team === team);
      const individual = theirs.filter((e) => e.about === "individual").length;
      return { team, name: nameOf(team), aboutAnIndividual: individual, aboutTheTeam: theirs.length - individual, count: theirs.length };
    })
    .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return {
    name: cx.name,
    source: cx.source,
    total: mine.length,
    byProcedure: cx.procedures.map((x) => ({ procedure: x.id, name: x.name, count: mine.filter((e) => e.procedure === x.id).length })),
    byTeam,
    list: mine.map((e) => ({ ...e, teamName: nameOf(e.team) })),
  };
}

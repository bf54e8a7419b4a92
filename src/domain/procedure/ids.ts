// The procedures an authority file may hold (its own module: the procedure,
// report and input schemas all name them): the IRO's and the CP Chair's
// disputes about a child's plan, and a concern about an IRO's or CP Chair's
// own performance (WF §1.6).
export const PROCEDURE_IDS = ["iro", "cp", "performance"] as const;
export type ProcedureId = (typeof PROCEDURE_IDS)[number];

export function isProcedureId(id: string): id is ProcedureId {
  return (PROCEDURE_IDS as readonly string[]).includes(id);
}

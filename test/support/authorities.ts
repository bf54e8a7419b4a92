// The shipped authority files, loaded once for the unit tests.
import { getAuthority } from "../../src/config/authorities.ts";
import type { Authority, Procedure, ProcedureId } from "../../src/domain/procedure/model.ts";

export function authority(id: string): Authority {
  return getAuthority(id);
}

export function procedure(id: string, p: ProcedureId = "iro"): { authority: Authority; procedure: Procedure } {
  const a = getAuthority(id);
  const proc = a.procedures[p];
  if (!proc) throw new Error(`${id} has no ${p} procedure`);
  return { authority: a, procedure: proc };
}

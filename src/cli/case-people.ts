// The child's own social worker and their line manager, named on a dispute or
// a review by their directory ids (Gloucestershire ¶3–4).
import type { Command } from "commander";

export function casePeopleOptions(c: Command): Command {
  return c
    .option("--social-worker <person>", "the child's social worker: a person id in the directory")
    .option("--line-manager <person>", "the social worker's line manager: a person id in the directory");
}

export function casePeopleOf(o: { socialWorker?: string; lineManager?: string }): Record<string, string> | undefined {
  const named = {
    ...(o.socialWorker ? { social_worker: o.socialWorker } : {}),
    ...(o.lineManager ? { social_worker_line_manager: o.lineManager } : {}),
  };
  return Object.keys(named).length ? named : undefined;
}

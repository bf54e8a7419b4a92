import type { Command } from "commander";
import { longDate, parseIsoDate } from "../../domain/calendar/dates.ts";
import { parseWholeNumber, printJson, table, UsageError } from "../output.ts";

export function calendarCommands(program: Command): void {
  const calendar = program.command("calendar").description("working-day arithmetic on an authority's calendar");

  calendar
    .command("add")
    .description("the date N working (or calendar) days after a date, by the project's counting rules")
    .requiredOption("--authority <id>", "authority id, e.g. birmingham")
    .requiredOption("--from <date>", "start date YYYY-MM-DD (day 0)")
    .option("--working-days <n>", "working days to add: the N-th working day strictly after --from")
    .option("--calendar-days <n>", "calendar days to add, moved to the next working day if need be")
    .option("--json", "print JSON")
    .action(async (o: { authority: string; from: string; workingDays?: string; calendarDays?: string; json?: boolean }) => {
      const a = await authority(o.authority);
      const from = parseIsoDate(o.from, "--from");
      if ((o.workingDays === undefined) === (o.calendarDays === undefined)) {
        throw new UsageError("give exactly one of --working-days or --calendar-days");
      }
      const date =
        o.workingDays !== undefined
          ? a.calendar.addWorkingDays(from, parseWholeNumber(o.workingDays, "--working-days"))
          : a.calendar.addCalendarDays(from, parseWholeNumber(o.calendarDays!, "--calendar-days"));
      if (o.json) printJson({ date });
      else console.log(`${longDate(date)} (${date})`);
    });

  calendar
    .command("holidays")
    .description("bank holidays and closure days the authority treats as non-working in a year")
    .requiredOption("--authority <id>", "authority id")
    .requiredOption("--year <yyyy>", "year")
    .option("--json", "print JSON")
    .action(async (o: { authority: string; year: string; json?: boolean }) => {
      const a = await authority(o.authority);
      const days = a.calendar.nonWorkingDays(parseWholeNumber(o.year, "--year", 1));
      if (o.json) {
        printJson({ holidays: days.map((d) => d.date) });
        return;
      }
      console.log(`${a.name}: days off in ${o.year} (weekdays only)\n`);
      console.log(
        table(
          ["Date", "Day", "Why"],
          days.map((d) => [d.date, longDate(d.date).split(" ")[0]!, d.kind === "closure" ? `${d.name} (closure)` : d.name]),
        ),
      );
    });
}

/** The authority's file, loaded when a command runs (not for `drp --help`). */
async function authority(id: string) {
  const { getAuthority } = await import("../../config/authorities.ts");
  return getAuthority(id);
}

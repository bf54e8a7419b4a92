// The two counting rules a timescale can be in (its own module: both the
// procedure and the review schemas use it).
import { z } from "zod";
export const dayUnit = z.enum(["working_days", "calendar_days"]);
//# sourceMappingURL=units.js.map
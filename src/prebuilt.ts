// What `npm run build` prepares beside the code, so that the app starts fast
// and small: MJML's output for the email templates (the app then loads no
// MJML), the bank holidays of every covered year (no date-holidays), and an
// empty embedded database (a first start then loads it instead of running
// initdb, some 5 s and 300 MB). Each is used only while it matches: the
// templates by a hash of their files, the others by their package's version.
import { BUILT_BANK_HOLIDAYS, writeBuiltBankHolidays } from "./config/bank-holidays.ts";
import { emptyDatabaseFile, writeEmptyDatabase } from "./db/client.ts";
import { BUILT_TEMPLATES, writeBuiltTemplates } from "./mail/render.ts";

const files = await writeBuiltTemplates();
console.log(`${files.join(", ")} compiled to ${BUILT_TEMPLATES}`);
writeBuiltBankHolidays();
console.log(`bank holidays written to ${BUILT_BANK_HOLIDAYS}`);
await writeEmptyDatabase();
console.log(`an empty embedded database written to ${emptyDatabaseFile()}`);

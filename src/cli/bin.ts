#!/usr/bin/env node
// The drp command: `npm run drp -- <command>`, or the drp bin (dist/cli/bin.js).
import { ownerOnlyFromNow } from "../app/private-files.ts";
import { main } from "./main.ts";

ownerOnlyFromNow(); // the files a command writes (a preview, a database it opens) are its owner's
process.exitCode = await main(process.argv.slice(2));

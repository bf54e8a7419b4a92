// What the app keeps on disk is its owner's alone: the data folder (the
// embedded database, the private Redis, the link secret) and the outbox folder,
// whose emails carry working links. Folders 700, files 600.
import { chmodSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
/** For the files a process writes from now on: no group or other bits. */
export function ownerOnlyFromNow() {
    process.umask(0o077);
}
/** A folder only its owner may enter (made if missing, tightened if it exists). */
export function privateFolder(dir) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
}
/**
 * Takes group and other bits off everything under `dir`. PGlite writes its
 * files 666 whatever the umask (its file system sets the mode itself), so the
 * embedded database is tightened when it is opened and when it is closed; its
 * folders are 700 in between, so nobody else can reach a file it adds.
 */
export function ownerOnlyTree(dir) {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(e.parentPath ?? dir, e.name);
        if (e.isDirectory()) {
            chmodSync(path, 0o700);
            ownerOnlyTree(path);
        }
        else if (e.isFile())
            chmodSync(path, 0o600);
    }
}
//# sourceMappingURL=private-files.js.map
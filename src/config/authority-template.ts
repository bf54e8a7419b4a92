// `drp authorities new <id> --from national`: a new authority's file, copied
// from a template with everything an email needs filled in (its name, the
// reference prefix, the protective marking, the case-record link), and checked
// as the app will check it before it is written.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, isScalar, parseDocument } from "yaml";
import { compileAuthority } from "../domain/procedure/model.ts";
import { authoritiesDir } from "./authorities.ts";

export interface NewAuthority {
  id: string;
  /** the name people know the authority by, in every email */
  name: string;
  /** the template to start from: an authority file's id (national) */
  from: string;
  /** dispute references are <prefix>-<year>-<number> */
  referencePrefix?: string;
  /** "https://records.example.gov.uk/child/{childRef}" */
  caseRecordUrl?: string;
  protectiveMarking?: string;
  dir?: string;
}

/** "LEEDS" from "leeds", "NYK" from "north-yorkshire": the id's letters, up to six. */
export function prefixFor(id: string): string {
  const words = id.split("-").filter(Boolean);
  const p = words.length > 1 ? words.map((w) => w[0]).join("") : id;
  return p
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 6)
    .toUpperCase()
    .padEnd(2, "X");
}

/** The new file's text; throws (naming the field) if it would not load. */
export function newAuthorityText(n: NewAuthority, templateText: string, file: string): string {
  const doc = parseDocument(templateText);
  // the template's own heading ("copy it to <id>.yaml…") gives way to the new file's
  const first = isMap(doc.contents) ? doc.contents.items[0] : undefined;
  if (first && isScalar(first.key)) first.key.commentBefore = undefined;
  doc.commentBefore = ` ${n.name}: the dispute resolution procedure, from the ${n.from} template.\n Replace each stage's recipient, copied roles and timescale with your own document's,\n citing its paragraphs (source:) and naming it (documentName), and list your\n closure days. Checked by:\n npm run drp -- authorities validate ${file}`;
  doc.set("id", n.id);
  doc.set("name", n.name);
  // documentName stays the template's ("national standards") until the stages cite the authority's own document
  doc.set("template", false);
  // beside the subject prefix, where the other authorities' files keep them
  let at = isMap(doc.contents) ? doc.contents.items.findIndex((p) => isScalar(p.key) && p.key.value === "subjectPrefix") + 1 : 0;
  const put = (key: string, value: string) => {
    if (doc.has(key)) doc.set(key, value);
    else if (isMap(doc.contents) && at > 0) doc.contents.items.splice(at++, 0, doc.createPair(key, value));
    else doc.set(key, value);
  };
  put("referencePrefix", n.referencePrefix ?? prefixFor(n.id));
  put("protectiveMarking", n.protectiveMarking ?? "OFFICIAL-SENSITIVE");
  if (n.caseRecordUrl) put("caseRecordUrl", n.caseRecordUrl);
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  compileAuthority(parseDocument(text).toJS(), file);
  return text;
}

/** Writes authorities/<id>.yaml from the template; never over an existing file. */
export function writeNewAuthority(n: NewAuthority): { file: string; warnings: string[] } {
  const dir = n.dir ?? authoritiesDir();
  const file = join(dir, `${n.id}.yaml`);
  if (existsSync(file)) throw new Error(`${file} already exists: edit it, or choose another id`);
  const from = join(dir, `${n.from}.yaml`);
  if (!existsSync(from)) throw new Error(`no template ${from}`);
  const text = newAuthorityText(n, readFileSync(from, "utf8"), file);
  writeFileSync(file, text, { flag: "wx" });
  const warnings = n.caseRecordUrl
    ? []
    : ["no --case-record-url: the emails will carry no link to the child's case record until caseRecordUrl is set"];
  return { file, warnings };
}

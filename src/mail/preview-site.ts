// `drp preview --all`: every email every authority can send, in every
// audience, as files a QA manager can open: DIR/<authority>/<procedure>/
// <kind>-s<stage>-<audience>.html and .txt, and DIR/index.html linking them.
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Authority } from "../domain/procedure/model.ts";
import type { Renderer } from "./render.ts";
import { allSamples, failureDigestSample, type Sample, signInSample } from "./samples.ts";

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

export function previewPath(s: Pick<Sample, "authority" | "procedure" | "kind" | "stage" | "audience">): string {
  return join(s.authority, s.procedure, `${s.kind}-s${s.stage}-${s.audience}`);
}

/** Writes the files an email shows by Content-ID beside it, and points its HTML at them. */
export function withFiles(dir: string, file: string, html: string, files: Sample["files"] = []): string {
  let out = html;
  for (const f of files) {
    const name = `${basename(file)}-${f.name}`;
    writeFileSync(join(dir, dirname(file), name), f.content);
    out = out.replaceAll(`cid:${f.cid}`, name);
  }
  return out;
}

/** Writes every sample; returns how many emails were written. */
export function writeAllPreviews(dir: string, authorities: Authority[], renderer: Pick<Renderer, "render">, extra: Sample[] = []): number {
  const rows: string[] = [];
  let written = 0;
  for (const a of authorities) {
    const samples = allSamples(a);
    const digest: Sample = {
      authority: a.id,
      procedure: "all",
      stage: 0,
      kind: "failure_digest" as const,
      audience: "recipient" as const,
      view: failureDigestSample(a),
    };
    const signIn: Sample = { ...digest, kind: "sign_in_link", view: signInSample(a) };
    for (const s of [...samples, digest, signIn, ...extra.filter((x) => x.authority === a.id)]) {
      const file = previewPath(s);
      mkdirSync(join(dir, s.authority, s.procedure), { recursive: true });
      const { html, text } = renderer.render(s.view);
      writeFileSync(join(dir, `${file}.html`), withFiles(dir, file, html, s.files));
      writeFileSync(join(dir, `${file}.txt`), text);
      written += 1;
      rows.push(
        `<tr><td>${escapeHtml(a.name)}</td><td>${s.procedure}</td><td>${s.stage}</td><td>${s.kind.replaceAll("_", " ")}</td><td>${s.audience}</td><td><a href="${escapeHtml(file)}.html">${escapeHtml(s.view.heading)}</a> · <a href="${escapeHtml(file)}.txt">text</a></td></tr>`,
      );
    }
  }
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>drp-monitor: every email</title>
<style>body{font-family:sans-serif;font-size:16px;margin:2em}table{border-collapse:collapse}th,td{text-align:left;padding:.3em .6em;border-bottom:1px solid #ccc;vertical-align:top}</style>
<h1>Every email, as each person receives it</h1><p>${written} emails: each kind, at each stage of each procedure, in the version its recipient, the people copied and the instigator read.</p>
<table><thead><tr><th>Authority</th><th>Procedure</th><th>Stage</th><th>Kind</th><th>Audience</th><th>Email</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table></html>`,
  );
  return written;
}

// The pages' templates and styles: govuk-frontend's own Nunjucks components
// and CSS, with the app's layouts (templates/pages) and one small stylesheet
// of its own (templates/static/drp.css), served under /assets/. Shared by the
// link pages (/act) and the signed-in pages.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import nunjucks from "nunjucks";
import { appPath } from "../paths.ts";

const require = createRequire(import.meta.url);
const GOVUK = dirname(require.resolve("govuk-frontend/package.json"));

/** Every page is private to its reader: never kept by a cache. */
export const PAGE_HEADERS = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" };

export function pageEnvironment(): nunjucks.Environment {
  return new nunjucks.Environment(new nunjucks.FileSystemLoader([appPath("templates", "pages"), join(GOVUK, "dist")]), {
    autoescape: true,
  });
}

export type Render = (reply: FastifyReply, status: number, name: string, model: object) => FastifyReply;

export function renderer(env: nunjucks.Environment): Render {
  return (reply, status, name, model) => reply.code(status).headers(PAGE_HEADERS).send(env.render(name, model));
}

/**
 * govuk-frontend's CSS and images, and drp.css. Not its fonts: GDS Transport
 * is GOV.UK's own typeface, and a service that is not on GOV.UK does not use it.
 */
export async function serveAssets(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: [join(GOVUK, "dist/govuk/assets"), join(GOVUK, "dist/govuk"), appPath("templates", "static")],
    prefix: "/assets/",
    allowedPath: (path) => /^\/(govuk-frontend\.min\.css|drp\.css|images\/[\w.-]+\.(svg|png|ico)|manifest\.json)$/.test(path),
    maxAge: 86_400_000,
    index: false,
    list: false,
  });
}

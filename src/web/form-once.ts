// A question page's form acts once: sent twice (a double click, a refresh, the
// back button), it answers with what the first sending recorded. Its one-use
// id, made when the page was shown, is kept in the idempotency store in the
// same transaction as what it records; a refusal frees it, so that the
// corrected form can be sent again.

import type { Db } from "../db/client.ts";
import type { Viewer } from "../domain/access.ts";
import { ConflictError, InputError } from "../service/errors.ts";
import { onceFor, type StoredAnswer } from "../service/idempotency.ts";
import { newSecret } from "../service/sessions.ts";
import type { Pages } from "./pages.ts";

const FORM_ID = /^[A-Za-z0-9_-]{40,64}$/;

/** The id a shown form carries: the one it was sent with, where it has one, or a new one. */
export const formIdFor = (sent?: string): string => (sent && FORM_ID.test(sent) ? sent : newSecret());

export async function submitOnce<T>(
  pages: Pages,
  viewer: Viewer,
  page: string,
  formId: string,
  /** the field an error about the form itself is shown at */
  field: string,
  run: (keep: (tx: Db, answer: T) => Promise<void>) => Promise<void>,
): Promise<T> {
  if (!FORM_ID.test(formId)) throw new InputError(field, "Open the form again: this one was not sent from its page");
  const stored = await once(
    pages.svc,
    viewer.authorityId,
    `page:${page}:${formId}`,
    `POST /${page} ${viewer.email}`,
    async (store) => {
      let answer: StoredAnswer | undefined;
      await run(async (tx, body) => {
        answer = { status: 201, body };
        await store(tx, answer);
      });
      return answer!;
    },
    () => undefined,
  );
  return stored.body as T;
}

/** The idempotency store's own refusals, in the page's words: the same form sent twice at once. */
async function once(...args: Parameters<typeof onceFor>): Promise<StoredAnswer> {
  try {
    return await onceFor(...args);
  } catch (e) {
    if (e instanceof ConflictError && (e.code === "concurrent_step" || e.code === "idempotency_key_reused"))
      throw new ConflictError(e.code, "This form is being sent already. Wait a moment, then refresh the page to see what it recorded.");
    throw e;
  }
}

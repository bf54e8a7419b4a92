// Errors the service layer raises, and the HTTP status each one means.
import type { TransitionError } from "../domain/dispute/errors.ts";

export interface Issue {
  field: string;
  message: string;
}

/** Bad input, naming each field at fault: 400. */
export class InputError extends Error {
  override name = "InputError";
  readonly issues: Issue[];
  constructor(
    readonly field: string,
    message: string,
    more: Issue[] = [],
  ) {
    super([{ field, message }, ...more].map((i) => `${i.field}: ${i.message}`).join("; "));
    this.issues = [{ field, message }, ...more];
  }

  /** Every problem at once, rather than the first. */
  static all(issues: Issue[]): InputError {
    if (!issues.length) throw new Error("InputError.all needs at least one issue");
    return new InputError(issues[0]!.field, issues[0]!.message, issues.slice(1));
  }
}

/** Not there, or not this authority's: 404 either way, so ids leak nothing. */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}

/** The step cannot be taken now: 409 with the reason. */
export class ConflictError extends Error {
  override name = "ConflictError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  static from(e: TransitionError): ConflictError {
    return new ConflictError(e.code, e.message);
  }
}

export class AuthError extends Error {
  override name = "AuthError";
}

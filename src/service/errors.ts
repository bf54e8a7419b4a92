// Errors the service layer raises, and the HTTP status each one means.
import type { TransitionError } from "../domain/dispute/errors.ts";

/** Bad input, naming the field: 400. */
export class InputError extends Error {
  override name = "InputError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
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

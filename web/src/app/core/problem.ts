import { AbstractControl, FormGroup } from '@angular/forms';
import type { components } from '../api/schema';

/** A problem document (RFC 9457), as every API error is answered. */
export type Problem = components['schemas']['Problem'];

/** An API call that failed: its HTTP status and problem document. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? `HTTP ${status}`);
  }
}

/**
 * Whether a request was refused (a 4xx problem): nothing was recorded, so
 * a create's next attempt takes a new `Idempotency-Key`. A network failure
 * or a 5xx may have been recorded, and keeps the key for its replay.
 */
export function refused(e: unknown): boolean {
  return e instanceof ApiProblem && e.status >= 400 && e.status < 500;
}

/** What openapi-fetch resolves to. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}

/**
 * The data of a successful call; throws [`ApiProblem`] with the problem
 * document otherwise, or with status 0 when the server could not be reached.
 */
export async function call<T>(request: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await request;
  } catch {
    throw new ApiProblem(0, null);
  }
  if (result.response.ok) return result.data as T;
  throw new ApiProblem(result.response.status, isProblem(result.error) ? result.error : null);
}

/** A sentence for people about what went wrong. */
export function describe(error: unknown): string {
  if (error instanceof ApiProblem) {
    const detail = error.problem?.detail;
    switch (error.status) {
      case 0:
        return 'The server could not be reached. Check the connection and try again.';
      case 401:
        return 'Your session has ended. Please sign in again.';
      case 403:
        return `Not allowed: ${detail ?? 'your role cannot do this.'}`;
      case 404:
        return `Not found: ${detail ?? 'it may have been removed.'}`;
      case 409:
        return `Someone changed this meanwhile: ${detail ?? 'reload and try again.'}`;
      case 429:
        return `Too many attempts: ${detail ?? 'wait a little and try again.'}`;
      default:
        return detail ?? error.problem?.title ?? `The server answered ${error.status}.`;
    }
  }
  return 'Something went wrong. Please try again.';
}

/**
 * Puts each of a 422's field errors (`errors[].field`, `detail`) on the
 * form control of that name as the `api` error, so the message shows next
 * to the field; returns the messages of fields the form does not have.
 */
export function applyFieldErrors(form: FormGroup, error: unknown): string[] {
  if (!(error instanceof ApiProblem) || !error.problem?.errors?.length) return [];
  const rest: string[] = [];
  for (const fieldError of error.problem.errors) {
    const control: AbstractControl | null = form.get(fieldError.field);
    if (control) {
      control.setErrors({ ...(control.errors ?? {}), api: fieldError.detail });
      control.markAsTouched();
    } else {
      rest.push(`${fieldError.field}: ${fieldError.detail}`);
    }
  }
  return rest;
}

/**
 * The message to show above a form after a failed submit: field errors go
 * next to their fields ([`applyFieldErrors`]), so this says to look there,
 * and lists only what the form has no field for; other failures are
 * described in full.
 */
export function formMessage(form: FormGroup, error: unknown): string {
  const rest = applyFieldErrors(form, error);
  if (rest.length) return rest.join(' ');
  if (error instanceof ApiProblem && error.problem?.errors?.length) return 'Please correct the fields marked in red.';
  return describe(error);
}

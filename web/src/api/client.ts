import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { clearSession, currentToken } from '../auth/session';

export interface FieldProblem {
  field: string;
  message: string;
}

/** A refused request, with the server's own (Chinese) explanation. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Routes whose 401 means something other than an expired session. */
const OWN_401 = new Set(['/api/v1/auth/login', '/api/v1/auth/logout']);

/** Every request of the console goes through this client, typed by the server's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '' });

api.use({
  onRequest({ request }) {
    const token = currentToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response, schemaPath }) {
    // A token the server no longer accepts ends the session; the app shows the sign-in page.
    if (response.status === 401 && !OWN_401.has(schemaPath)) clearSession('expired');
    return response;
  },
});

interface Outcome<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

function toError(response: Response, error: unknown): ApiError {
  const body = (typeof error === 'object' && error !== null ? error : {}) as {
    message?: unknown;
    details?: unknown;
  };
  const message =
    typeof body.message === 'string' && body.message
      ? body.message
      : typeof error === 'string' && error && !error.startsWith('<')
        ? error
        : `请求失败（${response.status}）`;
  const details = Array.isArray(body.details) ? (body.details as FieldProblem[]) : [];
  return new ApiError(response.status, message, details);
}

/** The body of a successful response; a refusal becomes an ApiError carrying the server's message. */
export function unwrap<D>(outcome: Outcome<D>): D {
  if (outcome.error !== undefined || !outcome.response.ok) {
    throw toError(outcome.response, outcome.error);
  }
  return outcome.data as D;
}

type Untyped<D> = [D] extends [undefined] ? true : [D] extends [never] ? true : false;

/**
 * For the routes whose OpenAPI document does not describe the response body yet: the caller
 * names the type. Once the server documents the body, this stops compiling and `unwrap` takes over.
 */
export function unwrapAs<T, D = undefined>(
  outcome: Outcome<D> & (Untyped<D> extends true ? unknown : { documented: 'use unwrap()' }),
): T {
  return unwrap(outcome) as unknown as T;
}

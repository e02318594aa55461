import createClient, { type Middleware } from 'openapi-fetch';
import { auth } from '../auth';
import type { components, paths } from './schema';

/** The API's models, exactly as the server's OpenAPI document declares them. */
export type Schemas = components['schemas'];
export type Table = Schemas['Table'];
export type Field = Schemas['Field'];
export type Task = Schemas['Task'];
export type NewTask = Schemas['NewTaskInput'];
export type TaskPatch = Schemas['TaskPatchInput'];
export type Execution = Schemas['Execution'];
export type ExecutionStats = Schemas['ExecutionStats'];
export type StreamStatus = Schemas['StreamStatus'];
export type LineageGraphWire = Schemas['LineageGraph'];
export type LineageImpact = Schemas['LineageImpact'];
export type LineageEdgeWire = Schemas['LineageEdge'];
export type SqlLineage = Schemas['SqlLineage'];
export type Layer = Table['layer'];

/** One problem with one field, as the API reports it in `details.issues`. */
export interface FieldIssue {
  readonly in?: string;
  readonly field: string;
  readonly message: string;
}

/** An error answer of the API: `{statusCode, code, error, message, details?}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details ?? {};
  }
  /** The fields the API named as wrong (validation errors), empty otherwise. */
  get issues(): FieldIssue[] {
    const raw = this.details['issues'];
    return Array.isArray(raw) ? (raw as FieldIssue[]) : [];
  }
  /** The message for one field, when the API named it. */
  issueFor(field: string): string | undefined {
    return this.issues.find((i) => i.field === field || i.field.startsWith(`${field}.`))?.message;
  }
}

function readCookie(name: string): string | undefined {
  if (typeof document === 'undefined') return undefined;
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * Sends same-origin cookies (the session), a CSRF header on writes when the server set its
 * cookie, and a pasted token as `Authorization: Bearer`; a 401 opens the sign-in page.
 */
const authMiddleware: Middleware = {
  onRequest({ request }) {
    const token = auth.token;
    if (token && !request.headers.has('authorization')) {
      request.headers.set('authorization', `Bearer ${token}`);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const csrf = readCookie('dataportal_csrf');
      if (csrf) request.headers.set('x-csrf-token', csrf);
    }
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) auth.requireSignIn();
    return response;
  },
};

/** The typed client of the DataPortal API (same origin, generated types). */
export const api = createClient<paths>({
  baseUrl: typeof location === 'undefined' ? 'http://localhost' : location.origin,
  credentials: 'same-origin',
  // Look fetch up on every call (tests replace it).
  fetch: (input: Request) => globalThis.fetch(input),
});
api.use(authMiddleware);

/**
 * Unwraps an openapi-fetch answer: the data, or an {@link ApiError} with the API's message.
 *
 * @param p - the pending call
 * @returns the response body
 */
export async function unwrap<T>(
  p: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await p;
  } catch (err) {
    throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : String(err));
  }
  if (r.response.ok) return r.data as T;
  const e = (r.error ?? {}) as Partial<Schemas['Error']>;
  throw new ApiError(
    e.statusCode ?? r.response.status,
    e.code ?? 'HTTP_ERROR',
    e.message ?? `${r.response.status} ${r.response.statusText}`,
    e.details,
  );
}

/**
 * Reads every page of a cursor-paged list.
 *
 * @param page - fetches one page for a cursor
 * @param max - stop after this many items
 * @returns the items
 */
export async function allPages<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; next_cursor: string | null }>,
  max = 10_000,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const r = await page(cursor);
    out.push(...r.items);
    cursor = r.next_cursor ?? undefined;
  } while (cursor && out.length < max);
  return out;
}

/** The message to show for anything thrown by an API call. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

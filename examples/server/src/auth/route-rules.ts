import type { Role } from '@dataportal/sdk';

/**
 * What a route needs from its caller:
 * - `public`: nothing (health, sign-in);
 * - `callback`: the callback secret or HMAC signature, or a developer's token;
 * - `user`: any signed-in user (their own tokens and session);
 * - a role: at least that role, and with `owner` also ownership of the task or table named
 *   by the request (admins pass every ownership check).
 */
export type RouteRule =
  | { readonly access: 'public' }
  | { readonly access: 'callback' }
  | { readonly access: 'user' }
  | {
      readonly access: 'role';
      readonly role: Role;
      /** Ownership check: the entity and where its id is in the request. */
      readonly owner?: {
        readonly entity: 'task' | 'table';
        readonly from: 'params.id' | 'body.task_id';
      };
    };

const PUBLIC: RouteRule = { access: 'public' };
const CALLBACK: RouteRule = { access: 'callback' };
const USER: RouteRule = { access: 'user' };
const VIEWER: RouteRule = { access: 'role', role: 'viewer' };
const DEVELOPER: RouteRule = { access: 'role', role: 'developer' };
const ADMIN: RouteRule = { access: 'role', role: 'admin' };
const OWN_TASK: RouteRule = {
  access: 'role',
  role: 'developer',
  owner: { entity: 'task', from: 'params.id' },
};
const OWN_STREAM_TASK: RouteRule = {
  access: 'role',
  role: 'developer',
  owner: { entity: 'task', from: 'body.task_id' },
};
const OWN_TABLE: RouteRule = {
  access: 'role',
  role: 'developer',
  owner: { entity: 'table', from: 'params.id' },
};

/**
 * The one table of who may call what, keyed `METHOD /path/{param}` as the OpenAPI document
 * lists routes. The app refuses to start when a route has no rule here, and the route × role
 * matrix test walks the OpenAPI document against this table.
 */
export const ROUTE_RULES: Readonly<Record<string, RouteRule>> = {
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,

  'POST /api/v1/session': PUBLIC,
  'GET /api/v1/session': USER,
  'DELETE /api/v1/session': USER,
  'GET /api/v1/tokens': USER,
  'POST /api/v1/tokens': USER,
  'DELETE /api/v1/tokens/{id}': USER,
  'GET /api/v1/users': ADMIN,
  'POST /api/v1/users': ADMIN,
  'GET /api/v1/audit': ADMIN,

  'GET /api/v1/tables': VIEWER,
  'POST /api/v1/tables': DEVELOPER,
  'GET /api/v1/tables/{id}': VIEWER,
  'PATCH /api/v1/tables/{id}': OWN_TABLE,
  'POST /api/v1/tables/{id}/deprecate': OWN_TABLE,
  'GET /api/v1/tables/{id}/fields': VIEWER,
  'PUT /api/v1/tables/{id}/fields': OWN_TABLE,

  'GET /api/v1/tasks': VIEWER,
  'POST /api/v1/tasks': DEVELOPER,
  'GET /api/v1/tasks/{id}': VIEWER,
  'PATCH /api/v1/tasks/{id}': OWN_TASK,
  'DELETE /api/v1/tasks/{id}': OWN_TASK,
  'POST /api/v1/tasks/{id}/publish': OWN_TASK,
  'POST /api/v1/tasks/{id}/online': OWN_TASK,
  'POST /api/v1/tasks/{id}/offline': OWN_TASK,
  'POST /api/v1/tasks/{id}/unpublish': OWN_TASK,
  'POST /api/v1/tasks/{id}/run': OWN_TASK,
  'GET /api/v1/tasks/{id}/executions': VIEWER,
  'GET /api/v1/tasks/{id}/stats': VIEWER,
  'GET /api/v1/tasks/{id}/lineage-check': VIEWER,

  'POST /api/v1/tasks/callback': CALLBACK,
  'POST /api/v1/callbacks/dolphin': CALLBACK,

  'POST /api/v1/tasks/stream/start': OWN_STREAM_TASK,
  'POST /api/v1/tasks/stream/stop': OWN_STREAM_TASK,
  'POST /api/v1/tasks/stream/restart': OWN_STREAM_TASK,
  'GET /api/v1/tasks/stream/status': VIEWER,

  'GET /api/v1/executions': VIEWER,
  'GET /api/v1/executions/{id}': VIEWER,
  'GET /api/v1/executions/{id}/log': VIEWER,
  'POST /api/v1/executions/{id}/refresh': DEVELOPER,

  'GET /api/v1/lineage': VIEWER,
  'GET /api/v1/lineage/impact': VIEWER,
  'GET /api/v1/lineage/path': VIEWER,
  'GET /api/v1/lineage/violations': VIEWER,
  'GET /api/v1/lineage/edges': VIEWER,
  'GET /api/v1/lineage/diff': VIEWER,
  'GET /api/v1/lineage/drift': VIEWER,
  'POST /api/v1/lineage/edges': DEVELOPER,
  'DELETE /api/v1/lineage/edges/{id}': DEVELOPER,
  // OpenLineage producers (Spark, Airflow, Flink agents) send a developer's token as their
  // transport's api key: events write observed edges, draft tables and executions.
  'POST /api/v1/openlineage': DEVELOPER,
  'POST /api/v1/openlineage/batch': DEVELOPER,
  // Analysis only: it reads SQL and writes nothing.
  'POST /api/v1/sql/lineage': VIEWER,

  'GET /api/v1/datasources': VIEWER,
  'POST /api/v1/datasources': ADMIN,
  'GET /api/v1/datasources/{id}': VIEWER,
  'PUT /api/v1/datasources/{id}': ADMIN,
  'DELETE /api/v1/datasources/{id}': ADMIN,
  'POST /api/v1/datasources/{id}/sync': ADMIN,
};

/**
 * Routes outside the API that need no rule: the OpenAPI document, the interactive docs, the
 * sign-in page and the web app's static files (all hidden from the OpenAPI document).
 *
 * @param path - the route path as registered
 * @returns true for those routes
 */
export function isUndocumentedPublicPath(path: string): boolean {
  return (
    path === '/openapi.json' ||
    path === '/docs' ||
    path.startsWith('/docs/') ||
    path === '/login' ||
    path === '/login.js' ||
    // The web app's static files (its pages ask the API, which checks every call).
    path === '/' ||
    path === '/*' ||
    path === '*'
  );
}

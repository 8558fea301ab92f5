import http from 'http';
import { qualifiedResourceOf, statusDetailsOf } from '../resourceTypes';
import { Route } from './routing';

/** The identity the demo's token stands for, as RBAC messages name it. */
export const DEMO_USER = 'system:serviceaccount:backstage:model-deployments';

/** A failure as the API server reports it: a `Status` object. */
export function status(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** What a real API server says when RBAC denies `verb` on a route. */
export function forbidden(route: Route, verb: string, user: string) {
  const { type, namespace, name } = route;
  const scope = namespace
    ? `in the namespace "${namespace}"`
    : 'at the cluster scope';
  return status(
    403,
    'Forbidden',
    `${qualifiedResourceOf(type)}${
      name ? ` "${name}"` : ''
    } is forbidden: User "${user}" cannot ${verb} resource "${
      type.plural
    }" in API group "${type.group}" ${scope}`,
    statusDetailsOf(type, name),
  );
}

export function sendJson(
  res: http.ServerResponse,
  code: number,
  body: unknown,
) {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * A path nothing serves, e.g. a kind whose CRD is not installed: the API
 * server answers plain text here, not a Status.
 */
export function pageNotFound(res: http.ServerResponse) {
  res.writeHead(404, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end('404 page not found\n');
}

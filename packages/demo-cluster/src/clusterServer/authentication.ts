import http from 'http';
import { DemoResourceType } from '../resourceTypes';
import { readVerbOf, routeOf } from './routing';
import { forbidden, sendJson, status } from './statuses';

/**
 * Checks the bearer token, when the server has one. Answers the request and
 * returns false when it may not go on.
 */
export function authenticate(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  token: string | undefined,
  resourceTypes: DemoResourceType[],
): boolean {
  if (!token) return true;
  const auth = req.headers.authorization;
  // No credentials at all is the anonymous user, whom RBAC then denies.
  if (auth === undefined) {
    anonymous(req, res, url, resourceTypes);
    return false;
  }
  if (auth !== `Bearer ${token}`) {
    sendJson(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    return false;
  }
  return true;
}

/** A request without credentials: authenticated as anonymous, denied by RBAC. */
function anonymous(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  resourceTypes: DemoResourceType[],
) {
  const route = routeOf(url.pathname, resourceTypes);
  const verb = req.method === 'POST' ? 'create' : undefined;
  sendJson(
    res,
    403,
    route
      ? forbidden(route, verb ?? readVerbOf(route, url), 'system:anonymous')
      : status(
          403,
          'Forbidden',
          `forbidden: User "system:anonymous" cannot ${(
            req.method ?? 'get'
          ).toLowerCase()} path "${url.pathname}"`,
          {},
        ),
  );
}

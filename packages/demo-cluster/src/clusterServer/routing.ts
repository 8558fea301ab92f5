import { DemoResourceType } from '../resourceTypes';

/** What a request's path names: a collection, or one object in it. */
export interface Route {
  type: DemoResourceType;
  namespace?: string;
  name?: string;
}

/**
 * Resolves `/api/<version>/...` and `/apis/<group>/<version>/...` to one of
 * `resourceTypes`; undefined for anything else, including subresources and
 * kinds whose CRD is not installed.
 */
export function routeOf(
  pathname: string,
  resourceTypes: DemoResourceType[],
): Route | undefined {
  const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group = '';
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 2) {
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 3) {
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, ...extra] = rest;
  if (!plural || extra.length) {
    return undefined;
  }
  const type = resourceTypes.find(
    t => t.group === group && t.version === version && t.plural === plural,
  );
  if (!type || (namespace !== undefined && !type.namespaced)) {
    return undefined;
  }
  return { type, namespace, name };
}

export function isWatchRequest(url: URL) {
  const watch = url.searchParams.get('watch');
  return watch === 'true' || watch === '1';
}

/** RBAC's verb for a read: get one object, or list or watch a collection. */
export function readVerbOf(route: Route, url: URL) {
  if (route.name) return 'get';
  return isWatchRequest(url) ? 'watch' : 'list';
}

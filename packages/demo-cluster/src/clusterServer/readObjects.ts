import http from 'http';
import {
  LabelRequirement,
  matchesLabelSelector,
  parseLabelSelector,
} from '@seed-mlops/plugin-model-deployments-common';
import { StoredObject } from '../ObjectStore';
import {
  NAMESPACES,
  apiVersionOf,
  isCustomResource,
  qualifiedResourceOf,
  statusDetailsOf,
} from '../resourceTypes';
import { isWatchRequest, readVerbOf, routeOf } from './routing';
import { ServerState } from './serverState';
import {
  DEMO_USER,
  forbidden,
  pageNotFound,
  sendJson,
  status,
} from './statuses';
import { OpenWatches, watch } from './watch';

/** What `/version` answers. */
const VERSION_INFO = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0-demo',
  platform: 'model-deployments-demo',
};

/**
 * `GET` of `/version`, of one object, or of a collection: a list, or a
 * watch when asked for; a `labelSelector` narrows both.
 */
export function readObjects(
  server: ServerState,
  openWatches: OpenWatches,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
) {
  const { store, options, requestCounts } = server;
  if (url.pathname === '/version') {
    sendJson(res, 200, VERSION_INFO);
    return;
  }
  const route = routeOf(url.pathname, server.resourceTypes);
  if (!route) {
    pageNotFound(res);
    return;
  }
  const namespace =
    route.namespace ?? (route.type === NAMESPACES ? route.name : undefined);
  if (namespace && options.forbiddenNamespaces?.includes(namespace)) {
    sendJson(res, 403, forbidden(route, readVerbOf(route, url), DEMO_USER));
    return;
  }
  let selector: LabelRequirement[];
  try {
    selector = parseLabelSelector(url.searchParams.get('labelSelector') ?? '');
  } catch (e) {
    sendJson(
      res,
      400,
      status(
        400,
        'BadRequest',
        `unable to parse requirement: ${(e as Error).message}`,
      ),
    );
    return;
  }
  if (route.name && route.type !== NAMESPACES) {
    requestCounts.get++;
    const object = store.get(route.type, route.namespace, route.name);
    if (!object) {
      sendJson(
        res,
        404,
        status(
          404,
          'NotFound',
          `${qualifiedResourceOf(route.type)} "${route.name}" not found`,
          statusDetailsOf(route.type, route.name),
        ),
      );
    } else {
      sendJson(res, 200, object);
    }
    return;
  }
  if (route.name) {
    requestCounts.get++;
    const object = store.get(route.type, undefined, route.name);
    sendJson(
      res,
      object ? 200 : 404,
      object ??
        status(
          404,
          'NotFound',
          `namespaces "${route.name}" not found`,
          statusDetailsOf(NAMESPACES, route.name),
        ),
    );
    return;
  }
  const matches = (o: StoredObject) =>
    (route.namespace === undefined ||
      o.metadata.namespace === route.namespace) &&
    matchesLabelSelector(selector, o.metadata.labels);
  if (isWatchRequest(url)) {
    requestCounts.watch++;
    watch(server, openWatches, req, res, {
      type: route.type,
      matches,
      params: url.searchParams,
    });
    return;
  }
  requestCounts.list++;
  sendJson(res, 200, {
    apiVersion: apiVersionOf(route.type),
    kind: `${route.type.kind}List`,
    metadata: {
      resourceVersion: String(store.currentRevision),
      // Lists served by a CRD say there is no next page.
      ...(isCustomResource(route.type) ? { continue: '' } : {}),
    },
    items: store.list(route.type, route.namespace).filter(matches),
  });
}

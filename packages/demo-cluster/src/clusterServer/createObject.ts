import http from 'http';
import {
  NAMESPACES,
  apiVersionOf,
  qualifiedResourceOf,
  statusDetailsOf,
} from '../resourceTypes';
import { invalidName, nameProblem } from './names';
import { routeOf } from './routing';
import { ServerState } from './serverState';
import {
  DEMO_USER,
  forbidden,
  pageNotFound,
  sendJson,
  status,
} from './statuses';

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a JSON body of at most 1 MiB. */
async function readJsonBody(req: http.IncomingMessage): Promise<any> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * `POST` to a collection creates the object, with the API server's
 * answers: 201, 409 AlreadyExists, 404 for a missing namespace, 400 or
 * 422 for a malformed object, 403 in a forbidden namespace.
 */
export async function createObject(
  server: ServerState,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
) {
  const { store, options } = server;
  const route = routeOf(url.pathname, server.resourceTypes);
  if (!route) {
    pageNotFound(res);
    return;
  }
  if (route.name) {
    sendJson(
      res,
      405,
      status(405, 'MethodNotAllowed', 'POST goes to a collection'),
    );
    return;
  }
  let object: any;
  try {
    object = await readJsonBody(req);
  } catch (e) {
    sendJson(res, 400, status(400, 'BadRequest', (e as Error).message));
    return;
  }
  const { type } = route;
  if (object?.kind !== type.kind || object?.apiVersion !== apiVersionOf(type)) {
    sendJson(
      res,
      400,
      status(
        400,
        'BadRequest',
        `the API version in the data (${object?.apiVersion}) or kind (${
          object?.kind
        }) does not match ${apiVersionOf(type)} ${type.kind}`,
      ),
    );
    return;
  }
  const name = object.metadata?.name;
  const problem =
    typeof name === 'string' && name
      ? nameProblem(type, name)
      : 'Required value: name or generateName is required';
  if (problem) {
    sendJson(res, 422, invalidName(type, name, problem));
    return;
  }
  const namespace = route.namespace;
  if (
    namespace &&
    object.metadata.namespace &&
    object.metadata.namespace !== namespace
  ) {
    sendJson(
      res,
      400,
      status(
        400,
        'BadRequest',
        'the namespace of the provided object does not match the namespace sent on the request',
      ),
    );
    return;
  }
  const target = namespace ?? (type === NAMESPACES ? name : undefined);
  if (target && options.forbiddenNamespaces?.includes(target)) {
    sendJson(res, 403, forbidden(route, 'create', DEMO_USER));
    return;
  }
  if (namespace && !store.get(NAMESPACES, undefined, namespace)) {
    sendJson(
      res,
      404,
      status(
        404,
        'NotFound',
        `namespaces "${namespace}" not found`,
        statusDetailsOf(NAMESPACES, namespace),
      ),
    );
    return;
  }
  if (store.get(type, namespace, name)) {
    sendJson(
      res,
      409,
      status(
        409,
        'AlreadyExists',
        `${qualifiedResourceOf(type)} "${name}" already exists`,
        statusDetailsOf(type, name),
      ),
    );
    return;
  }
  server.requestCounts.create++;
  const { status: _ignored, ...spec } = object;
  const created = store.apply(type, {
    ...spec,
    metadata: { ...object.metadata, ...(namespace ? { namespace } : {}) },
  });
  sendJson(res, 201, created);
}

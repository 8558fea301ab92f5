import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { useCallback } from 'react';

type RouteFunc = (params: {
  namespace: string;
  kind: string;
  name: string;
}) => string;

/**
 * Returns a function that links an entity ref to its catalog page, through
 * the catalog's entity route when the app mounts it, else
 * `/catalog/<namespace>/<kind>/<name>`.
 */
export function useEntityLink(): (entityRef: string) => string {
  let route: RouteFunc | undefined;
  try {
    // Always called: useRouteRef runs all its hooks before it can throw (when
    // the app does not mount the catalog), so catching keeps the hook order.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    route = useRouteRef(entityRouteRef);
  } catch {
    route = undefined;
  }
  return useCallback(
    (entityRef: string) => {
      const ref = parseEntityRef(entityRef, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      });
      const params = {
        namespace: encodeURIComponent(ref.namespace.toLocaleLowerCase('en-US')),
        kind: encodeURIComponent(ref.kind.toLocaleLowerCase('en-US')),
        name: encodeURIComponent(ref.name),
      };
      return route
        ? route(params)
        : `/catalog/${params.namespace}/${params.kind}/${params.name}`;
    },
    [route],
  );
}

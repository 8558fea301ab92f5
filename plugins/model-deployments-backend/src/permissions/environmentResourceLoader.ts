import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { parseModelEnvironmentResourceRef } from '@seed-mlops/plugin-model-deployments-common';
import { ModelEnvironmentResource } from '@seed-mlops/plugin-model-deployments-node';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';

/**
 * Loads the resources the permission backend names when it applies
 * conditional decisions (e.g. for the frontend's `usePermission`): the
 * environment, and the model entity when the ref names one. Unknown
 * environments or entities load as `undefined`, which no condition allows.
 */
export function environmentResourceLoader(deps: {
  environments: EnvironmentRegistry;
  catalog: CatalogService;
  auth: AuthService;
}) {
  return async (
    resourceRefs: string[],
  ): Promise<Array<ModelEnvironmentResource | undefined>> => {
    const refs = resourceRefs.map(parseModelEnvironmentResourceRef);
    const entityRefs = [
      ...new Set(refs.flatMap(r => (r.entityRef ? [r.entityRef] : []))),
    ];
    const entities = new Map<string, Entity | undefined>();
    if (entityRefs.length > 0) {
      // The decision is about the model's owner, which the caller may not be
      // allowed to look up themselves; the plugin reads it as itself.
      const { items } = await deps.catalog.getEntitiesByRefs(
        { entityRefs },
        { credentials: await deps.auth.getOwnServiceCredentials() },
      );
      entityRefs.forEach((ref, i) => entities.set(ref, items[i]));
    }
    const environments = deps.environments.list();
    return refs.map(({ environment: name, entityRef }) => {
      const environment = environments.find(e => e.name === name);
      if (!environment) return undefined;
      if (!entityRef) return { environment };
      const entity = entities.get(entityRef);
      return entity ? { environment, entity } : undefined;
    });
  };
}

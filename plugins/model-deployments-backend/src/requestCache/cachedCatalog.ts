import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { PerCallerCache } from './PerCallerCache';

/**
 * The catalog as the read views use it: an entity, or the list of models,
 * as each caller may see them, kept for `ttlMs` (the catalog's own checks
 * still decide what each caller gets). Every other method goes straight
 * to the catalog; promotions and permission checks use the catalog itself.
 */
export function cachedCatalog(
  catalog: CatalogService,
  ttlMs: number,
): CatalogService {
  const entities = new PerCallerCache<
    Awaited<ReturnType<CatalogService['getEntityByRef']>>
  >({ ttlMs });
  const lists = new PerCallerCache<
    Awaited<ReturnType<CatalogService['getEntities']>>
  >({ ttlMs });
  const getEntityByRef: CatalogService['getEntityByRef'] = (ref, options) =>
    entities.get(
      options.credentials,
      typeof ref === 'string' ? ref : stringifyEntityRef(ref),
      () => catalog.getEntityByRef(ref, options),
    );
  const getEntities: CatalogService['getEntities'] = (request, options) =>
    lists.get(options.credentials, JSON.stringify(request ?? {}), () =>
      catalog.getEntities(request, options),
    );
  return new Proxy(catalog, {
    get(target, property) {
      if (property === 'getEntityByRef') return getEntityByRef;
      if (property === 'getEntities') return getEntities;
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

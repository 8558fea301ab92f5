import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CATALOG_FILTER_EXISTS,
  EntityFilterQuery,
} from '@backstage/catalog-client';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EnvironmentStatus,
  FleetModel,
  FleetResponse,
  MODEL_DEPLOYMENTS_NAME_ANNOTATION,
  MODEL_DEPLOYMENTS_SELECTOR_ANNOTATION,
} from '@seed-mlops/plugin-model-deployments-common';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { EnvironmentCheck } from '@seed-mlops/plugin-model-deployments-node';
import { DeploymentReader } from './DeploymentReader';
import { LiveUpdates } from '../live/LiveUpdates';
import { EntityMatcher, entityMatcher } from './entityMatcher';
import { FleetRows } from './FleetRows';
import { FreezeWindows } from '../promotion/freeze/FreezeWindows';
import { environmentResult, notPermitted } from './environmentResult';

/** Catalog entities the fleet page shows: model components and anything annotated for us. */
const FLEET_FILTER: EntityFilterQuery = [
  { kind: 'component', 'spec.type': 'model' },
  {
    [`metadata.annotations.${MODEL_DEPLOYMENTS_NAME_ANNOTATION}`]:
      CATALOG_FILTER_EXISTS,
  },
  {
    [`metadata.annotations.${MODEL_DEPLOYMENTS_SELECTOR_ANNOTATION}`]:
      CATALOG_FILTER_EXISTS,
  },
];

function relationRef(
  value: unknown,
  defaultKind: string,
  namespace: string,
): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: namespace }),
    );
  } catch {
    return undefined;
  }
}

function fleetModelOf(entity: Entity): Omit<FleetModel, 'deployments'> {
  const namespace = entity.metadata.namespace ?? 'default';
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const owner = relationRef(spec.owner, 'group', namespace);
  const system = relationRef(spec.system, 'system', namespace);
  return {
    entityRef: stringifyEntityRef(entity),
    title: entity.metadata.title ?? entity.metadata.name,
    ...(owner ? { owner } : {}),
    ...(system ? { system } : {}),
    ...(typeof spec.lifecycle === 'string'
      ? { lifecycle: spec.lifecycle }
      : {}),
  };
}

/** `localeCompare`'s order, without building a collator per comparison. */
const byTitle = new Intl.Collator();

const NOTHING: EntityMatcher = Object.assign(() => false, { rule: '' });

/** Every model × every environment, for the fleet page. */
export class FleetView {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      environments: EnvironmentRegistry;
      live?: LiveUpdates;
      freezes?: FreezeWindows;
    },
    private readonly reader: DeploymentReader,
  ) {}

  private readonly rows = new FleetRows();

  /**
   * Every model the caller may see in the catalog, with its deployments in
   * every environment `canRead` allows for that model. One pass over the
   * cache per environment. An environment whose status the caller may not
   * see (no model readable there) is marked NOT_PERMITTED.
   */
  async fleet(
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<FleetResponse> {
    const { items } = await this.deps.catalog.getEntities(
      { filter: FLEET_FILTER },
      { credentials },
    );
    const models = items.map(entity => {
      const model: FleetModel = { ...fleetModelOf(entity), deployments: [] };
      try {
        const matches = entityMatcher(entity);
        this.deps.live?.observe(model.entityRef, matches);
        return { entity, model, matches };
      } catch (e) {
        model.problem = (e as Error).message;
        return { entity, model, matches: undefined };
      }
    });
    const environments: EnvironmentStatus[] = [];
    const resolved = this.deps.environments.resolve();
    for (const env of resolved.environments) {
      const readable = models.filter(({ entity, model }) => {
        if (canRead({ environment: env, entity })) return true;
        model.notPermitted = [...(model.notPermitted ?? []), env.name];
        return false;
      });
      if (readable.length === 0 && !canRead({ environment: env })) {
        const { deployments: _none, ...status } = notPermitted(
          env,
          'model deployments',
        );
        environments.push(status);
        continue;
      }
      const read = await this.reader.read(env);
      // Matching nothing: the environment's status without any deployments.
      const { deployments: _none, ...status } = environmentResult(
        env,
        read.snapshots,
        NOTHING,
        read.desired,
      );
      const frozen = this.deps.freezes?.frozen(env.name);
      environments.push(frozen ? { ...status, frozen } : status);
      const matchers = readable.flatMap(m => (m.matches ? [m.matches] : []));
      const rows = this.rows.rowsOf(env, read, matchers);
      for (const { model, matches } of readable) {
        if (matches) model.deployments.push(...(rows.get(matches.rule) ?? []));
      }
    }
    this.rows.retain(resolved.environments.map(e => e.name));
    return {
      environments,
      ...(resolved.skipped.length ? { skipped: resolved.skipped } : {}),
      models: models
        .map(m => m.model)
        .sort(
          (a, b) =>
            byTitle.compare(a.title, b.title) ||
            byTitle.compare(a.entityRef, b.entityRef),
        ),
    };
  }
}

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { EntityDeploymentsResponse } from '@seed-mlops/plugin-model-deployments-common';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { EnvironmentCheck } from '@seed-mlops/plugin-model-deployments-node';
import { DeploymentReader } from './DeploymentReader';
import { LiveUpdates } from '../live/LiveUpdates';
import { entityMatcher } from './entityMatcher';
import { notPermitted } from './environmentResult';
import { FreezeWindows } from '../promotion/freeze/FreezeWindows';

/** One model across the environments: its page, and where the caller may see it. */
export class EntityView {
  constructor(
    private readonly deps: {
      environments: EnvironmentRegistry;
      live?: LiveUpdates;
      freezes?: FreezeWindows;
    },
    private readonly reader: DeploymentReader,
  ) {}

  /**
   * The entity's deployments in every environment; those `canRead` refuses
   * are marked NOT_PERMITTED and not read at all.
   */
  async deployments(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<EntityDeploymentsResponse> {
    const entity = await this.reader.entityOf(entityRef, credentials);
    const matches = entityMatcher(entity);
    this.deps.live?.observe(stringifyEntityRef(entityRef), matches);
    const environments = await Promise.all(
      this.deps.environments.list().map(async env => {
        const column = canRead({ environment: env, entity })
          ? await this.reader.environmentDeployments(env, matches)
          : notPermitted(env, "this model's deployments");
        const frozen = this.deps.freezes?.frozen(env.name);
        return frozen ? { ...column, frozen } : column;
      }),
    );
    return {
      entityRef: stringifyEntityRef(entityRef),
      environments,
    };
  }

  /**
   * The names of the environments where `canRead` lets the caller see the
   * model; undefined when it allows every environment, even past ones.
   */
  async readableEnvironments(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<string[] | undefined> {
    const entity = await this.reader.entityOf(entityRef, credentials);
    if (canRead.everywhere) return undefined;
    return this.deps.environments
      .list()
      .filter(environment => canRead({ environment, entity }))
      .map(e => e.name);
  }
}

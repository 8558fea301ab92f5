import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { EnvironmentGitState } from '@seed-mlops/plugin-model-deployments-common';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { GitOpsService } from '../gitops/GitOpsService';
import { EnvironmentCheck } from '@seed-mlops/plugin-model-deployments-node';
import { DeploymentReader } from './DeploymentReader';

/** Fetches environments' GitOps repositories on request, for those the caller may read. */
export class GitRefresher {
  constructor(
    private readonly deps: {
      environments: EnvironmentRegistry;
      gitops?: GitOpsService;
    },
    private readonly reader: DeploymentReader,
  ) {}

  /**
   * Fetches the GitOps repositories of one environment, or of all, now.
   * Resolves to their Git state after the fetch.
   */
  async refresh(
    request: { environment?: string; entityRef?: CompoundEntityRef },
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<Array<{ environment: string; git: EnvironmentGitState }>> {
    const gitops = this.deps.gitops;
    const entity = request.entityRef
      ? await this.reader.entityOf(request.entityRef, credentials)
      : undefined;
    const requested = request.environment
      ? [this.reader.environmentNamed(request.environment)]
      : this.deps.environments.list();
    const environments = requested.filter(environment =>
      canRead({ environment, entity }),
    );
    if (request.environment && environments.length === 0) {
      throw new NotAllowedError(
        `You may not refresh environment '${request.environment}'`,
      );
    }
    if (!gitops) return [];
    const states = await Promise.all(
      environments.map(async env => ({
        environment: env.name,
        git: await gitops.refreshEnvironment(env),
      })),
    );
    return states.flatMap(({ environment: name, git }) =>
      git ? [{ environment: name, git }] : [],
    );
  }
}

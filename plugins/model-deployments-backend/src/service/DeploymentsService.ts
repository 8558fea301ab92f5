import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DeploymentHistoryResponse,
  EntityDeploymentsResponse,
  Environment,
  EnvironmentGitState,
  EnvironmentsResponse,
  FleetResponse,
} from '@seed-mlops/plugin-model-deployments-common';
import { ModelResourceCache } from '../cache/ModelResourceCache';
import { GitOpsService } from '../gitops/GitOpsService';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import {
  EnvironmentCheck,
  ModelDeploymentsService,
} from '@seed-mlops/plugin-model-deployments-node';
import { DeploymentHistory } from './DeploymentHistory';
import { DeploymentReader } from './DeploymentReader';
import { LiveUpdates } from '../live/LiveUpdates';
import { EntityView } from './EntityView';
import { FleetView } from './FleetView';
import { FreezeWindows } from '../promotion/freeze/FreezeWindows';
import { GitRefresher } from './GitRefresher';
import { PromotionSource, promotionSources } from './promotionSources';

export type { PromotionSource } from './promotionSources';

/**
 * Answers the read API from the environment registry and the watch cache:
 * one model's page, the fleet page, deployment history and Git refreshes,
 * and what a promotion copies.
 */
export class DeploymentsService implements ModelDeploymentsService {
  private readonly reader: DeploymentReader;
  private readonly entityView: EntityView;
  private readonly fleetView: FleetView;
  private readonly history: DeploymentHistory;
  private readonly gitRefresher: GitRefresher;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      environments: EnvironmentRegistry;
      cache: ModelResourceCache;
      gitops?: GitOpsService;
      /** Longest a page view waits for a repository's first fetch. */
      gitWaitMs?: number;
      /** Told which models pages show, to signal their changes. */
      live?: LiveUpdates;
      /** Which environments are frozen now, for their columns. */
      freezes?: FreezeWindows;
    },
  ) {
    this.reader = new DeploymentReader(deps);
    this.entityView = new EntityView(deps, this.reader);
    this.fleetView = new FleetView(deps, this.reader);
    this.history = new DeploymentHistory(deps, this.reader);
    this.gitRefresher = new GitRefresher(deps, this.reader);
  }

  listEnvironments(): EnvironmentsResponse {
    const { environments, skipped } = this.deps.environments.resolve();
    return {
      environments,
      ...(skipped.length ? { skipped } : {}),
    };
  }

  /**
   * The entity's deployments in every environment; those `canRead` refuses
   * are marked NOT_PERMITTED and not read at all.
   */
  async getEntityDeployments(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<EntityDeploymentsResponse> {
    return this.entityView.deployments(entityRef, credentials, canRead);
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
    return this.entityView.readableEnvironments(
      entityRef,
      credentials,
      canRead,
    );
  }

  /**
   * The commits that changed the entity's manifests in one environment,
   * newest first, `limit` of them from `offset`.
   */
  async getHistory(
    request: {
      entityRef: CompoundEntityRef;
      environment: string;
      offset: number;
      limit: number;
    },
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<DeploymentHistoryResponse> {
    return this.history.history(request, credentials, canRead);
  }

  /**
   * The entity's deployments in one environment with what a promotion
   * copies: the manifest in Git when the environment has one, else the live
   * object.
   */
  async promotionSources(
    entityRef: CompoundEntityRef,
    env: Environment,
    credentials: BackstageCredentials,
  ): Promise<PromotionSource[]> {
    return promotionSources(this.reader, entityRef, env, credentials);
  }

  /**
   * Fetches the GitOps repositories of one environment, or of all, now.
   * Resolves to their Git state after the fetch.
   */
  async refreshGit(
    request: { environment?: string; entityRef?: CompoundEntityRef },
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<Array<{ environment: string; git: EnvironmentGitState }>> {
    return this.gitRefresher.refresh(request, credentials, canRead);
  }

  /**
   * Every model the caller may see in the catalog, with its deployments in
   * every environment `canRead` allows for that model. An environment whose
   * status the caller may not see is marked NOT_PERMITTED.
   */
  async getFleet(
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<FleetResponse> {
    return this.fleetView.fleet(credentials, canRead);
  }
}

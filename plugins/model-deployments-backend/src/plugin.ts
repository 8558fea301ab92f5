import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds } from '@backstage/types';
import {
  ModelResourceKind,
  defaultModelResourceKinds,
  modelDeploymentsEnvironmentCreatePermission,
  modelDeploymentsForcePromotePermission,
  modelDeploymentsPromotePermission,
  modelDeploymentsReadPermission,
  resourceKindLabel,
} from '@seed-mlops/plugin-model-deployments-common';
import {
  modelDeploymentsResourceKindsExtensionPoint,
  modelEnvironmentPermissionResourceRef,
  modelEnvironmentPermissionRules,
} from '@seed-mlops/plugin-model-deployments-node';
import { ScmIntegrations } from '@backstage/integration';
import os from 'os';
import path from 'path';
import { GitHostAllowList } from './gitops/GitHostAllowList';
import { GitOpsService } from './gitops/GitOpsService';
import { DatabaseRepositoryLock } from './gitops/RepositoryLock';
import { ModelResourceCache } from './cache/ModelResourceCache';
import { loadKubernetesClient } from './cache/ResourceInformer';
import { KubernetesProxyClusterClient } from './cluster/KubernetesProxyClusterClient';
import { EnvironmentCreator } from './environments/EnvironmentCreator';
import { EnvironmentRegistry } from './environments/EnvironmentRegistry';
import { NamespaceDiscovery } from './environments/NamespaceDiscovery';
import { readEnvironmentsConfig } from './environments/readEnvironmentsConfig';
import { createRouter } from './router';
import { EnvironmentAccess } from './permissions/EnvironmentAccess';
import { environmentResourceLoader } from './permissions/environmentResourceLoader';
import { PromotionService } from './promotion/PromotionService';
import { ClusterDryRun } from './promotion/ClusterDryRun';
import { PromotionStore } from './promotion/PromotionStore';
import { DeploymentsService } from './service/DeploymentsService';

const DEFAULT_TIMEOUT_MS = 5_000;
/** How long one watch stays open (client-go picks 5 to 10 minutes; proxies often cut sooner). */
const DEFAULT_WATCH_TIMEOUT_MS = 240_000;

/**
 * The model-deployments backend plugin: environments, a watch cache of the
 * model-serving resources in each, and the read API under
 * `/api/model-deployments`.
 *
 * @public
 */
export const modelDeploymentsPlugin = createBackendPlugin({
  pluginId: 'model-deployments',
  register(env) {
    const extraKinds: ModelResourceKind[] = [];
    env.registerExtensionPoint(modelDeploymentsResourceKindsExtensionPoint, {
      addResourceKind(...kinds) {
        extraKinds.push(...kinds);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        database: coreServices.database,
        discovery: coreServices.discovery,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        auditor,
        database,
        discovery,
        lifecycle,
        scheduler,
        catalog,
      }) {
        await loadKubernetesClient();
        const readMs = (key: string, fallbackMs: number) =>
          config.has(key)
            ? durationToMilliseconds(readDurationFromConfig(config, { key }))
            : fallbackMs;
        const timeoutMs = readMs(
          'modelDeployments.clusterRequestTimeout',
          DEFAULT_TIMEOUT_MS,
        );
        const watchTimeoutMs = readMs(
          'modelDeployments.clusterWatchTimeout',
          DEFAULT_WATCH_TIMEOUT_MS,
        );

        // Later additions with the same identity replace built-in kinds.
        const kindsById = new Map<string, ModelResourceKind>();
        for (const kind of [...defaultModelResourceKinds, ...extraKinds]) {
          kindsById.set(resourceKindLabel(kind), kind);
        }
        const kinds = [...kindsById.values()];

        const client = new KubernetesProxyClusterClient({
          discovery,
          auth,
          timeoutMs,
          watchTimeoutMs,
        });
        const cache = new ModelResourceCache({
          client,
          kinds,
          logger,
          timeoutMs,
        });

        const gitopsConfig = config.getOptionalConfig(
          'modelDeployments.gitops',
        );
        const readDuration = (key: string, fallbackMs: number) =>
          gitopsConfig?.has(key)
            ? durationToMilliseconds(
                readDurationFromConfig(gitopsConfig, { key }),
              )
            : fallbackMs;
        const fetchTimeoutMs = readDuration('fetchTimeout', 60_000);
        const refreshIntervalMs = readDuration('refreshInterval', 60_000);
        const integrations = ScmIntegrations.fromConfig(config);
        const allowList = GitHostAllowList.fromConfig(config, integrations);
        const configured = readEnvironmentsConfig(config, allowList);
        const gitops = new GitOpsService({
          cacheDir:
            gitopsConfig?.getOptionalString('cacheDir') ??
            path.join(
              config.getOptionalString('backend.workingDirectory') ??
                os.tmpdir(),
              'model-deployments-gitops',
            ),
          depth: gitopsConfig?.getOptionalNumber('historyDepth') ?? 100,
          timeoutMs: fetchTimeoutMs,
          refreshIntervalMs,
          logger: logger.child({ component: 'gitops' }),
          integrations,
          allowList,
          // Promotions and environment creation on several replicas of one
          // database write each repository in turn.
          lock: await DatabaseRepositoryLock.create(database, {
            waitMs: 2 * fetchTimeoutMs,
          }),
        });

        let namespaceDiscovery: NamespaceDiscovery | undefined;
        const reportedSkips = new Set<string>();
        const watchAllEnvironments = () => {
          // eslint-disable-next-line @typescript-eslint/no-use-before-define
          const { environments, skipped } = registry.resolve();
          for (const skip of skipped) {
            const line = `Namespace ${skip.namespace} on cluster ${skip.cluster} is not taken as environment '${skip.name}': ${skip.reason}`;
            if (!reportedSkips.has(line)) logger.warn(line);
            reportedSkips.add(line);
          }
          environments.forEach(e => cache.watch(e));
        };
        const discoveryConfig = config.getOptionalConfig(
          'modelDeployments.discovery',
        );
        if (discoveryConfig?.getOptionalBoolean('enabled')) {
          namespaceDiscovery = new NamespaceDiscovery({
            client,
            clusters: discoveryConfig.getStringArray('clusters'),
            logger,
            // New namespaces start being watched as soon as they are seen.
            onChange: watchAllEnvironments,
          });
        }
        const registry = new EnvironmentRegistry(
          configured,
          namespaceDiscovery,
        );

        const deployments = new DeploymentsService({
          catalog,
          environments: registry,
          cache,
          gitops,
          gitWaitMs: timeoutMs,
        });

        // Start watching once every plugin, the Kubernetes one included, is up,
        // so the first page view already finds a warm cache.
        lifecycle.addStartupHook(async () => {
          await namespaceDiscovery?.start();
          watchAllEnvironments();
          // Not awaited: a slow clone must not hold up the backend's start.
          gitops.refreshAll(registry.list());
          // Local: each replica fetches into its own mirrors.
          await scheduler.scheduleTask({
            id: 'model-deployments-gitops-refresh',
            scope: 'local',
            frequency: { milliseconds: refreshIntervalMs },
            initialDelay: { milliseconds: refreshIntervalMs },
            // Every fetch is bounded by fetchTimeout; reading the new commits follows.
            timeout: { milliseconds: 2 * fetchTimeoutMs },
            fn: () => gitops.refreshAll(registry.list()),
          });
          logger.info(
            `Watching ${kinds.length} resource kinds in ${
              registry.list().length
            } environments`,
          );
        });
        lifecycle.addShutdownHook(async () => {
          gitops.stop();
          await namespaceDiscovery?.stop();
          await cache.stop();
        });

        const promotionConfig = config.getOptionalConfig(
          'modelDeployments.promotion',
        );
        const promotionStore = await PromotionStore.create(database);
        // Longer than any promotion can take (its Git waits are bounded by
        // fetchTimeout), so only records of stopped replicas are settled.
        const staleAfterMs = promotionConfig?.has('staleAfter')
          ? durationToMilliseconds(
              readDurationFromConfig(promotionConfig, { key: 'staleAfter' }),
            )
          : 15 * fetchTimeoutMs;
        // Global: one replica settles what another left running when it stopped.
        await scheduler.scheduleTask({
          id: 'model-deployments-settle-stopped-promotions',
          scope: 'global',
          frequency: { milliseconds: Math.min(60_000, staleAfterMs) },
          timeout: { milliseconds: 60_000 },
          fn: async () => {
            const settled = await promotionStore.settleStale(
              new Date(Date.now() - staleAfterMs),
            );
            if (settled > 0) {
              logger.warn(
                `Marked ${settled} promotion(s) as failed: the replica writing them stopped before they finished`,
              );
            }
          },
        });
        // Writes to GitOps repositories commit as this identity.
        const committer = {
          name:
            promotionConfig?.getOptionalString('committer.name') ?? 'Backstage',
          email:
            promotionConfig?.getOptionalString('committer.email') ??
            'backstage@localhost',
        };
        const promotions = new PromotionService({
          environments: registry,
          deployments,
          gitops,
          catalog,
          committer,
          allowSkippingStages:
            promotionConfig?.getOptionalBoolean('allowSkippingStages') ?? false,
          gitWaitMs: timeoutMs,
          store: promotionStore,
          integrations,
          ...(promotionConfig?.getOptionalBoolean('clusterDryRun') ?? true
            ? { clusterDryRun: new ClusterDryRun({ client, kinds }) }
            : {}),
        });

        const environmentCreator = new EnvironmentCreator({
          client,
          environments: registry,
          gitops,
          committer,
          integrations,
          allowList,
          catalog,
        });

        // Policies decide per environment, and per model in it, with the
        // rules of the node package; the permission backend asks us to apply
        // them to resources named by `modelEnvironmentResourceRef`.
        permissionsRegistry.addResourceType({
          resourceRef: modelEnvironmentPermissionResourceRef,
          permissions: [
            modelDeploymentsReadPermission,
            modelDeploymentsPromotePermission,
            modelDeploymentsForcePromotePermission,
          ],
          rules: Object.values(modelEnvironmentPermissionRules),
          getResources: environmentResourceLoader({
            environments: registry,
            catalog,
            auth,
          }),
        });
        permissionsRegistry.addPermissions([
          modelDeploymentsEnvironmentCreatePermission,
        ]);
        const access = new EnvironmentAccess(
          permissions,
          permissionsRegistry.getPermissionRuleset(
            modelEnvironmentPermissionResourceRef,
          ),
        );

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            access,
            auditor,
            deployments,
            promotions,
            promotionStore,
            environmentCreator,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});

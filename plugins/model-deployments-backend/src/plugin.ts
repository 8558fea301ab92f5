import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { ModelResourceCache } from './cache/ModelResourceCache';
import { loadKubernetesClient } from './cache/ResourceInformer';
import { KubernetesProxyClusterClient } from './cluster/KubernetesProxyClusterClient';
import { EnvironmentCreator } from './environments/EnvironmentCreator';
import { EnvironmentWatcher } from './environments/EnvironmentWatcher';
import { ModelDeploymentsEvents } from './events/ModelDeploymentsEvents';
import { registerExtensionPoints } from './extensions';
import { readEnvironmentsConfig } from './environments/readEnvironmentsConfig';
import { GitHostAllowList } from './gitops/GitHostAllowList';
import { GitOpsService } from './gitops/GitOpsService';
import { DatabaseRepositoryLock } from './gitops/RepositoryLock';
import { LiveUpdates } from './live/LiveUpdates';
import { ChangeNotifier } from './notifications/ChangeNotifier';
import { readModelDeploymentsOptions } from './options/readOptions';
import { registerPermissions } from './permissions/registerPermissions';
import { createPromotionService } from './promotion/createPromotionService';
import { FreezeWindows } from './promotion/freeze/FreezeWindows';
import { cachedCatalog } from './requestCache/cachedCatalog';
import { createRouter } from './router';
import { DeploymentsService } from './service/DeploymentsService';
import { scheduleGitRefresh } from './tasks/scheduleTasks';
import { schedulePromotionTasks } from './tasks/schedulePromotionTasks';

/**
 * The model-deployments backend plugin: environments, a watch cache of the
 * model-serving resources in each, their GitOps repositories, promotions,
 * and the API under `/api/model-deployments`. This file only wires; each
 * job lives in its own folder (docs/architecture.md).
 *
 * @public
 */
export const modelDeploymentsPlugin = createBackendPlugin({
  pluginId: 'model-deployments',
  register(env) {
    const extensions = registerExtensionPoints(env);

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        database: coreServices.database,
        discovery: coreServices.discovery,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, lifecycle, scheduler, catalog } = deps;
        await loadKubernetesClient();
        const options = readModelDeploymentsOptions(config);
        const timeoutMs = options.clusterRequestTimeoutMs;

        const kinds = extensions.resourceKinds();

        const client =
          extensions.clusterClient() ??
          new KubernetesProxyClusterClient({
            discovery: deps.discovery,
            auth: deps.auth,
            timeoutMs,
            watchTimeoutMs: options.clusterWatchTimeoutMs,
          });
        // Open pages learn of changes through signals instead of polling.
        const live = new LiveUpdates({ signals: deps.signals, logger });
        const cache = new ModelResourceCache({
          client,
          kinds,
          logger,
          timeoutMs,
          onChange: (_env, changed) => live.deploymentsChanged(changed),
        });

        const integrations = ScmIntegrations.fromConfig(config);
        const allowList = GitHostAllowList.fromConfig(config, integrations);
        const watcher = new EnvironmentWatcher({
          configured: readEnvironmentsConfig(config, allowList),
          discoveryClusters: options.discovery?.clusters,
          client,
          cache,
          logger,
        });
        const environments = watcher.registry;
        const changes = new ModelDeploymentsEvents({
          events: deps.events,
          logger,
        });
        const gitops = new GitOpsService({
          cacheDir: options.gitops.cacheDir,
          depth: options.gitops.historyDepth,
          timeoutMs: options.gitops.fetchTimeoutMs,
          refreshIntervalMs: options.gitops.refreshIntervalMs,
          logger: logger.child({ component: 'gitops' }),
          integrations,
          allowList,
          // Promotions and environment creation on several replicas of one
          // database write each repository in turn.
          lock: await DatabaseRepositoryLock.create(deps.database, {
            waitMs: 2 * options.gitops.fetchTimeoutMs,
          }),
          onPushed: push => changes.gitPushed(push, environments.list()),
          onMirrorChanged: () => live.gitChanged(),
        });

        const freezes = FreezeWindows.fromConfig(config);
        const notifier = new ChangeNotifier({ ...deps, catalog, logger });
        const deployments = new DeploymentsService({
          // Page views ask the same of the catalog again and again.
          catalog: cachedCatalog(catalog, options.requestCacheTtlMs),
          environments,
          cache,
          gitops,
          gitWaitMs: timeoutMs,
          live,
          freezes,
        });
        const { promotions, store, approvals } = await createPromotionService({
          ...deps,
          ...{ options, environments, deployments, gitops, catalog, client },
          ...{ kinds, integrations, events: changes, notifier, freezes },
          gitWaitMs: timeoutMs,
        });
        const environmentCreator = new EnvironmentCreator({
          client,
          environments,
          gitops,
          committer: options.promotion.committer,
          integrations,
          allowList,
          catalog,
          events: changes,
        });

        // Start watching once every plugin, the Kubernetes one included, is up,
        // so the first page view already finds a warm cache.
        lifecycle.addStartupHook(async () => {
          await watcher.start();
          // A push by another replica is fetched now, not at the next refresh.
          await changes.subscribe({
            gitChanged: async ({ environments: changed }) => {
              await Promise.all(
                environments
                  .list()
                  .filter(environment => changed.includes(environment.name))
                  .map(environment => gitops.refreshEnvironment(environment)),
              );
            },
            // Signals reach every replica's pages; one signal per promotion is enough.
            promotionFinished: async ({ entityRef }, own) => {
              if (own) live.promotionsChanged(entityRef);
            },
          });
          // Not awaited: a slow clone must not hold up the backend's start.
          gitops.refreshAll(environments.list());
          await scheduleGitRefresh({
            scheduler,
            gitops,
            environments,
            options: options.gitops,
          });
          logger.info(
            `Watching ${kinds.length} resource kinds in ${
              environments.list().length
            } environments`,
          );
        });
        lifecycle.addShutdownHook(async () => {
          live.stop();
          gitops.stop();
          await watcher.stop();
          await cache.stop();
        });
        await schedulePromotionTasks({
          ...{ scheduler, logger, config, auth: deps.auth, options },
          ...{ store, environments, integrations, gitops, deployments },
          ...{ promotions, events: changes, notifier, approvals },
        });

        deps.httpRouter.use(
          await createRouter({
            logger,
            httpAuth: deps.httpAuth,
            access: registerPermissions({
              ...deps,
              environments,
              readDecisionTtlMs: options.requestCacheTtlMs,
            }),
            auditor: deps.auditor,
            deployments,
            promotions,
            environmentCreator,
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});

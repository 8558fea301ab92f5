import path from 'path';
import { Config } from '@backstage/config';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { DemoClusterServer } from './DemoClusterServer';
import { DemoGitServer } from './DemoGitServer';
import { DemoSyncMapping, DemoSyncTool } from './DemoSyncTool';
import { readManifestsFromDirectory } from './manifests';
import { KubeApiClient } from './realCluster/KubeApiClient';
import { KubeApiSyncTarget } from './realCluster/KubeApiSyncTarget';
import { DemoClusterSyncTarget, SyncTarget } from './SyncTarget';

/** The environments whose GitOps repository is on the demo Git server. */
function syncMappings(config: Config, gitUrl: string): DemoSyncMapping[] {
  const environments =
    config.getOptionalConfigArray('modelDeployments.environments') ?? [];
  return environments.flatMap(env => {
    const repoUrl = env.getOptionalString('gitops.repoUrl');
    const namespace = env.getOptionalString('namespace');
    if (!repoUrl?.startsWith(`${gitUrl}/`) || !namespace) return [];
    return [
      {
        repository: repoUrl
          .slice(gitUrl.length + 1)
          .replace(/\.git$/, '')
          .replace(/\/+$/, ''),
        branch: env.getOptionalString('gitops.branch') ?? 'main',
        path: (env.getOptionalString('gitops.path') ?? namespace).replace(
          /^\/+|\/+$/g,
          '',
        ),
        namespace,
      },
    ];
  });
}

/**
 * Starts the demo cluster (and the demo Git server holding its GitOps
 * repositories) with the backend when
 * `modelDeployments.demoCluster.enabled` is true, seeded from the manifests
 * folder. The Kubernetes plugin reaches it like any other cluster, through
 * an entry in `kubernetes.clusterLocatorMethods`. With
 * `modelDeployments.demoCluster.apiServer` the demo cluster is not started
 * and the sync tool applies to that real API server instead.
 */
export const demoClusterPlugin = createBackendPlugin({
  pluginId: 'model-deployments-demo-cluster',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.rootLifecycle,
      },
      async init({ config, logger, lifecycle }) {
        const demo = config.getOptionalConfig('modelDeployments.demoCluster');
        if (!demo?.getOptionalBoolean('enabled')) {
          return;
        }
        const host = demo.getOptionalString('host') ?? '127.0.0.1';
        if (!['127.0.0.1', '::1', 'localhost'].includes(host)) {
          throw new Error(
            `modelDeployments.demoCluster.host must be a loopback address, got '${host}'`,
          );
        }
        let target: SyncTarget;
        const apiServer = demo.getOptionalConfig('apiServer');
        if (apiServer) {
          // A real API server in place of the built-in one, e.g. the one
          // `bash scripts/start.sh --real-cluster` starts and seeds.
          const url = apiServer.getString('url');
          if (!/^https?:\/\/[^/]/.test(url)) {
            throw new Error(
              `modelDeployments.demoCluster.apiServer.url must be an http(s) URL, got '${url}'`,
            );
          }
          // The demo sync tool writes as an admin: loopback only, like the demo.
          if (
            !['127.0.0.1', '[::1]', 'localhost'].includes(new URL(url).hostname)
          ) {
            throw new Error(
              `modelDeployments.demoCluster.apiServer.url must be a loopback address, got '${url}'`,
            );
          }
          const client = new KubeApiClient({
            url,
            token: apiServer.getString('token'),
            skipTLSVerify: apiServer.getOptionalBoolean('skipTLSVerify'),
            caData: apiServer.getOptionalString('caData'),
          });
          lifecycle.addShutdownHook(() => client.close());
          target = new KubeApiSyncTarget(client);
          logger.info(
            `Demo cluster not started: modelDeployments.demoCluster.apiServer names the API server at ${url}`,
          );
          // Said at start rather than at the first promotion; not fatal, as
          // the server may come up after the backend.
          client.request('GET', '/version').then(
            res => {
              if (res.status !== 200) {
                logger.warn(
                  `The API server at ${url} answered /version with ${res.status}: check modelDeployments.demoCluster.apiServer.token`,
                );
              }
            },
            error => logger.warn(error.message),
          );
        } else {
          const manifestsDir = path.resolve(
            demo.getOptionalString('manifests') ?? '../../examples/cluster',
          );
          const server = new DemoClusterServer({
            host,
            port: demo.getOptionalNumber('port') ?? 7090,
            token: demo.getOptionalString('token'),
          });
          const objects = readManifestsFromDirectory(manifestsDir);
          // Namespaces first, as kubectl apply would need them.
          server.apply(objects.filter(o => o.kind === 'Namespace'));
          server.apply(objects.filter(o => o.kind !== 'Namespace'));
          const url = await server.start();
          logger.info(
            `Demo cluster serving ${objects.length} objects from ${manifestsDir} at ${url}`,
          );
          lifecycle.addShutdownHook(() => server.stop());
          target = new DemoClusterSyncTarget(server);
        }

        const gitConfig = demo.getOptionalConfig('git');
        if (gitConfig?.getOptionalBoolean('enabled') ?? true) {
          const gitSource = path.resolve(
            gitConfig?.getOptionalString('source') ?? '../../examples/gitops',
          );
          // Served from a temporary copy: the examples are never rewritten.
          const gitServer = new DemoGitServer({
            source: gitSource,
            host,
            port: gitConfig?.getOptionalNumber('port') ?? 7091,
          });
          const gitUrl = await gitServer.start();
          logger.info(
            `Demo Git server serving the repositories of ${gitSource} at ${gitUrl}`,
          );
          lifecycle.addShutdownHook(() => gitServer.stop());

          const intervalSeconds =
            gitConfig?.getOptionalNumber('syncIntervalSeconds') ?? 2;
          const mappings = syncMappings(config, gitUrl);
          if (intervalSeconds > 0 && mappings.length > 0) {
            const syncTool = new DemoSyncTool({
              target,
              repositoriesDir: gitServer.repositoriesDir,
              mappings,
              intervalMs: intervalSeconds * 1000,
              rolloutMs:
                (gitConfig?.getOptionalNumber('rolloutSeconds') ?? 3) * 1000,
              onError: error => logger.warn(`Demo sync tool: ${error.message}`),
            });
            await syncTool.start();
            logger.info(
              `Demo sync tool applies changes of ${mappings
                .map(m => `${m.repository}/${m.path} to ${m.namespace}`)
                .join(', ')} on ${target.description}`,
            );
            lifecycle.addShutdownHook(() => syncTool.stop());
          }
        }
      },
    });
  },
});

import path from 'path';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { DemoClusterServer } from './DemoClusterServer';
import { DemoGitServer } from './DemoGitServer';
import { readManifestsFromDirectory } from './manifests';

/**
 * Starts the demo cluster (and the demo Git server holding its GitOps
 * repositories) with the backend when
 * `modelDeployments.demoCluster.enabled` is true, seeded from the manifests
 * folder. The Kubernetes plugin reaches it like any other cluster, through
 * an entry in `kubernetes.clusterLocatorMethods`.
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
        }
      },
    });
  },
});

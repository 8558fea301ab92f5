import { resolvePackagePath } from '@backstage/backend-plugin-api';
import path from 'path';
import { stringify } from 'yaml';
import { DemoClusterServer } from '../DemoClusterServer';
import { DemoGitServer } from '../DemoGitServer';
import { DemoSyncMapping, DemoSyncTool } from '../DemoSyncTool';
import { readManifestsFromDirectory } from '../manifests';
import { DemoClusterSyncTarget } from '../SyncTarget';

/** The repository's examples, beside this (private) package. */
const EXAMPLES = resolvePackagePath(
  '@seed-mlops/demo-cluster',
  '../../examples',
);

/** What the demo runs on and from; every field has the example portal's default. */
export interface StartDemoOptions {
  /** Loopback only. Default 127.0.0.1. */
  host?: string;
  /** The demo cluster's port; 0 picks a free one. Default 7090. */
  port?: number;
  /** The demo Git server's port; 0 picks a free one. Default 7091. */
  gitPort?: number;
  /** The bearer token the demo cluster requires. Default demo-cluster-token. */
  token?: string;
  /** Folder of the cluster's seed manifests. Default examples/cluster. */
  manifests?: string;
  /** Folder whose subfolders become the Git repositories. Default examples/gitops. */
  gitops?: string;
}

/** The example environments: where each reads Git, and into which namespace. */
const ENVIRONMENTS = [
  { name: 'dev', title: 'Development', repository: 'models', path: 'dev' },
  { name: 'staging', title: 'Staging', repository: 'models', path: 'staging' },
  {
    name: 'production',
    title: 'Production',
    repository: 'production-models',
    path: 'models',
    restricted: true,
  },
];

/**
 * The example portal's demo on its own, for trying the plugins in another
 * Backstage app: the demo cluster seeded from the examples, the demo Git
 * server with the GitOps repositories, and the stand-in sync tool between
 * them. `appConfig` is the config that app needs to use them.
 */
export async function startDemo(options: StartDemoOptions = {}) {
  const host = options.host ?? '127.0.0.1';
  if (!['127.0.0.1', '::1', 'localhost'].includes(host)) {
    throw new Error(`The demo listens on loopback only, not on '${host}'`);
  }
  const token = options.token ?? 'demo-cluster-token';
  const cluster = new DemoClusterServer({
    host,
    port: options.port ?? 7090,
    token,
  });
  const objects = readManifestsFromDirectory(
    options.manifests ?? path.join(EXAMPLES, 'cluster'),
  );
  // Namespaces first, as kubectl apply would need them.
  cluster.apply(objects.filter(o => o.kind === 'Namespace'));
  cluster.apply(objects.filter(o => o.kind !== 'Namespace'));
  const git = new DemoGitServer({
    source: options.gitops ?? path.join(EXAMPLES, 'gitops'),
    host,
    port: options.gitPort ?? 7091,
  });
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne();
  };
  try {
    const clusterUrl = await cluster.start();
    stops.push(() => cluster.stop());
    const gitUrl = await git.start();
    stops.push(() => git.stop());
    const mappings: DemoSyncMapping[] = ENVIRONMENTS.map(env => ({
      repository: env.repository,
      branch: 'main',
      path: env.path,
      namespace: env.name,
    }));
    const syncTool = new DemoSyncTool({
      target: new DemoClusterSyncTarget(cluster),
      repositoriesDir: git.repositoriesDir,
      mappings,
      intervalMs: 2_000,
      rolloutMs: 3_000,
    });
    await syncTool.start();
    stops.push(async () => syncTool.stop());

    const appConfig = {
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'demo',
                url: clusterUrl,
                authProvider: 'serviceAccount',
                serviceAccountToken: token,
                skipMetricsLookup: true,
              },
            ],
          },
        ],
      },
      modelDeployments: {
        gitops: { allowedHosts: [new URL(gitUrl).host] },
        environments: ENVIRONMENTS.map(env => ({
          name: env.name,
          title: env.title,
          cluster: 'demo',
          namespace: env.name,
          ...(env.restricted ? { restricted: true } : {}),
          gitops: {
            repoUrl: `${gitUrl}/${env.repository}.git`,
            branch: 'main',
            path: env.path,
          },
        })),
      },
    };
    return {
      clusterUrl,
      gitUrl,
      objects: objects.length,
      appConfig,
      /** `appConfig` as YAML, to paste into app-config.local.yaml. */
      appConfigYaml: stringify(appConfig),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

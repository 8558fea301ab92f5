import { Entity } from '@backstage/catalog-model';
import {
  DemoClusterServer,
  DemoGitServer,
  readManifestsFromDirectory,
} from '@seed-mlops/demo-cluster';
import fs from 'fs';
import os from 'os';
import path from 'path';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');
const TOKEN = 'demo-cluster-token';

/** A model of the examples, found in the example cluster by its name. */
export const exampleModel = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'model', owner: 'team', lifecycle: 'production' },
});

/**
 * The examples served for one test file: examples/cluster on a demo
 * cluster, examples/gitops on a demo Git server, and a temporary
 * directory. Call `start` in beforeAll and `stop` in afterAll.
 */
export function demoClusterAndGit(tmpPrefix: string) {
  const cluster = new DemoClusterServer({ token: TOKEN });
  const gitServer = new DemoGitServer({ source: `${EXAMPLES}/gitops` });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  return {
    cluster,
    gitServer,
    tmp,
    /** Where the backend keeps its Git mirrors (`gitops.cacheDir`). */
    cacheDir: path.join(tmp, 'cache'),
    /** The demo cluster as the backend's cluster `demo`; after `start`. */
    clusterConfig: () => ({ name: 'demo', url: cluster.url, token: TOKEN }),
    /**
     * The examples' staging (`models.git`) and production (the `models`
     * folder of `production-models.git`, promoted into by commit) as the
     * backend's environments, each with `extra` keys; after `start`.
     */
    stagingAndProduction: (
      extra: {
        staging?: Record<string, unknown>;
        production?: Record<string, unknown>;
      } = {},
    ) => [
      {
        name: 'staging',
        cluster: 'demo',
        namespace: 'staging',
        gitops: { repoUrl: `${gitServer.url}/models.git`, branch: 'main' },
        ...extra.staging,
      },
      {
        name: 'production',
        cluster: 'demo',
        namespace: 'production',
        gitops: {
          repoUrl: `${gitServer.url}/production-models.git`,
          branch: 'main',
          path: 'models',
          promotionStrategy: 'commit',
        },
        ...extra.production,
      },
    ],
    /** Loads the example cluster and `objects`, then starts both servers. */
    async start(objects: Array<Record<string, any>> = []) {
      const examples = readManifestsFromDirectory(`${EXAMPLES}/cluster`);
      // Namespaces first, as kubectl apply would need them.
      cluster.apply(examples.filter(o => o.kind === 'Namespace'));
      cluster.apply(examples.filter(o => o.kind !== 'Namespace'));
      cluster.apply(objects);
      await Promise.all([cluster.start(), gitServer.start()]);
    },
    async stop() {
      await Promise.all([cluster.stop(), gitServer.stop()]);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

import { mockServices } from '@backstage/backend-test-utils';
import {
  Environment,
  seldonDeploymentResourceKind,
} from '@seed-mlops/plugin-model-deployments-common';
import {
  ModelClusterClient,
  ClusterRequestError,
  KubernetesList,
} from '@seed-mlops/plugin-model-deployments-node';
import { waitFor } from '../__testUtils__/waitFor';
import { ModelResourceCache } from './ModelResourceCache';

/**
 * A cluster whose watch stays open after the API server died, as the
 * Kubernetes plugin's proxy does: only a request of its own shows that the
 * server is gone.
 */
function hangingCluster() {
  let reachable = true;
  const down = () =>
    new ClusterRequestError({
      type: 'UNREACHABLE',
      message: "Cluster 'demo' could not be reached: connect ECONNREFUSED",
    });
  const client: ModelClusterClient = {
    async list(): Promise<KubernetesList> {
      if (!reachable) throw down();
      return {
        items: [
          {
            apiVersion: 'machinelearning.seldon.io/v1',
            kind: 'SeldonDeployment',
            metadata: { name: 'iris', namespace: 'dev' },
          },
        ],
        metadata: { resourceVersion: '1' },
      };
    },
    async watch(_cluster, _path, _query, _onEvent, done) {
      // Open until aborted while reachable; refused at once when not.
      if (!reachable) setTimeout(() => done(down()), 0);
      return { abort() {} };
    },
    async get() {
      if (!reachable) throw down();
      return { apiVersion: 'v1', kind: 'Version' };
    },
    async create() {
      throw new Error('not used');
    },
    async dryRunApply() {
      throw new Error('not used');
    },
  };
  return {
    client,
    setReachable(value: boolean) {
      reachable = value;
    },
  };
}

const dev: Environment = {
  name: 'dev',
  title: 'dev',
  stage: 10,
  cluster: 'demo',
  namespace: 'dev',
  restricted: false,
  origin: 'config',
};

describe('ModelResourceCache liveness', () => {
  it('marks an environment unreachable when its API server dies under an open watch, and recovers', async () => {
    const cluster = hangingCluster();
    const cache = new ModelResourceCache({
      client: cluster.client,
      kinds: [seldonDeploymentResourceKind],
      logger: mockServices.logger.mock(),
      timeoutMs: 1_000,
      probeIntervalMs: 50,
    });
    try {
      const [live] = await cache.snapshot(dev);
      expect(live.state).toBe('synced');
      expect(live.objects).toHaveLength(1);

      cluster.setReachable(false);
      const diedAt = Date.now();
      const [stale] = await waitFor(
        () => cache.snapshot(dev),
        ([snapshot]) => snapshot.state === 'error',
      );
      expect(stale.error).toMatchObject({ type: 'UNREACHABLE' });
      // The last data stays, dated when it was last confirmed, not now.
      expect(stale.objects).toHaveLength(1);
      expect(stale.syncedAt!.getTime()).toBeLessThanOrEqual(diedAt);

      cluster.setReachable(true);
      // The first retry comes after 1 s of backoff.
      const [recovered] = await waitFor(
        () => cache.snapshot(dev),
        ([snapshot]) => snapshot.state === 'synced',
      );
      expect(recovered.state).toBe('synced');
      expect(recovered.error).toBeUndefined();
    } finally {
      await cache.stop();
    }
  });
});

import {
  Environment,
  defaultModelResourceKinds,
} from '@seed-mlops/plugin-model-deployments-common';
import { KindSnapshot } from '../cache/ModelResourceCache';
import { exampleModel } from '../__testUtils__/demoClusterAndGit';
import { entityMatcher } from './entityMatcher';
import { EntityRows } from './EntityRows';

const env: Environment = {
  name: 'dev',
  title: 'Development',
  stage: 10,
  cluster: 'demo',
  namespace: 'dev',
  restricted: false,
  origin: 'config',
};

const snapshots = (revision?: number): KindSnapshot[] =>
  defaultModelResourceKinds.map((kind, i) => ({
    kind,
    state: 'synced',
    objects: [],
    ...(revision !== undefined ? { revision: revision * 100 + i } : {}),
  }));

describe('EntityRows', () => {
  const iris = entityMatcher(exampleModel('iris-classifier'));
  const fraud = entityMatcher(exampleModel('fraud-scorer'));

  it('computes a model once per state of the environment', async () => {
    const rows = new EntityRows();
    const compute = jest.fn(async () => []);
    const first = await rows.deploymentsOf(
      env,
      { snapshots: snapshots(1) },
      iris,
      compute,
    );
    const again = await rows.deploymentsOf(
      env,
      { snapshots: snapshots(1) },
      iris,
      compute,
    );
    expect(again).toBe(first);
    expect(compute).toHaveBeenCalledTimes(1);
    // Another model, or a watch event (a new revision): computed again.
    await rows.deploymentsOf(env, { snapshots: snapshots(1) }, fraud, compute);
    await rows.deploymentsOf(env, { snapshots: snapshots(2) }, iris, compute);
    expect(compute).toHaveBeenCalledTimes(3);
  });

  it('keeps nothing when a snapshot cannot say it is unchanged', async () => {
    const rows = new EntityRows();
    const compute = jest.fn(async () => []);
    await rows.deploymentsOf(env, { snapshots: snapshots() }, iris, compute);
    await rows.deploymentsOf(env, { snapshots: snapshots() }, iris, compute);
    expect(compute).toHaveBeenCalledTimes(2);
  });
});

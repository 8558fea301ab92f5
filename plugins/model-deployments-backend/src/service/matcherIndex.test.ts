import { Entity } from '@backstage/catalog-model';
import {
  Environment,
  KubernetesObject,
  seldonDeploymentResourceKind,
  seldonModelResourceKind,
  seldonServerResourceKind,
} from '@seed-mlops/plugin-model-deployments-common';
import { KindSnapshot } from '../cache/ModelResourceCache';
import { indexManifests } from '../gitops/parseManifests';
import { entityMatcher } from './entityMatcher';
import { environmentResult } from './environmentResult';
import { MatcherIndex } from './matcherIndex';

const env: Environment = {
  name: 'dev',
  title: 'Development',
  stage: 10,
  cluster: 'demo',
  namespace: 'dev',
  restricted: false,
  origin: 'config',
};

const model = (name: string, annotations: Record<string, string> = {}) =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'model' },
  } as Entity);

const object = (
  kind: string,
  apiVersion: string,
  name: string,
  labels: Record<string, string> = {},
  spec: object = {},
): KubernetesObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace: 'dev', labels, uid: `${kind}-${name}` },
  spec,
});
const sdep = (name: string, labels?: Record<string, string>) =>
  object('SeldonDeployment', 'machinelearning.seldon.io/v1', name, labels, {
    predictors: [{ name: 'main', graph: { modelUri: `gs://m/${name}` } }],
  });

describe('MatcherIndex', () => {
  // One of each rule: a name annotation, the kubernetes-id label, a selector.
  const models = [
    model('fraud', { 'model-deployments/name': 'fraud-scorer' }),
    model('iris'),
    model('churn', { 'model-deployments/selector': 'app=churn,tier in (a,b)' }),
    model('nothing-deployed'),
  ].map(entity => ({ entity, matches: entityMatcher(entity) }));

  const snapshots: KindSnapshot[] = [
    {
      kind: seldonDeploymentResourceKind,
      state: 'synced',
      syncedAt: new Date(),
      objects: [
        sdep('fraud-scorer'),
        sdep('iris-v1', { 'backstage.io/kubernetes-id': 'iris' }),
        sdep('iris-v2', { 'backstage.io/kubernetes-id': 'iris' }),
        sdep('churn-a', { app: 'churn', tier: 'a' }),
        sdep('churn-c', { app: 'churn', tier: 'c' }),
        sdep('stranger'),
      ],
    },
    {
      kind: seldonModelResourceKind,
      state: 'synced',
      syncedAt: new Date(),
      objects: [
        object(
          'Model',
          'mlops.seldon.io/v1alpha1',
          'iris-mlserver',
          {
            'backstage.io/kubernetes-id': 'iris',
          },
          { storageUri: 'gs://m/iris', server: 'mlserver' },
        ),
      ],
    },
    {
      kind: seldonServerResourceKind,
      state: 'synced',
      syncedAt: new Date(),
      // The Server belongs to no model; a Model's card still shows its state.
      objects: [object('Server', 'mlops.seldon.io/v1alpha1', 'mlserver')],
    },
  ];
  const inGit = [
    sdep('fraud-scorer'),
    sdep('iris-v3', { 'backstage.io/kubernetes-id': 'iris' }),
    sdep('churn-b', { app: 'churn', tier: 'b' }),
  ];
  const desired = {
    git: {
      repoUrl: 'http://git/models.git',
      path: 'dev',
      commit: 'c0ffee',
      fileErrors: [],
    },
    index: indexManifests(
      inGit.map(
        o => ({ path: `dev/${o.metadata!.name}.json`, object: o } as any),
      ),
    ),
  };

  it('gives every model what matching it against everything gives', () => {
    const index = new MatcherIndex(models, m => m.matches);
    const shares = index.snapshotsOf(snapshots);
    const manifests = index.desiredOf(desired);
    const none = snapshots.map(s => ({ ...s, objects: [] }));
    for (const m of models) {
      const viaIndex = environmentResult(
        env,
        shares.get(m) ?? none,
        m.matches,
        manifests.get(m) ?? {
          git: desired.git,
          index: { byIdentity: desired.index.byIdentity, byKind: new Map() },
        },
        snapshots,
      );
      const oneByOne = environmentResult(env, snapshots, m.matches, desired);
      expect(viaIndex).toEqual(oneByOne);
    }
    // And the cases are really there: each rule found its own.
    const names = (m: (typeof models)[number]) =>
      environmentResult(env, snapshots, m.matches, desired).deployments.map(
        d => d.name,
      );
    expect(names(models[0])).toEqual(['fraud-scorer']);
    expect(names(models[1])).toEqual([
      'iris-mlserver',
      'iris-v1',
      'iris-v2',
      'iris-v3',
    ]);
    expect(names(models[2])).toEqual(['churn-a', 'churn-b']);
    expect(names(models[3])).toEqual([]);
  });
});

import {
  Environment,
  KubernetesObject,
  ModelResourceKind,
  defaultModelResourceKinds,
} from '@seed-mlops/plugin-model-deployments-common';
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { KindSnapshot } from '../cache/ModelResourceCache';
import { exampleModel } from '../__testUtils__/demoClusterAndGit';
import { entityMatcher } from './entityMatcher';
import { environmentResult } from './environmentResult';
import { FleetRows, fleetDeploymentOf } from './FleetRows';

// The example portal's dev namespace, as its demo cluster serves it (held
// to a real kube-apiserver by the conformance tests).
const DEV = path.resolve(__dirname, '../../../../examples/cluster/dev');
const objects: KubernetesObject[] = fs
  .readdirSync(DEV)
  .flatMap(file =>
    parseAllDocuments(fs.readFileSync(path.join(DEV, file), 'utf8')).map(
      d => d.toJS() as KubernetesObject,
    ),
  )
  .filter(Boolean);

const env: Environment = {
  name: 'dev',
  title: 'Development',
  stage: 10,
  cluster: 'demo',
  namespace: 'dev',
  restricted: false,
  origin: 'config',
};

/** Counts normalizations, to see which objects were normalized again. */
function countingKinds() {
  const counts = { normalized: 0 };
  const kinds = defaultModelResourceKinds.map(
    (kind): ModelResourceKind => ({
      ...kind,
      normalize: object => {
        counts.normalized += 1;
        return kind.normalize(object);
      },
    }),
  );
  return { kinds, counts };
}

function snapshotsOf(
  kinds: ModelResourceKind[],
  all: KubernetesObject[],
  revision?: number,
): KindSnapshot[] {
  return kinds.map((kind, i) => ({
    kind,
    state: 'synced',
    objects: all.filter(
      o =>
        o.kind === kind.kind &&
        o.apiVersion === `${kind.group}/${kind.version}`,
    ),
    ...(revision !== undefined ? { revision: revision * 100 + i } : {}),
  }));
}

const ids = [
  ...new Set(
    objects.flatMap(o => {
      const id = o.metadata?.labels?.['backstage.io/kubernetes-id'];
      return id ? [id] : [];
    }),
  ),
];
const matchers = ids.map(id => entityMatcher(exampleModel(id)));

describe('FleetRows', () => {
  it('gives each model what its own entity view gives, in fleet fields', () => {
    const { kinds } = countingKinds();
    const snapshots = snapshotsOf(kinds, objects, 1);
    const rows = new FleetRows().rowsOf(env, { snapshots }, matchers);
    expect(ids.length).toBeGreaterThan(3);
    for (const matcher of matchers) {
      const own = environmentResult(env, snapshots, matcher).deployments;
      expect(own.length).toBeGreaterThan(0);
      expect(rows.get(matcher.rule)).toEqual(own.map(fleetDeploymentOf));
    }
  });

  it('keeps the rows while the revisions stay, and normalizes only what changed', () => {
    const { kinds, counts } = countingKinds();
    const fleetRows = new FleetRows();
    const first = fleetRows.rowsOf(
      env,
      { snapshots: snapshotsOf(kinds, objects, 1) },
      matchers,
    );
    const normalizedFirst = counts.normalized;
    expect(normalizedFirst).toBeGreaterThan(0);

    const again = fleetRows.rowsOf(
      env,
      { snapshots: snapshotsOf(kinds, objects, 1) },
      matchers,
    );
    for (const matcher of matchers) {
      expect(again.get(matcher.rule)).toBe(first.get(matcher.rule));
    }
    expect(counts.normalized).toBe(normalizedFirst);

    // A watch event replaces one object: a new revision, one normalization.
    const changedIndex = objects.findIndex(o => o.kind === 'SeldonDeployment');
    const changed = {
      ...objects[changedIndex],
      status: { state: 'Failed', description: 'Out of memory' },
    };
    const next = objects.map((o, i) => (i === changedIndex ? changed : o));
    const after = fleetRows.rowsOf(
      env,
      { snapshots: snapshotsOf(kinds, next, 2) },
      matchers,
    );
    expect(counts.normalized).toBe(normalizedFirst + 1);
    const changedRule = matchers.find(m => m(changed))!.rule;
    expect(after.get(changedRule)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: changed.metadata!.name,
          phase: 'Failed',
          message: 'Out of memory',
        }),
      ]),
    );
  });

  it('computes again every time when a snapshot has no revision', () => {
    const { kinds } = countingKinds();
    const fleetRows = new FleetRows();
    const first = fleetRows.rowsOf(
      env,
      { snapshots: snapshotsOf(kinds, objects) },
      matchers,
    );
    const again = fleetRows.rowsOf(
      env,
      { snapshots: snapshotsOf(kinds, objects) },
      matchers,
    );
    expect(again.get(matchers[0].rule)).toEqual(first.get(matchers[0].rule));
    expect(again.get(matchers[0].rule)).not.toBe(first.get(matchers[0].rule));
  });
});

import {
  Environment,
  KubernetesObject,
  seldonDeploymentResourceKind,
  toModelDeployment,
} from '@seed-mlops/plugin-model-deployments-common';
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { GitOpsService } from '../../gitops/GitOpsService';
import { EnvironmentHistory } from '../../gitops/HistoryReader';
import { PromotionGates, formatDuration } from './PromotionGates';

// iris-classifier in the example portal's staging namespace: Ready since
// 2026-11-04T09:02:03Z, as its Ready condition says.
const STAGING = path.resolve(
  __dirname,
  '../../../../../examples/cluster/staging/seldon-deployments.yaml',
);
const iris = parseAllDocuments(fs.readFileSync(STAGING, 'utf8'))
  .map(d => d.toJS() as KubernetesObject)
  .find(o => o.metadata?.name === 'iris-classifier')!;
const READY_AT = Date.parse('2026-11-04T09:02:03Z');
const HOUR = 3_600_000;

const staging: Environment = {
  name: 'staging',
  title: 'Staging',
  stage: 20,
  cluster: 'demo',
  namespace: 'staging',
  restricted: false,
  origin: 'config',
};

function gatesAt(now: number, history?: EnvironmentHistory) {
  return new PromotionGates({
    policies: new Map([
      [
        'staging',
        { requireReady: false, minSoakTimeMs: 2 * HOUR, metrics: [] },
      ],
    ]),
    gitops: { history: async () => history } as unknown as GitOpsService,
    now: () => now,
  });
}

const source = (overrides: object = {}) => ({
  deployment: {
    ...toModelDeployment(iris, seldonDeploymentResourceKind, 'staging'),
    gitPath: 'staging/SeldonDeployment-iris-classifier.json',
    sync: { state: 'InSync' as const },
    ...overrides,
  },
  object: iris,
  origin: 'git' as const,
});

describe('the soak-time gate', () => {
  it('counts from the Ready transition when Git changed before it', async () => {
    const [gate] = await gatesAt(READY_AT + 3 * HOUR).check(staging, [
      source(),
    ]);
    expect(gate).toEqual({
      name: 'soak-time',
      kind: 'soak-time',
      passed: true,
      value: 'Ready and in sync for 3 h',
      expected: 'at least 2 h',
      message: "Ready and in sync with Git in 'staging' for 3 h",
    });
  });

  it('counts from the last commit that changed the manifest, when later', async () => {
    const history: EnvironmentHistory = {
      head: 'b'.repeat(40),
      complete: true,
      commits: [
        {
          sha: 'b'.repeat(40),
          author: { name: 'a', email: 'a@example.com' },
          committedAt: new Date(READY_AT + 2 * HOUR).toISOString(),
          summary: 'v4',
        },
      ],
      changes: new Map([
        ['staging/SeldonDeployment-iris-classifier.json', [0]],
      ]),
    };
    const [gate] = await gatesAt(READY_AT + 3 * HOUR, history).check(staging, [
      source(),
    ]);
    expect(gate).toMatchObject({
      passed: false,
      value: 'Ready and in sync for 1 h',
      message:
        "Ready and in sync with Git in 'staging' for only 1 h; needs 2 h",
    });
  });

  it('fails, saying why, when it cannot tell since when', async () => {
    const outOfSync = await gatesAt(READY_AT + 3 * HOUR).check(staging, [
      source({ sync: { state: 'OutOfSync' } }),
    ]);
    expect(outOfSync[0]).toEqual({
      name: 'soak-time',
      kind: 'soak-time',
      passed: false,
      expected: 'at least 2 h',
      message:
        'Cannot count the soak time: SeldonDeployment iris-classifier is out of sync with Git',
    });
    const noReadyTime = await gatesAt(READY_AT + 3 * HOUR).check(staging, [
      source({ conditions: [] }),
    ]);
    expect(noReadyTime[0]).toMatchObject({
      passed: false,
      message:
        'Cannot count the soak time: SeldonDeployment iris-classifier does not say since when it is Ready (no Ready condition time)',
    });
    expect(noReadyTime[0]).not.toHaveProperty('value');
  });

  it('says durations as people do', () => {
    expect(
      [30_000, 12 * 60_000, 3 * HOUR + 5 * 60_000, 50 * HOUR].map(
        formatDuration,
      ),
    ).toEqual(['30 s', '12 min', '3 h 5 min', '2 d 2 h']);
  });
});

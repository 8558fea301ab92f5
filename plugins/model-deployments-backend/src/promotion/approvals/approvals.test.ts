import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { PromotionRecord } from '@seed-mlops/plugin-model-deployments-common';
import { execFile } from 'child_process';
import { randomUUID } from 'crypto';
import fs from 'fs/promises';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { promisify } from 'util';
import {
  demoClusterAndGit,
  exampleModel,
} from '../../__testUtils__/demoClusterAndGit';
import { recordingAuditor } from '../../__testUtils__/recordingAuditor';
import { remoteHead } from '../../__testUtils__/remoteHead';
import { startModelDeploymentsBackend } from '../../__testUtils__/startModelDeploymentsBackend';
import { waitFor } from '../../__testUtils__/waitFor';

const IRIS = 'component:default/iris-classifier';
const execFileAsync = promisify(execFile);
const git = async (cwd: string, ...args: string[]) =>
  (await execFileAsync('git', args, { cwd })).stdout.trim();
const RELEASE_MANAGERS = 'group:default/release-managers';
const MEMBERS: Record<string, string[]> = {
  'user:default/priya': [RELEASE_MANAGERS],
  'user:default/ada': [RELEASE_MANAGERS],
  'user:default/bob': [RELEASE_MANAGERS],
  'user:default/cy': [RELEASE_MANAGERS],
  'user:default/kenji': ['group:default/search-ml'],
};

/** Group membership as the catalog's user entities would give it. */
const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(MEMBERS[ref] ?? [])],
      };
    },
  }),
});

function user(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf: ['release-managers'] },
  };
}

/** The group with its members, as the catalog's processing relates them. */
const releaseManagers: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'release-managers', namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: Object.entries(MEMBERS)
    .filter(([, groups]) => groups.includes(RELEASE_MANAGERS))
    .map(([targetRef]) => ({ type: 'hasMember', targetRef })),
};

/**
 * Approvals in the portal, against the demo cluster, the demo Git server
 * and Backstage's notifications backend: production requires two
 * release managers other than the requester.
 */
describe('approvals', () => {
  const demo = demoClusterAndGit('approvals-test-');
  const auditor = recordingAuditor();
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;
  let production: string;

  beforeAll(async () => {
    await demo.start();
    production = `${demo.gitServer.url}/production-models.git`;
    backend = await startModelDeploymentsBackend({
      clusters: [demo.clusterConfig()],
      entities: [
        exampleModel('iris-classifier'),
        ...['priya', 'ada', 'bob', 'cy'].map(user),
        releaseManagers,
      ],
      modelDeployments: {
        gitops: { cacheDir: demo.cacheDir },
        environments: [
          ...demo.stagingAndProduction({
            production: {
              approval: {
                groups: ['release-managers'],
                required: 2,
                expiresAfter: { hours: 1 },
              },
            },
          }),
        ],
      },
      features: [notificationsPlugin, userInfo, auditor.factory],
      config: { app: { baseUrl: 'http://127.0.0.1:3000' } },
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await demo.stop();
  });

  const as = (name: string) => ({
    post: (route: string, body: object) =>
      request(backend.server)
        .post(`/api/model-deployments/${route}`)
        .set(
          'Authorization',
          mockCredentials.user.header(`user:default/${name}`),
        )
        .send(body),
    get: (route: string) =>
      request(backend.server)
        .get(`/api/model-deployments/${route}`)
        .set(
          'Authorization',
          mockCredentials.user.header(`user:default/${name}`),
        ),
  });
  const promote = (overrides?: object) =>
    as('priya').post('promotions', {
      entityRef: IRIS,
      from: 'staging',
      to: 'production',
      ...(overrides ? { overrides } : {}),
    });
  const decide = (name: string, id: string, body: object) =>
    as(name).post(`promotions/${id}/decisions`, body);
  const notificationsOf = async (name: string) => {
    const res = await request(backend.server)
      .get('/api/notifications')
      .set(
        'Authorization',
        mockCredentials.user.header(`user:default/${name}`),
      );
    expect(res.status).toBe(200);
    return (res.body.notifications as Array<{ payload: any }>).map(
      n => n.payload,
    );
  };
  const recorded = async (id: string, name = 'priya') => {
    const res = await as(name).get(`promotions?entityRef=${IRIS}`);
    expect(res.status).toBe(200);
    return (res.body.promotions as PromotionRecord[]).find(p => p.id === id)!;
  };

  it('a dry run says what the promotion would wait for', async () => {
    const res = await as('priya').post('promotions', {
      entityRef: IRIS,
      from: 'staging',
      to: 'production',
      dryRun: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'dry-run',
      approval: { required: 2, groups: [RELEASE_MANAGERS], decisions: [] },
    });
    expect(res.body.diff).not.toBe('');
  });

  it('holds a promotion until two others approve, then commits what they were shown', async () => {
    const before = await remoteHead(production);
    const asked = await promote();
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({
      status: 'pending-approval',
      message: 'Waiting for 2 approvals from release-managers',
      approval: { required: 2, groups: [RELEASE_MANAGERS], decisions: [] },
    });
    expect(asked.body.diff).toContain('+++ b/models/');
    const id: string = asked.body.id;
    expect(await remoteHead(production)).toBe(before);

    // The approvers are told; the requester is not asked to approve.
    const asks = await waitFor(
      () => notificationsOf('ada'),
      list => list.length > 0,
    );
    expect(asks).toEqual([
      expect.objectContaining({
        title: 'Approval needed: promotion of iris-classifier to production',
        severity: 'high',
        scope: `model-deployments:promotion:${id}`,
      }),
    ]);
    expect(await notificationsOf('priya')).toEqual([]);

    // Only one waits per model and environment.
    const again = await promote();
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(
      'is already waiting for approval',
    );

    // Who may decide: not the requester, not outside the groups.
    expect((await recorded(id)).approval?.canDecide).toBe(false);
    const pending = await as('ada').get('approvals');
    expect(pending.status).toBe(200);
    expect(pending.body.promotions).toEqual([
      expect.objectContaining({
        id,
        status: 'pending-approval',
        approval: expect.objectContaining({
          canDecide: true,
          // What the approvers decide on: the change as it was planned.
          diff: asked.body.diff,
        }),
      }),
    ]);
    const own = await decide('priya', id, { decision: 'approve' });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe(
      'You asked for this promotion; another member of release-managers must approve it',
    );
    const outsider = await decide('kenji', id, { decision: 'approve' });
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.message).toBe(
      "Only members of release-managers approve promotions into 'production'",
    );

    const first = await decide('ada', id, {
      decision: 'approve',
      comment: 'Soaked in staging',
    });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('pending-approval');
    expect(await remoteHead(production)).toBe(before);
    // A retry is answered as the promotion stands; a change of mind is not.
    const retried = await decide('ada', id, {
      decision: 'approve',
      comment: 'Soaked in staging',
    });
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('pending-approval');
    expect(retried.body.approval.decisions).toHaveLength(1);
    const changed = await decide('ada', id, {
      decision: 'reject',
      comment: 'On second thought',
    });
    expect(changed.status).toBe(409);
    expect(changed.body.error.message).toBe(
      'You have already approved this promotion; a decision cannot be changed',
    );

    const second = await decide('bob', id, { decision: 'approve' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({
      status: 'committed',
      commit: { sha: await remoteHead(production) },
    });
    expect(second.body.commit.sha).not.toBe(before);
    const record = await recorded(id);
    expect(record).toMatchObject({
      status: 'committed',
      actor: 'user:default/priya',
      approval: {
        canDecide: false,
        decisions: [
          expect.objectContaining({
            by: 'user:default/ada',
            decision: 'approved',
            comment: 'Soaked in staging',
          }),
          expect.objectContaining({
            by: 'user:default/bob',
            decision: 'approved',
          }),
        ],
      },
    });
    const told = await waitFor(
      () => notificationsOf('priya'),
      list =>
        list.some(n => n.title === 'Promoted iris-classifier to production'),
    );
    expect(told.map(n => n.title)).toContain(
      'Promoted iris-classifier to production',
    );
    expect((await as('ada').get('approvals')).body.promotions).toEqual([]);
    // Every decision is audited, with how the promotion then stood.
    expect(
      auditor.events.filter(e => e.eventId === 'promotion-approval'),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          meta: {
            actor: 'user:default/ada',
            promotionId: id,
            decision: 'approve',
          },
          success: expect.objectContaining({ status: 'pending-approval' }),
        }),
        expect.objectContaining({
          meta: {
            actor: 'user:default/bob',
            promotionId: id,
            decision: 'approve',
          },
          success: expect.objectContaining({
            status: 'committed',
            commit: second.body.commit.sha,
          }),
        }),
      ]),
    );
  });

  it('ends a promotion at the first rejection, with the reason', async () => {
    const before = await remoteHead(production);
    const asked = await promote({ replicas: 3 });
    expect(asked.status).toBe(201);
    const id: string = asked.body.id;

    const noReason = await decide('ada', id, { decision: 'reject' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toBe(
      'Invalid request body: comment: comment is required to reject: say why',
    );
    const rejected = await decide('ada', id, {
      decision: 'reject',
      comment: 'Not during the audit',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      message: 'Rejected by user:default/ada: Not during the audit',
    });
    const late = await decide('bob', id, { decision: 'approve' });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe(
      'This promotion is no longer waiting for approval: it is rejected',
    );
    expect(await remoteHead(production)).toBe(before);
    const told = await waitFor(
      () => notificationsOf('priya'),
      list => list.some(n => n.title.endsWith('rejected')),
    );
    expect(told).toContainEqual(
      expect.objectContaining({
        title: 'Promotion of iris-classifier to production rejected',
        description: 'Rejected by user:default/ada: Not during the audit',
      }),
    );
  });

  it('writes an approved promotion once when the last two approve at the same moment', async () => {
    const before = await remoteHead(production);
    const asked = await promote({ replicas: 4 });
    expect(asked.status).toBe(201);
    const id: string = asked.body.id;
    expect((await decide('ada', id, { decision: 'approve' })).status).toBe(200);
    const answers = await Promise.all([
      decide('bob', id, { decision: 'approve' }),
      decide('cy', id, { decision: 'approve' }),
    ]);
    // One writes it; the other finds it approved already: either it saw it
    // still waiting and was told how it stands, or it came too late.
    const [writer] = answers.filter(a => a.body.status === 'committed');
    expect(writer.status).toBe(200);
    const other = answers.find(a => a !== writer)!;
    const otherSaw =
      other.status === 200
        ? other.body.status
        : `${other.status}: ${other.body.error.message}`;
    expect(otherSaw).toMatch(
      /^(running|committed|409: This promotion is no longer waiting for approval: it is (running|committed))$/,
    );
    const record = await waitFor(
      () => recorded(id),
      r => r.status !== 'running',
    );
    expect(record.status).toBe('committed');
    const after = await remoteHead(production);
    expect(record.commit?.sha).toBe(after);
    // One commit on top of the one before, asked for by the requester.
    const clone = await fs.mkdtemp(path.join(os.tmpdir(), 'approvals-check-'));
    try {
      await git(os.tmpdir(), 'clone', '-q', production, clone);
      expect(
        await git(clone, 'rev-list', '--count', `${before}..${after}`),
      ).toBe('1');
      expect(
        JSON.parse(await git(clone, 'log', '-1', '--format=%B')),
      ).toMatchObject({ Action: 'Promoted from staging', Author: 'priya' });
    } finally {
      await fs.rm(clone, { recursive: true, force: true });
    }
  });

  it('does not hold a pull request: its review is the approval', async () => {
    const body = {
      entityRef: IRIS,
      from: 'staging',
      to: 'production',
      strategy: 'pull-request',
      overrides: { replicas: 5 },
    };
    // The dry run still names the policy, so a dialog can say a commit would wait.
    const dryRun = await as('priya').post('promotions', {
      ...body,
      dryRun: true,
    });
    expect(dryRun.body).toMatchObject({
      status: 'dry-run',
      approval: { required: 2, groups: [RELEASE_MANAGERS] },
    });
    const before = await remoteHead(production);
    const proposed = await as('priya').post('promotions', body);
    expect(proposed.status).toBe(201);
    // The demo Git server has no pull request API: a branch for review.
    expect(proposed.body.status).toBe('branch-pushed');
    expect(proposed.body.approval).toBeUndefined();
    expect(await remoteHead(production)).toBe(before);
    expect(await remoteHead(production, proposed.body.branch)).toBe(
      proposed.body.commit.sha,
    );
  });

  it('writes nothing when production changed after the approvers saw the diff', async () => {
    const asked = await promote({ replicas: 6 });
    expect(asked.status).toBe(201);
    const id: string = asked.body.id;
    // Someone changes the same file in production's repository meanwhile.
    const clone = await fs.mkdtemp(
      path.join(os.tmpdir(), 'approvals-outside-'),
    );
    try {
      await git(os.tmpdir(), 'clone', '-q', production, clone);
      const file = path.join(
        clone,
        'models/SeldonDeployment-iris-classifier.json',
      );
      await fs.writeFile(
        file,
        (
          await fs.readFile(file, 'utf8')
        ).replace(/"replicas": \d+/, '"replicas": 7'),
      );
      await git(
        clone,
        '-c',
        'user.name=Outside',
        '-c',
        'user.email=o@example.com',
        'commit',
        '-qam',
        'Seven replicas by hand',
      );
      await git(clone, 'push', '-q', 'origin', 'HEAD:main');
    } finally {
      await fs.rm(clone, { recursive: true, force: true });
    }
    const outside = await remoteHead(production);

    expect((await decide('ada', id, { decision: 'approve' })).status).toBe(200);
    const last = await decide('bob', id, { decision: 'approve' });
    expect(last.status).toBe(409);
    expect(last.body.error.message).toBe(
      "Not written: 'production' changed since the promotion was asked for, so the diff its approvers saw no longer applies; ask for it again",
    );
    expect(await remoteHead(production)).toBe(outside);
    expect(await recorded(id)).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('ask for it again'),
    });
    // The approvers hear how it ended, as the requester does.
    for (const name of ['ada', 'priya']) {
      const told = await waitFor(
        () => notificationsOf(name),
        list =>
          list.some(n =>
            String(n.description).includes('diff its approvers saw'),
          ),
      );
      expect(
        told.find(n => String(n.description).includes('diff its approvers')),
      ).toMatchObject({
        title: 'Promotion of iris-classifier to production failed',
      });
    }
  });

  it('refuses bad input naming the field, and unknown promotions', async () => {
    const badId = await decide('ada', 'not-a-uuid', { decision: 'approve' });
    expect(badId.status).toBe(400);
    expect(badId.body.error.message).toBe(
      'Invalid path: promotion id must be the id of a recorded promotion',
    );
    const badDecision = await decide('ada', randomUUID(), {
      decision: 'maybe',
    });
    expect(badDecision.status).toBe(400);
    expect(badDecision.body.error.message).toContain('decision');
    const unknown = await decide('ada', randomUUID(), {
      decision: 'approve',
    });
    expect(unknown.status).toBe(404);
  });
});

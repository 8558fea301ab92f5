import {
  PromotionRecord,
  PromotionResult,
} from '@seed-mlops/plugin-model-deployments-common';
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { promisify } from 'util';
import {
  demoClusterAndGit,
  exampleModel,
} from '../__testUtils__/demoClusterAndGit';
import { recordingAuditor } from '../__testUtils__/recordingAuditor';
import { startModelDeploymentsBackend } from '../__testUtils__/startModelDeploymentsBackend';

const execFileAsync = promisify(execFile);
const FRAUD = 'models/SeldonDeployment-fraud-scorer.json';
const TOXICITY = 'models/InferenceService-toxicity-filter.yaml';

async function git(cwd: string, ...args: string[]) {
  const { stdout } = await execFileAsync('git', args, { cwd });
  return stdout.trim();
}

/** The commit a branch of a served repository points at. */
async function remoteHead(url: string) {
  const out = await git(os.tmpdir(), 'ls-remote', url, 'refs/heads/main');
  return out.split(/\s/)[0] ?? '';
}

// Against a real Git server (Debian's git http-backend) and the demo
// cluster: promotions move production forward, rollbacks bring it back.
describe('rollbacks through Git', () => {
  const demo = demoClusterAndGit('rollback-test-');
  const { gitServer, tmp } = demo;
  const auditor = recordingAuditor();
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;
  let production: string;

  beforeAll(async () => {
    await demo.start();
    production = `${gitServer.url}/production-models.git`;
    backend = await startModelDeploymentsBackend({
      clusters: [demo.clusterConfig()],
      entities: ['fraud-scorer', 'toxicity-filter', 'iris-classifier'].map(
        exampleModel,
      ),
      modelDeployments: {
        gitops: { cacheDir: demo.cacheDir },
        promotion: {
          committer: { name: 'Backstage Bot', email: 'bot@example.com' },
        },
        environments: [
          {
            name: 'staging',
            cluster: 'demo',
            namespace: 'staging',
            gitops: { repoUrl: `${gitServer.url}/models.git`, branch: 'main' },
          },
          {
            name: 'production',
            cluster: 'demo',
            namespace: 'production',
            gitops: { repoUrl: production, branch: 'main', path: 'models' },
          },
          { name: 'no-git', cluster: 'demo', namespace: 'dev' },
        ],
      },
      features: [auditor.factory],
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await demo.stop();
  });

  const post = (route: string, body: object) =>
    request(backend.server).post(`/api/model-deployments/${route}`).send(body);

  /** The production repository's file as committed at `commit`, or undefined. */
  const fileAt = async (commit: string, file: string) => {
    const dir = fs.mkdtempSync(path.join(tmp, 'clone-'));
    await git(tmp, 'clone', '-q', production, dir);
    try {
      return await git(dir, 'show', `${commit}:${file}`);
    } catch {
      return undefined;
    }
  };

  /** Promotes a model from staging into production; resolves to its record id. */
  const promote = async (model: string) => {
    const res = await post('promotions', {
      entityRef: `component:default/${model}`,
      from: 'staging',
      to: 'production',
      force: true,
    });
    expect(res.status).toBe(201);
    return res.body as PromotionResult;
  };

  const records = async (model: string) =>
    (
      await request(backend.server).get(
        `/api/model-deployments/promotions?entityRef=component:default/${model}`,
      )
    ).body.promotions as PromotionRecord[];

  it('restores a commit as a new commit, byte for byte, and records it', async () => {
    const before = await remoteHead(production);
    const original = await fileAt(before, FRAUD);
    const promoted = await promote('fraud-scorer');
    expect(await fileAt(promoted.commit!.sha, FRAUD)).not.toBe(original);

    // A dry run shows the way back and writes nothing.
    const dryRun = await post('rollbacks', {
      entityRef: 'component:default/fraud-scorer',
      environment: 'production',
      to: { commit: before.slice(0, 10) },
      dryRun: true,
    });
    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toMatchObject({
      kind: 'rollback',
      status: 'dry-run',
      from: 'production',
      to: 'production',
      restored: { commit: before },
      files: [{ path: FRAUD, change: 'update' }],
    });
    expect(dryRun.body.diff).toContain(`--- a/${FRAUD}`);
    expect(await remoteHead(production)).toBe(promoted.commit!.sha);

    const res = await post('rollbacks', {
      entityRef: 'component:default/fraud-scorer',
      environment: 'production',
      to: { commit: before },
    });
    expect(res.status).toBe(201);
    const rollback = res.body as PromotionResult;
    expect(rollback).toMatchObject({
      kind: 'rollback',
      status: 'committed',
      restored: { commit: before },
    });
    // History is not rewritten: the rollback comes after the promotion.
    const head = await remoteHead(production);
    expect(head).toBe(rollback.commit!.sha);
    const clone = fs.mkdtempSync(path.join(tmp, 'clone-'));
    await git(tmp, 'clone', '-q', production, clone);
    expect(await git(clone, 'rev-parse', 'HEAD~1')).toBe(promoted.commit!.sha);
    expect(await fileAt(head, FRAUD)).toBe(original);
    expect(
      JSON.parse(await git(clone, 'log', '-1', '--format=%B')),
    ).toMatchObject({
      Action: `Rolled back to ${before.slice(0, 7)}`,
      Message: expect.stringContaining('Roll back fraud-scorer in production'),
    });

    expect((await records('fraud-scorer'))[0]).toMatchObject({
      id: rollback.id,
      kind: 'rollback',
      from: 'production',
      to: 'production',
      status: 'committed',
      restored: { commit: before },
      commit: { sha: head },
    });
    expect(
      auditor.events.filter(e => e.eventId === 'rollback').at(-1),
    ).toMatchObject({
      outcome: 'success',
      meta: expect.objectContaining({
        actor: 'user:default/mock',
        entityRef: 'component:default/fraud-scorer',
        environment: 'production',
        to: { commit: before },
        dryRun: false,
      }),
    });

    // Rolling back to the promotion brings its state back again.
    const again = await post('rollbacks', {
      entityRef: 'component:default/fraud-scorer',
      environment: 'production',
      to: { promotionId: promoted.id },
    });
    expect(again.status).toBe(201);
    expect(again.body.restored).toEqual({
      commit: promoted.commit!.sha,
      promotionId: promoted.id,
    });
    expect(await fileAt(again.body.commit.sha, FRAUD)).toBe(
      await fileAt(promoted.commit!.sha, FRAUD),
    );
  });

  it('removes a file the model did not have at the commit restored', async () => {
    const before = await remoteHead(production);
    expect(await fileAt(before, TOXICITY)).toBeUndefined();
    const promoted = await promote('toxicity-filter');
    expect(promoted.files).toEqual([{ path: TOXICITY, change: 'create' }]);

    const res = await post('rollbacks', {
      entityRef: 'component:default/toxicity-filter',
      environment: 'production',
      to: { commit: before },
      strategy: 'commit',
    });
    expect(res.body.error?.message).toBeUndefined();
    expect(res.status).toBe(201);
    expect(res.body.files).toEqual([{ path: TOXICITY, change: 'delete' }]);
    expect(res.body.diff).toContain('+++ /dev/null');
    expect(await fileAt(res.body.commit.sha, TOXICITY)).toBeUndefined();
    // Rolled back already: the same request changes nothing more.
    const repeat = await post('rollbacks', {
      entityRef: 'component:default/toxicity-filter',
      environment: 'production',
      to: { commit: before },
    });
    expect(repeat.status).toBe(200);
    expect(repeat.body.status).toBe('up-to-date');
    expect(await remoteHead(production)).toBe(res.body.commit.sha);
  });

  it.each([
    [
      'both a promotion and a commit',
      {
        promotionId: '6f1c1b9e-5d0a-4a8e-9d43-1d2f0c3b4a5e',
        commit: 'abcdef0',
      },
      /to: to must name either promotionId or commit, not both/,
    ],
    ['a commit that is not hexadecimal', { commit: 'main~1' }, /to.commit: /],
    [
      'a commit not in the history',
      { commit: 'abcdef0123' },
      /to.commit: abcdef0123 is not among the \d+ commits that changed environment 'production'/,
    ],
    [
      'a promotion that does not exist',
      { promotionId: '6f1c1b9e-5d0a-4a8e-9d43-1d2f0c3b4a5e' },
      /to.promotionId: no promotion 6f1c1b9e/,
    ],
  ])(
    'refuses %s, naming the field, and writes nothing',
    async (_, to, message) => {
      const before = await remoteHead(production);
      const res = await post('rollbacks', {
        entityRef: 'component:default/fraud-scorer',
        environment: 'production',
        to,
      });
      expect([400, 404]).toContain(res.status);
      expect(res.body.error.message).toMatch(message);
      expect(await remoteHead(production)).toBe(before);
    },
  );

  it('refuses an environment without Git, and one that does not exist', async () => {
    const noGit = await post('rollbacks', {
      entityRef: 'component:default/fraud-scorer',
      environment: 'no-git',
      to: { commit: 'abcdef0' },
    });
    expect(noGit.status).toBe(400);
    expect(noGit.body.error.message).toMatch(
      /environment: 'no-git' has no GitOps source/,
    );
    const unknown = await post('rollbacks', {
      entityRef: 'component:default/fraud-scorer',
      environment: 'nowhere',
      to: { commit: 'abcdef0' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/environment: "nowhere"/);
  });

  it('refuses a promotion into another environment', async () => {
    const dev = await post('promotions', {
      entityRef: 'component:default/iris-classifier',
      from: 'staging',
      to: 'production',
      dryRun: true,
    });
    expect(dev.status).toBe(200);
    const promoted = await promote('iris-classifier');
    const res = await post('rollbacks', {
      entityRef: 'component:default/iris-classifier',
      environment: 'staging',
      to: { promotionId: promoted.id },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /to.promotionId: promotion .* went to 'production', not 'staging'/,
    );
  });
});

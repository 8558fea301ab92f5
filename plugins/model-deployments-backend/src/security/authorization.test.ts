import { MODEL_SERVING_TYPES } from '@seed-mlops/demo-cluster';
import {
  EntityDeploymentsResponse,
  FleetResponse,
  PromotionResult,
  PromotionsResponse,
} from '@seed-mlops/plugin-model-deployments-common';
import { execFile } from 'child_process';
import fs from 'fs';
import path from 'path';
import request from 'supertest';
import { promisify } from 'util';
import { secretScanResults } from '../testUtils';
import {
  EXAMPLES,
  FRAUD,
  IRIS,
  SecurityBackend,
  SecurityCaller,
  errorMessage,
  modelOf,
  productionOnlyStrings,
  startSecurityBackend,
} from '../__testUtils__/securityBackend';

/*
 * Security regression suite, part 1: who may call, what each caller reads,
 * and which promotions are refused. Every row asserts the status, the
 * message and that nothing was written (Git refs, cluster objects,
 * promotion records).
 */

const execFileAsync = promisify(execFile);
const nameOf = (ref: string) => ref.split('/')[1];

describe('security: authentication and authorization', () => {
  let s: SecurityBackend;
  /** The commits of the two pull-request promotions seeded into production. */
  const seeded: Record<string, string> = {};
  /** What each caller must never find in a response. */
  let forbidden: Record<'owner' | 'others', string[]>;

  beforeAll(async () => {
    s = await startSecurityBackend();
    // A record and a branch of production for each model, while production's
    // main branch (the target's current manifests) stays as it was.
    for (const [entityRef, force] of [
      [FRAUD, true],
      [IRIS, false],
    ] as const) {
      const res = await s.post('allow-all', '/promotions', {
        entityRef,
        to: 'production',
        strategy: 'pull-request',
        force,
      });
      if (res.body.status !== 'branch-pushed') {
        throw new Error(`Seeding failed: ${JSON.stringify(res.body)}`);
      }
      seeded[entityRef] = res.body.commit.sha;
    }
    const { stdout } = await execFileAsync('git', [
      '--git-dir',
      path.join(s.gitServer.repositoriesDir, 'production-models.git'),
      'rev-list',
      '--all',
    ]);
    const productionCommits = stdout.split('\n').filter(Boolean);
    const strings = productionOnlyStrings();
    const uids = MODEL_SERVING_TYPES.flatMap(type =>
      s.cluster.store
        .list(type, 'production')
        .map(o => [modelOf(o), o.metadata.uid as string] as const),
    );
    const ofModels = (keep: (model: string) => boolean) => [
      ...Object.entries(strings).flatMap(([m, list]) => (keep(m) ? list : [])),
      ...uids.flatMap(([m, uid]) => (keep(m) && uid ? [uid] : [])),
    ];
    forbidden = {
      // The owner reads iris-classifier in production, and production's
      // own state (its head commit), but nothing of the other models.
      owner: [...ofModels(m => m !== nameOf(IRIS)), seeded[FRAUD]],
      others: [...ofModels(() => true), ...productionCommits],
    };
    if (forbidden.others.length < 20) {
      throw new Error('Too few production-only strings to search for');
    }
  }, 60_000);

  afterAll(async () => {
    await s?.stop();
  });

  /** The production data in `text` that `caller` may not see. */
  const productionDataIn = (caller: SecurityCaller, text: string) =>
    (caller === 'owner' ? forbidden.owner : forbidden.others).filter(value =>
      text.includes(value),
    );

  describe('authentication', () => {
    const routes: Array<[string, string, object?]> = [
      ['GET', '/environments'],
      ['GET', '/fleet'],
      ['GET', `/deployments?entityRef=${IRIS}`],
      ['GET', `/history?entityRef=${IRIS}&environment=production`],
      ['GET', `/promotions?entityRef=${IRIS}`],
      ['POST', '/refresh', { environment: 'production' }],
      ['POST', '/promotions', { entityRef: IRIS, to: 'staging', force: true }],
      [
        'POST',
        '/rollbacks',
        { entityRef: IRIS, environment: 'staging', to: { commit: 'abcdef0' } },
      ],
      [
        'POST',
        '/environments',
        { name: 'sec-auth', cluster: 'demo', stage: 15 },
      ],
    ];
    const credentials: Array<[string, string | undefined]> = [
      ['no Authorization header', undefined],
      ['the mock "none" token', 'Bearer mock-none-token'],
      ['a made-up token', 'Bearer forged.token.value'],
    ];
    it.each(
      credentials.flatMap(([label, header]) =>
        routes.map(
          ([method, url, body]) => [method, url, label, header, body] as const,
        ),
      ),
    )(
      '%s %s with %s answers 401',
      async (method, url, _label, header, body) => {
        const before = await s.snapshot();
        const full = `/api/model-deployments${url}`;
        let req =
          method === 'GET'
            ? request(s.backend.server).get(full)
            : request(s.backend.server).post(full);
        if (header) req = req.set('Authorization', header);
        const res = await (body ? req.send(body) : req);
        expect({
          ...(await s.outcome(res, body)),
          name: res.body.error?.name,
        }).toEqual({
          ...s.refusal({ status: 401, message: /credentials|token/i, before }),
          name: 'AuthenticationError',
        });
      },
    );
  });

  describe('read filtering', () => {
    type Route =
      | '/deployments'
      | '/fleet'
      | '/history'
      | '/promotions'
      | '/refresh production'
      | '/refresh all';
    const routes: Route[] = [
      '/deployments',
      '/fleet',
      '/history',
      '/promotions',
      '/refresh production',
      '/refresh all',
    ];
    const callers: SecurityCaller[] = ['non-owner', 'owner', 'deny-all'];
    const rows = callers.flatMap(caller =>
      [IRIS, FRAUD].flatMap(model =>
        routes.map(route => [caller, model, route] as const),
      ),
    );

    const call = (caller: SecurityCaller, model: string, route: Route) => {
      switch (route) {
        case '/deployments':
          return s.get(caller, `/deployments?entityRef=${model}`);
        case '/fleet':
          return s.get(caller, '/fleet');
        case '/history':
          return s.get(
            caller,
            `/history?entityRef=${model}&environment=production`,
          );
        case '/promotions':
          return s.get(caller, `/promotions?entityRef=${model}`);
        case '/refresh production':
          return s.post(caller, '/refresh', {
            environment: 'production',
            entityRef: model,
          });
        default:
          return s.post(caller, '/refresh', { entityRef: model });
      }
    };

    const namesOf = (res: request.Response) =>
      (
        res.body.environments as Array<{ environment: string }> | undefined
      )?.map(e => e.environment);

    /** What the answer shows of production, in a form to compare with {@link expected}. */
    const observe = (route: Route, res: request.Response, model: string) => {
      switch (route) {
        case '/deployments':
          return {
            status: res.status,
            columns: (res.body as EntityDeploymentsResponse).environments.map(
              c => ({
                name: c.environment.name,
                error: c.error?.type,
                namesEnvironment: c.error?.message.includes(
                  `'${c.environment.name}'`,
                ),
                deployments: c.deployments.length > 0,
                git: c.git?.commit !== undefined,
              }),
            ),
          };
        case '/fleet': {
          const body = res.body as FleetResponse;
          const entry = body.models.find(m => m.entityRef === model)!;
          const production = body.environments.find(
            e => e.environment.name === 'production',
          )!;
          return {
            status: res.status,
            deployedInProduction: entry.deployments.some(
              d => d.environment === 'production',
            ),
            notPermitted: entry.notPermitted?.includes('production') ?? false,
            environmentError: production.error?.type,
            environmentGit: production.git !== undefined,
            anyDeployments: body.models.some(m => m.deployments.length > 0),
          };
        }
        case '/history':
          return {
            status: res.status,
            message: errorMessage(res),
            commits: (res.body.commits?.length ?? 0) > 0,
          };
        case '/promotions':
          return {
            status: res.status,
            records: (res.body as PromotionsResponse).promotions.map(
              p => `${p.from}>${p.to}`,
            ),
          };
        default:
          return {
            status: res.status,
            message: errorMessage(res),
            environments: namesOf(res),
          };
      }
    };

    /** What {@link observe} must find for a caller who reads production or not. */
    const expected = (
      route: Route,
      caller: SecurityCaller,
      model: string,
      readable: boolean,
    ) => {
      const readsAnything = caller !== 'deny-all';
      switch (route) {
        case '/deployments':
          return {
            status: 200,
            columns: ['dev', 'staging', 'production'].map(name => {
              const allowed = name === 'production' ? readable : readsAnything;
              return {
                name,
                error: allowed ? undefined : 'NOT_PERMITTED',
                namesEnvironment: allowed ? undefined : true,
                deployments: allowed,
                git: allowed,
              };
            }),
          };
        case '/fleet':
          return {
            status: 200,
            deployedInProduction: readable,
            notPermitted: !readable,
            // The environment as a whole: for a caller who reads some model there.
            environmentError: caller === 'owner' ? undefined : 'NOT_PERMITTED',
            environmentGit: caller === 'owner',
            anyDeployments: readsAnything,
          };
        case '/history':
          return readable
            ? { status: 200, message: '', commits: true }
            : {
                status: 403,
                message: `You may not see the history of ${model} in 'production'`,
                commits: false,
              };
        case '/promotions':
          return {
            status: 200,
            records: readable ? ['staging>production'] : [],
          };
        case '/refresh production':
          return readable
            ? { status: 200, message: '', environments: ['production'] }
            : {
                status: 403,
                message: "You may not refresh environment 'production'",
                environments: undefined,
              };
        default:
          return {
            status: 200,
            message: '',
            environments: [
              ...(readsAnything ? ['dev', 'staging'] : []),
              ...(readable ? ['production'] : []),
            ],
          };
      }
    };

    it.each(rows)(
      '%s reading %s through %s gets nothing of production it may not read',
      async (caller, model, route) => {
        const before = await s.snapshot();
        const res = await call(caller, model, route);
        // Only the owner of iris-classifier reads it in production.
        const readable = caller === 'owner' && model === IRIS;
        const irisInProduction = productionOnlyStrings()[nameOf(IRIS)];
        expect({
          answer: observe(route, res, model),
          productionData: productionDataIn(caller, res.text),
          // The search does find production data where the caller may see
          // it: the entity view's strings found only in production; the
          // fleet's row of iris in production, which has none of those.
          irisProductionData:
            route === '/fleet'
              ? (res.body as FleetResponse).models
                  .find(m => m.entityRef === IRIS)!
                  .deployments.some(d => d.environment === 'production')
              : irisInProduction.some(v => res.text.includes(v)),
          written: await s.snapshot(),
        }).toEqual({
          answer: expected(route, caller, model, readable),
          productionData: [],
          irisProductionData:
            caller === 'owner' &&
            (route === '/fleet' || (route === '/deployments' && readable)),
          written: before,
        });
      },
    );
  });

  describe('promotion refusals', () => {
    const rows: Array<
      [
        SecurityCaller,
        string,
        string,
        { force: boolean; dryRun: boolean },
        RegExp,
      ]
    > = [];
    for (const model of [IRIS, FRAUD]) {
      for (const force of [false, true]) {
        for (const dryRun of [true, false]) {
          rows.push([
            'non-owner',
            model,
            'production',
            { force, dryRun },
            new RegExp(
              `^You may not promote ${model} into environment 'production'$`,
            ),
          ]);
        }
      }
      // Non-owners promote into staging, but only the owner may force it.
      for (const dryRun of [true, false]) {
        rows.push([
          'non-owner',
          model,
          'staging',
          { force: true, dryRun },
          /^You may not force a promotion into environment 'staging'/,
        ]);
      }
    }
    for (const dryRun of [true, false]) {
      rows.push(
        [
          'owner',
          FRAUD,
          'production',
          { force: false, dryRun },
          new RegExp(
            `^You may not promote ${FRAUD} into environment 'production'$`,
          ),
        ],
        [
          'owner',
          FRAUD,
          'staging',
          { force: true, dryRun },
          /^You may not force a promotion into environment 'staging'/,
        ],
        [
          'deny-all',
          IRIS,
          'staging',
          { force: false, dryRun },
          new RegExp(`^You may not see ${IRIS} in environment 'dev'$`),
        ],
        [
          'deny-all',
          IRIS,
          'production',
          { force: true, dryRun },
          new RegExp(`^You may not see ${IRIS} in environment 'staging'$`),
        ],
      );
    }

    it.each(rows)(
      '%s promoting %s into %s (%j) gets 403 and nothing is written',
      async (caller, entityRef, to, flags, message) => {
        const before = await s.snapshot();
        const res = await s.post(caller, '/promotions', {
          entityRef,
          to,
          ...flags,
        });
        expect({
          ...(await s.outcome(res)),
          name: res.body.error?.name,
          diff: 'diff' in res.body,
          productionData: productionDataIn(caller, res.text),
        }).toEqual({
          ...s.refusal({ status: 403, message, before }),
          name: 'NotAllowedError',
          diff: false,
          productionData: [],
        });
      },
    );
  });

  describe('dry runs into an environment the caller may not read', () => {
    /** Lines of production's manifest of the model that staging's does not have. */
    const productionOnlyLines = (model: string) => {
      const file = `SeldonDeployment-${nameOf(model)}.json`;
      const staging = fs.readFileSync(
        `${EXAMPLES}/gitops/models/staging/${file}`,
        'utf8',
      );
      return fs
        .readFileSync(
          `${EXAMPLES}/gitops/production-models/models/${file}`,
          'utf8',
        )
        .split('\n')
        .map(line => line.trim().replace(/,$/, ''))
        .filter(line => line.length > 3 && !staging.includes(line));
    };

    it.each([IRIS, FRAUD])(
      "production's manifest of %s has lines staging's has not",
      model => {
        expect(productionOnlyLines(model).length).toBeGreaterThan(0);
      },
    );

    it.each([
      ['blind-promoter', IRIS, false, 'withheld'],
      ['blind-promoter', IRIS, true, 'withheld'],
      ['blind-promoter', FRAUD, false, 'withheld'],
      ['blind-promoter', FRAUD, true, 'withheld'],
      // The owner reads production: the diff is theirs to see.
      ['owner', IRIS, false, 'shown'],
    ] as const)(
      '%s dry-running %s into production (force %s): the diff is %s',
      async (caller, entityRef, force, expected) => {
        const before = await s.snapshot();
        const res = await s.post(caller, '/promotions', {
          entityRef,
          to: 'production',
          force,
          dryRun: true,
        });
        const result = res.body as PromotionResult;
        const file = `models/SeldonDeployment-${nameOf(entityRef)}.json`;
        const lines = productionOnlyLines(entityRef);
        const withheld = {
          diffWithheld: expect.stringMatching(/production/),
          diffIsEmpty: true,
          linesOfTargetInDiff: [],
          linesOfTargetAnywhere: [],
        };
        const someLines = expect.arrayContaining([expect.any(String)]);
        const shown = {
          diffWithheld: undefined,
          diffIsEmpty: false,
          // The removed lines are the target's current manifest.
          linesOfTargetInDiff: someLines,
          linesOfTargetAnywhere: someLines,
        };
        // JSON.stringify(result) holds the lines JSON-escaped.
        const escaped = JSON.stringify(result);
        expect({
          status: res.status,
          result: {
            status: result.status,
            from: result.from,
            to: result.to,
            files: result.files,
          },
          diffWithheld: result.diffWithheld,
          diffIsEmpty: result.diff === '',
          linesOfTargetInDiff: lines.filter(l => result.diff.includes(l)),
          linesOfTargetAnywhere: lines.filter(l =>
            escaped.includes(JSON.stringify(l).slice(1, -1)),
          ),
          productionData: productionDataIn(
            expected === 'withheld' ? 'non-owner' : 'owner',
            res.text,
          ),
          written: await s.snapshot(),
        }).toEqual({
          status: 200,
          result: {
            status: 'dry-run',
            from: 'staging',
            to: 'production',
            files: [{ path: file, change: 'update' }],
          },
          ...(expected === 'withheld' ? withheld : shown),
          productionData: [],
          written: before,
        });
      },
    );
  });

  it('no response above carried the cluster token or a URL password', () => {
    expect(secretScanResults.scanned).toBeGreaterThan(80);
    expect(secretScanResults.findings).toEqual([]);
  });
});

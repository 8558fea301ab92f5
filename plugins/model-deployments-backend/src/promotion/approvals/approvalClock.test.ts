import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Environment } from '@seed-mlops/plugin-model-deployments-common';
import { EnvironmentCheck } from '@seed-mlops/plugin-model-deployments-node';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { DeploymentsService } from '../../service/DeploymentsService';
import { FreezeWindows } from '../freeze/FreezeWindows';
import { PreparedPromotion } from '../PromotionPlanner';
import { ApprovalStore } from './ApprovalStore';
import { Approvals } from './Approvals';

const databases = createTestDatabases();

const staging = { name: 'staging', title: 'Staging' } as Environment;
const production = { name: 'production', title: 'Production' } as Environment;
const canRead = Object.assign(() => true, {
  everywhere: true,
}) as EnvironmentCheck;
/** Every environment is readable; the catalog is not what is tested here. */
const deployments = {
  readableEnvironments: async () => undefined,
} as unknown as DeploymentsService;

const prepared = {
  ref: 'component:default/iris-classifier',
  from: staging,
  to: production,
  strategy: 'commit',
  request: { entityRef: 'component:default/iris-classifier', to: 'production' },
  actor: { ref: 'user:default/priya' },
  versions: ['gs://seldon-models/sklearn/iris'],
  files: [
    {
      path: 'models/SeldonDeployment-iris-classifier.json',
      object: { apiVersion: 'v1', kind: 'X', metadata: { name: 'iris' } },
    },
  ],
} as unknown as PreparedPromotion;

/** A policy of one approval, held for a day. */
const policy = {
  required: 1,
  groups: ['group:default/release-managers'],
  expiresAfterMs: 24 * 3600_000,
};
const dryRun = {
  kind: 'promotion' as const,
  status: 'dry-run' as const,
  entityRef: prepared.ref,
  from: 'staging',
  to: 'production',
  strategy: 'commit' as const,
  message: 'Would promote',
  files: [],
  diff: '',
  versions: prepared.versions,
};
const ada = mockCredentials.user('user:default/ada');
const adaInfo = mockServices.userInfo({
  ownershipEntityRefs: ['user:default/ada', 'group:default/release-managers'],
});

// Decisions against the clock: a freeze that starts while a promotion
// waits refuses the approval that would complete it (not kept, still
// waiting); an approval after the promotion's time is refused, and the
// promotion is expired, whether or not the expiry task has run.
describe('Approvals against the clock', () => {
  it.each(databases.eachSupportedId())(
    'refuses an approval that comes after the promotion expired, and expires it, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      let now = Date.parse('2026-11-27T09:00:00Z');
      const store = await ApprovalStore.create({ getClient: async () => knex });
      const approvals = new Approvals({
        store,
        policies: new Map(),
        deployments,
        auth: mockServices.auth(),
        userInfo: adaInfo,
        now: () => new Date(now),
      });
      const held = await approvals.hold(prepared, dryRun, policy, '');
      now = Date.parse('2026-11-28T09:00:01Z');
      const run = jest.fn();
      await expect(
        approvals.decide(held.id!, { decision: 'approve' }, ada, canRead, run),
      ).rejects.toThrow(
        'This promotion expired at 2026-11-28T09:00:00.000Z without approval; ask for it again',
      );
      expect(run).not.toHaveBeenCalled();
      expect(await approvals.listPending(ada, canRead)).toEqual({
        promotions: [],
      });
      const entry = await store.get(held.id!);
      expect(entry?.record.status).toBe('expired');
      expect(entry?.approval.decisions).toEqual([]);
      // The expiry task finds nothing more to do.
      expect(await approvals.expireDue()).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses the completing approval while frozen, then writes once after, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      let now = Date.parse('2026-11-27T09:00:00Z');
      const freezes = new FreezeWindows(
        new Map([
          [
            'production',
            [
              {
                reason: 'Black Friday',
                from: Date.parse('2026-11-27T10:00:00Z'),
                until: Date.parse('2026-11-27T12:00:00Z'),
              },
            ],
          ],
        ]),
        () => now,
      );
      const approvals = new Approvals({
        store: await ApprovalStore.create({ getClient: async () => knex }),
        policies: new Map(),
        deployments,
        freezes,
        auth: mockServices.auth(),
        userInfo: mockServices.userInfo({
          ownershipEntityRefs: [
            'user:default/ada',
            'group:default/release-managers',
          ],
        }),
        now: () => new Date(now),
      });
      const held = await approvals.hold(
        prepared,
        {
          kind: 'promotion',
          status: 'dry-run',
          entityRef: prepared.ref,
          from: 'staging',
          to: 'production',
          strategy: 'commit',
          message: 'Would promote',
          files: [],
          diff: '',
          versions: prepared.versions,
        },
        {
          required: 1,
          groups: ['group:default/release-managers'],
          expiresAfterMs: 24 * 3600_000,
        },
        '',
      );
      expect(held.status).toBe('pending-approval');

      now = Date.parse('2026-11-27T11:00:00Z');
      const run = jest.fn(async () => ({
        ...held,
        status: 'committed' as const,
      }));
      await expect(
        approvals.decide(held.id!, { decision: 'approve' }, ada, canRead, run),
      ).rejects.toThrow(
        "'production' is frozen until 2026-11-27T12:00:00.000Z: Black Friday. Wait until then, or force the promotion",
      );
      expect(run).not.toHaveBeenCalled();
      const waiting = await approvals.listPending(ada, canRead);
      expect(waiting.promotions).toEqual([
        expect.objectContaining({
          id: held.id,
          status: 'pending-approval',
          approval: expect.objectContaining({ decisions: [], canDecide: true }),
        }),
      ]);

      now = Date.parse('2026-11-27T12:30:00Z');
      const result = await approvals.decide(
        held.id!,
        { decision: 'approve' },
        ada,
        canRead,
        run,
      );
      expect(result.status).toBe('committed');
      expect(run).toHaveBeenCalledTimes(1);
      expect(run).toHaveBeenCalledWith(
        expect.objectContaining({
          record: expect.objectContaining({
            id: held.id,
            status: 'pending-approval',
          }),
          change: {
            request: {
              entityRef: prepared.ref,
              from: 'staging',
              to: 'production',
            },
            files: prepared.files,
            diff: '',
          },
        }),
        expect.anything(),
      );
    },
  );
});

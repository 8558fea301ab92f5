import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { PromotionStore } from '../PromotionStore';
import { ApprovalStore } from './ApprovalStore';

const databases = createTestDatabases();

/** The record of a promotion that started waiting (not one already waiting). */
async function added(
  store: ApprovalStore,
  ...args: Parameters<ApprovalStore['addPending']>
) {
  const result = await store.addPending(...args);
  if (!('record' in result)) throw new Error('another promotion was waiting');
  return result.record;
}

const promotion = {
  entityRef: 'component:default/fraud-scorer',
  from: 'staging',
  to: 'production',
  strategy: 'commit' as const,
  status: 'pending-approval' as const,
  actor: 'user:default/priya',
  versions: ['gs://models/fraud/v6'],
  message: 'Waiting for 2 approvals from release-managers',
};
const change = {
  request: {
    entityRef: promotion.entityRef,
    from: 'staging',
    to: 'production',
  },
  files: [
    {
      path: 'models/fraud-scorer.yaml',
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
    },
  ],
  diff: '--- a/models/fraud-scorer.yaml\n+++ b/models/fraud-scorer.yaml\n',
};

describe('ApprovalStore', () => {
  it.each(databases.eachSupportedId())(
    'keeps a waiting promotion with what it writes, and its decisions, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await ApprovalStore.create({ getClient: async () => knex });
      const expiresAt = new Date(Date.now() + 60_000);
      const record = await added(
        store,
        promotion,
        { required: 2, groups: ['group:default/release-managers'], expiresAt },
        change,
      );
      expect(record.status).toBe('pending-approval');
      expect(
        await store.findPending(promotion.entityRef, 'production'),
      ).toEqual(record);

      await store.addDecision(record.id, {
        by: 'user:default/ada',
        decision: 'approved',
        comment: 'Soaked a week in staging',
      });
      // One decision per approver, on any replica; the same one again is a
      // retry, answered without change.
      await expect(
        store.addDecision(record.id, {
          by: 'user:default/ada',
          decision: 'rejected',
        }),
      ).rejects.toThrow(
        'You have already approved this promotion; a decision cannot be changed',
      );
      expect(
        await store.addDecision(record.id, {
          by: 'user:default/ada',
          decision: 'approved',
        }),
      ).toBe('repeated');

      const entry = await store.get(record.id);
      expect(entry).toEqual({
        record,
        approval: {
          required: 2,
          groups: ['group:default/release-managers'],
          expiresAt: expiresAt.toISOString(),
          decisions: [
            {
              by: 'user:default/ada',
              decision: 'approved',
              comment: 'Soaked a week in staging',
              at: expect.any(String),
            },
          ],
          diff: change.diff,
        },
        change,
      });
      expect((await store.listPending(10)).map(e => e.record.id)).toEqual([
        record.id,
      ]);
      expect(await store.listExpired(new Date())).toEqual([]);
      expect(
        (await store.listExpired(new Date(expiresAt.getTime() + 1))).map(
          e => e.record.id,
        ),
      ).toEqual([record.id]);
    },
  );

  it.each(databases.eachSupportedId())(
    'moves a waiting promotion on once, however many try at once, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await ApprovalStore.create({ getClient: async () => knex });
      const record = await added(
        store,
        promotion,
        {
          required: 1,
          groups: ['group:default/release-managers'],
          expiresAt: new Date(Date.now() + 60_000),
        },
        change,
      );
      const attempts = await Promise.all([
        store.settle(record.id, 'running', 'Approved by ada'),
        store.settle(record.id, 'running', 'Approved by bob'),
        store.settle(record.id, 'expired', 'Expired'),
        store.settle(record.id, 'rejected', 'Rejected by cy'),
      ]);
      expect(attempts.filter(Boolean)).toHaveLength(1);
      // Decided: the diff was for deciding, and is no longer shown.
      expect((await store.get(record.id))?.approval.diff).toBeUndefined();
      expect(await store.findPending(promotion.entityRef, 'production')).toBe(
        undefined,
      );
      expect(await store.listPending(10)).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'answers a retry with the same idempotency key with the first record, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await ApprovalStore.create({ getClient: async () => knex });
      const approval = {
        required: 1,
        groups: ['group:default/release-managers'],
        expiresAt: new Date(Date.now() + 60_000),
      };
      const [first, second] = await Promise.all([
        added(store, promotion, approval, change, 'key-1'),
        added(store, promotion, approval, change, 'key-1'),
      ]);
      expect(second.id).toBe(first.id);
      expect(await store.listPending(10)).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps one promotion of a model into an environment waiting, however many are asked at once, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await ApprovalStore.create({ getClient: async () => knex });
      const approval = {
        required: 1,
        groups: ['group:default/release-managers'],
        expiresAt: new Date(Date.now() + 60_000),
      };
      const results = await Promise.all(
        [1, 2, 3].map(() => store.addPending(promotion, approval, change)),
      );
      const records = results.flatMap(r => ('record' in r ? [r.record] : []));
      expect(records).toHaveLength(1);
      expect(results.filter(r => 'waiting' in r)).toEqual([
        { waiting: records[0] },
        { waiting: records[0] },
      ]);
      // Once it is decided, the next one may wait.
      await store.settle(records[0].id, 'rejected', 'Rejected by ada: no');
      expect(
        'record' in (await store.addPending(promotion, approval, change)),
      ).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'counts an approved promotion as started when approved: stale checks and rollback windows, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await ApprovalStore.create({ getClient: async () => knex });
      const promotions = await PromotionStore.create({
        getClient: async () => knex,
      });
      const record = await added(
        store,
        promotion,
        {
          required: 1,
          groups: ['group:default/release-managers'],
          expiresAt: new Date(Date.now() + 60_000),
        },
        change,
      );
      await new Promise(resolve => setTimeout(resolve, 20));
      const approvedAt = Date.now();
      expect(await store.settle(record.id, 'running', 'Approved by ada')).toBe(
        true,
      );
      // Asked for before the cut-off, started after it: being written, not stale.
      expect(await promotions.settleStale(new Date(approvedAt - 10))).toBe(0);
      expect((await promotions.findById(record.id))?.status).toBe('running');
      await promotions.finish(record.id, {
        ...promotion,
        status: 'committed',
        message: 'Promoted',
        commit: { sha: 'c'.repeat(40) },
      });
      expect(
        (
          await promotions.listLandedSince(
            'production',
            new Date(approvedAt - 10),
          )
        ).map(r => r.id),
      ).toEqual([record.id]);
      // The newest change there, though another asked for later still waits.
      await added(
        store,
        promotion,
        {
          required: 1,
          groups: ['group:default/release-managers'],
          expiresAt: new Date(Date.now() + 60_000),
        },
        change,
      );
      expect(
        (await promotions.newestChange(promotion.entityRef, 'production'))?.id,
      ).toBe(record.id);
    },
  );
});

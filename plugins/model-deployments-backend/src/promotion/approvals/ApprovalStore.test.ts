import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { ApprovalStore } from './ApprovalStore';

const databases = createTestDatabases();

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
      const record = await store.addPending(
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
      // One decision per approver, on any replica.
      await expect(
        store.addDecision(record.id, {
          by: 'user:default/ada',
          decision: 'rejected',
        }),
      ).rejects.toThrow(/already decided/);

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
      const record = await store.addPending(
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
        store.addPending(promotion, approval, change, 'key-1'),
        store.addPending(promotion, approval, change, 'key-1'),
      ]);
      expect(second.id).toBe(first.id);
      expect(await store.listPending(10)).toHaveLength(1);
    },
  );
});

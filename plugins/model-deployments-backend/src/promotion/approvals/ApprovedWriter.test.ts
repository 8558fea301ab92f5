import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Environment } from '@seed-mlops/plugin-model-deployments-common';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { EnvironmentRegistry } from '../../environments/EnvironmentRegistry';
import { ModelDeploymentsEvents } from '../../events/ModelDeploymentsEvents';
import { GitOpsService } from '../../gitops/GitOpsService';
import { ChangeNotifier } from '../../notifications/ChangeNotifier';
import { ChangeLifecycle } from '../ChangeLifecycle';
import { PreparedPromotion } from '../PromotionPlanner';
import { PromotionHistory } from '../PromotionHistory';
import { PromotionStore } from '../PromotionStore';
import { PromotionWriter } from '../PromotionWriter';
import { ApprovalStore } from './ApprovalStore';
import { Approvals } from './Approvals';
import { ApprovedWriter } from './ApprovedWriter';

const databases = createTestDatabases();

const staging = { name: 'staging', title: 'Staging' } as Environment;
const production = {
  name: 'production',
  title: 'Production',
  gitops: { repoUrl: 'http://127.0.0.1:1/production.git', branch: 'main' },
} as unknown as Environment;
const prepared = {
  ref: 'component:default/iris-classifier',
  from: staging,
  to: production,
  strategy: 'commit',
  request: { entityRef: 'component:default/iris-classifier', to: 'production' },
  actor: { ref: 'user:default/priya' },
  versions: ['gs://seldon-models/sklearn/iris'],
  files: [],
} as unknown as PreparedPromotion;
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
const policy = {
  required: 1,
  groups: ['group:default/release-managers'],
  expiresAfterMs: 24 * 3600_000,
};

// An approved promotion whose environments left the configuration while it
// waited fails without writing, and says so as any failed promotion does:
// its record, the event open pages reload on, and the requester's notice.
describe('ApprovedWriter', () => {
  it.each(databases.eachSupportedId())(
    'fails an approved promotion whose target is no longer configured, and tells, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = { getClient: async () => knex };
      const approvalStore = await ApprovalStore.create(database);
      const promotionStore = await PromotionStore.create(database);
      const approvals = new Approvals({
        store: approvalStore,
        policies: new Map(),
        deployments: {} as never,
        auth: mockServices.auth(),
        userInfo: mockServices.userInfo(),
      });
      const held = await approvals.hold(prepared, dryRun, policy, '');
      expect(await approvalStore.settle(held.id!, 'running', 'Approved')).toBe(
        true,
      );
      const published: unknown[] = [];
      const notified: unknown[] = [];
      const write = jest.fn();
      const writer = new ApprovedWriter({
        // Production is gone from the configuration.
        environments: new EnvironmentRegistry([staging]),
        writer: { write, preview: write } as unknown as PromotionWriter,
        lifecycle: new ChangeLifecycle({
          history: {} as PromotionHistory,
          gitops: {} as GitOpsService,
          events: {
            publish: async (e: unknown) => void published.push(e),
          } as unknown as ModelDeploymentsEvents,
          notifier: {
            notify: async (n: unknown) => void notified.push(n),
          } as unknown as ChangeNotifier,
        }),
        store: promotionStore,
      });

      const message = `Promotion of ${prepared.ref} failed: environment 'production' is no longer configured for promotions`;
      await expect(
        writer.write(
          (await approvalStore.get(held.id!))!,
          mockCredentials.service(),
        ),
      ).rejects.toThrow(message);

      expect(write).not.toHaveBeenCalled();
      expect((await approvalStore.get(held.id!))!.record).toMatchObject({
        status: 'failed',
        message,
      });
      expect(published).toEqual([
        {
          type: 'promotion-finished',
          promotionId: held.id,
          entityRef: prepared.ref,
          from: 'staging',
          to: 'production',
          status: 'failed',
        },
      ]);
      expect(notified).toEqual([
        {
          kind: 'promotion',
          entityRef: prepared.ref,
          actor: 'user:default/priya',
          from: 'staging',
          to: 'production',
          outcome: 'failed',
          message,
          promotionId: held.id,
        },
      ]);
    },
  );
});

import { mockServices } from '@backstage/backend-test-utils';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import { Environment } from '@seed-mlops/plugin-model-deployments-common';
import {
  MODEL_DEPLOYMENTS_EVENTS_TOPIC,
  ModelDeploymentsEvent,
} from '@seed-mlops/plugin-model-deployments-node';
import { ModelDeploymentsEvents } from './ModelDeploymentsEvents';

const REPO = 'http://127.0.0.1:7091/models.git';

function environment(
  name: string,
  gitops?: Environment['gitops'],
): Environment {
  return {
    name,
    title: name,
    cluster: 'demo',
    namespace: name,
    origin: 'config',
    ...(gitops ? { gitops } : {}),
  } as Environment;
}

const environments = [
  environment('dev', { repoUrl: REPO, branch: 'main', path: 'dev' }),
  environment('staging', { repoUrl: REPO, path: 'staging' }),
  environment('production', {
    repoUrl: 'http://127.0.0.1:7091/production-models.git',
    branch: 'main',
    path: 'models',
  }),
  environment('bare'),
];

describe('ModelDeploymentsEvents', () => {
  // One process's event bus, as two replicas see it through the events backend.
  const logger = mockServices.logger.mock();
  const bus = DefaultEventsService.create({ logger }).forPlugin(
    'model-deployments',
  );
  const replicaA = new ModelDeploymentsEvents({ events: bus, logger });
  const replicaB = new ModelDeploymentsEvents({ events: bus, logger });
  const seenByA: ModelDeploymentsEvent[] = [];
  const seenByB: ModelDeploymentsEvent[] = [];
  const everything: unknown[] = [];

  beforeAll(async () => {
    await replicaA.subscribe({ gitChanged: async e => void seenByA.push(e) });
    await replicaB.subscribe({ gitChanged: async e => void seenByB.push(e) });
    await bus.subscribe({
      id: 'observer',
      topics: [MODEL_DEPLOYMENTS_EVENTS_TOPIC],
      onEvent: async ({ eventPayload }) => void everything.push(eventPayload),
    });
  });

  beforeEach(() => {
    seenByA.length = 0;
    seenByB.length = 0;
    everything.length = 0;
  });

  it('hands a push to the other replicas with the environments that read that branch, not to the pusher', async () => {
    await replicaA.gitPushed(
      { repoUrl: REPO, branch: 'main', commit: 'c0ffee' },
      environments,
    );
    expect(seenByB).toEqual([
      {
        type: 'git-changed',
        replica: replicaA.replica,
        repoUrl: REPO,
        branch: 'main',
        commit: 'c0ffee',
        // staging names no branch: it follows the default branch, here main.
        environments: ['dev', 'staging'],
      },
    ]);
    expect(seenByA).toEqual([]);
  });

  it('publishes nothing for a review branch that no environment reads', async () => {
    await replicaA.gitPushed(
      {
        repoUrl: 'http://127.0.0.1:7091/production-models.git',
        branch: 'promote/iris-to-production',
        commit: 'beef',
      },
      environments,
    );
    expect(everything).toEqual([]);
    expect(seenByB).toEqual([]);
  });

  it('signs promotions and new environments with the replica that made them', async () => {
    await replicaB.publish({
      type: 'promotion-finished',
      promotionId: '7',
      entityRef: 'component:default/iris',
      from: 'dev',
      to: 'staging',
      status: 'committed',
    });
    await replicaA.publish({
      type: 'environment-created',
      environment: 'qa',
      cluster: 'demo',
      namespace: 'qa',
    });
    expect(everything).toEqual([
      expect.objectContaining({
        type: 'promotion-finished',
        replica: replicaB.replica,
      }),
      expect.objectContaining({
        type: 'environment-created',
        replica: replicaA.replica,
        environment: 'qa',
      }),
    ]);
    // Neither is a Git change, so no replica fetches anything.
    expect([...seenByA, ...seenByB]).toEqual([]);
  });

  it('never fails the change when the event cannot be published', async () => {
    const failing = new ModelDeploymentsEvents({
      events: {
        publish: async () => {
          throw new Error('events backend unavailable');
        },
        subscribe: async () => {},
      },
      logger,
    });
    await expect(
      failing.publish({
        type: 'environment-created',
        environment: 'qa',
        cluster: 'demo',
        namespace: 'qa',
      }),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not publish the environment-created event to other replicas',
      expect.objectContaining({ message: 'events backend unavailable' }),
    );
  });
});

import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { Environment } from '@seed-mlops/plugin-model-deployments-common';
import {
  MODEL_DEPLOYMENTS_EVENTS_TOPIC,
  ModelDeploymentsEvent,
} from '@seed-mlops/plugin-model-deployments-node';
import { randomUUID } from 'crypto';

/** An event as published, before this replica signs it. */
type UnsignedEvent = ModelDeploymentsEvent extends infer E
  ? E extends ModelDeploymentsEvent
    ? Omit<E, 'replica'>
    : never
  : never;

/** What a replica does when it or another replica changed something. */
export interface ChangeHandlers {
  /** Another replica moved a repository: fetch it now rather than at the next refresh. */
  gitChanged(
    event: Extract<ModelDeploymentsEvent, { type: 'git-changed' }>,
  ): Promise<void>;
  /** A promotion was recorded or settled; `own` when by this replica. */
  promotionFinished?(
    event: Extract<ModelDeploymentsEvent, { type: 'promotion-finished' }>,
    own: boolean,
  ): Promise<void>;
}

/**
 * Publishes what this replica changed on the events service, and hands what
 * other replicas changed to this one. With the events backend on PostgreSQL
 * the event bus carries them between replicas; without it they stay in the
 * process, which is all one replica needs.
 */
export class ModelDeploymentsEvents {
  /** Names this replica in its events, and its own bus subscription. */
  readonly replica = randomUUID();

  constructor(
    private readonly deps: {
      events: EventsService;
      logger: LoggerService;
    },
  ) {}

  /**
   * Publishing is best effort: the change itself is already in Git or the
   * database, and the others still see it at their next refresh.
   */
  async publish(event: UnsignedEvent): Promise<void> {
    try {
      await this.deps.events.publish({
        topic: MODEL_DEPLOYMENTS_EVENTS_TOPIC,
        eventPayload: { ...event, replica: this.replica },
      });
    } catch (error) {
      this.deps.logger.warn(
        `Could not publish the ${event.type} event to other replicas`,
        error instanceof Error ? error : undefined,
      );
    }
  }

  /** Tells the other replicas that a push moved `branch` of `repoUrl`. */
  gitPushed(
    push: { repoUrl: string; branch: string; commit: string },
    environments: Environment[],
  ): Promise<void> {
    const affected = environments
      .filter(
        env =>
          env.gitops?.repoUrl === push.repoUrl &&
          (env.gitops.branch ?? push.branch) === push.branch,
      )
      .map(env => env.name);
    // A review branch that no environment reads changes nothing yet.
    if (affected.length === 0) return Promise.resolve();
    return this.publish({
      type: 'git-changed',
      ...push,
      environments: affected,
    });
  }

  /**
   * Subscribes this replica, under its own subscription so that every
   * replica receives each event, not one of them.
   */
  async subscribe(handlers: ChangeHandlers): Promise<void> {
    await this.deps.events.subscribe({
      id: `replica-${this.replica}`,
      topics: [MODEL_DEPLOYMENTS_EVENTS_TOPIC],
      onEvent: async ({ eventPayload }) => {
        const event = eventPayload as Partial<ModelDeploymentsEvent>;
        if (!event) return;
        const own = event.replica === this.replica;
        if (event.type === 'promotion-finished') {
          await handlers.promotionFinished?.(
            event as Extract<
              ModelDeploymentsEvent,
              { type: 'promotion-finished' }
            >,
            own,
          );
        }
        if (own) return;
        if (event.type === 'git-changed') {
          await handlers.gitChanged(
            event as Extract<ModelDeploymentsEvent, { type: 'git-changed' }>,
          );
        }
      },
    });
  }
}

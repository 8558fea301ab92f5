import { PromotionStatus } from '@seed-mlops/plugin-model-deployments-common';

/**
 * The events service topic the model-deployments backend publishes on. With
 * the events backend on PostgreSQL its events reach every replica.
 *
 * @public
 */
export const MODEL_DEPLOYMENTS_EVENTS_TOPIC = 'model-deployments';

/**
 * What changed, as published on {@link MODEL_DEPLOYMENTS_EVENTS_TOPIC}.
 * `replica` names the backend instance that made the change.
 *
 * @public
 */
export type ModelDeploymentsEvent =
  | {
      type: 'git-changed';
      replica: string;
      /** The repository and branch that now point at `commit`. */
      repoUrl: string;
      branch: string;
      commit: string;
      /** Environments whose desired state lives there. */
      environments: string[];
    }
  | {
      type: 'promotion-finished';
      replica: string;
      promotionId: string;
      entityRef: string;
      from: string;
      to: string;
      status: PromotionStatus;
    }
  | {
      type: 'environment-created';
      replica: string;
      environment: string;
      cluster: string;
      namespace: string;
    };

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import {
  ApprovalDecisionRequest,
  PendingApprovalsResponse,
  DeploymentHistoryResponse,
  EntityDeploymentsResponse,
  Environment,
  EnvironmentCreationRequest,
  EnvironmentCreationResult,
  EnvironmentGitState,
  EnvironmentsResponse,
  FleetResponse,
  PromotionRequest,
  PromotionResult,
  PromotionsResponse,
  RollbackRequest,
} from '@seed-mlops/plugin-model-deployments-common';
import { ModelEnvironmentResource } from '../permissions/rules';

/**
 * Answers "may these credentials do this here?" for any number of
 * environments and models, from one permission decision; `everywhere` when
 * the decision had no conditions.
 *
 * @public
 */
export type EnvironmentCheck = ((
  resource: ModelEnvironmentResource,
) => boolean) & { everywhere?: boolean };

/**
 * What runs where: the views the read API serves. Environments `canRead`
 * refuses are marked NOT_PERMITTED and not read at all.
 *
 * @public
 */
export interface ModelDeploymentsService {
  /** The pipeline: environments in stage order, and labelled namespaces skipped. */
  listEnvironments(): EnvironmentsResponse;
  /** One model's deployments in every environment. */
  getEntityDeployments(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<EntityDeploymentsResponse>;
  /** The commits that changed a model's manifests in one environment, newest first. */
  getHistory(
    request: {
      entityRef: CompoundEntityRef;
      environment: string;
      offset: number;
      limit: number;
    },
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<DeploymentHistoryResponse>;
  /** Fetches the GitOps repositories of one environment, or of all, now. */
  refreshGit(
    request: { environment?: string; entityRef?: CompoundEntityRef },
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<Array<{ environment: string; git: EnvironmentGitState }>>;
  /** Every model the caller may see, in every environment. */
  getFleet(
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<FleetResponse>;
}

/**
 * Who promotes, and the check of their rights once the model and the
 * environments are known.
 *
 * @public
 */
export interface PromotionActor {
  /** User entity ref, or the service's subject. */
  ref: string;
  credentials: BackstageCredentials;
  /**
   * Throws unless the actor may make this promotion. Called once the
   * environments and the model are known, before anything is read from them.
   * Says whether the actor may also read the target environment: if not,
   * nothing of the target's current manifests is returned.
   */
  authorize(promotion: {
    entity: Entity;
    from: Environment;
    to: Environment;
  }): Promise<{ mayReadTarget: boolean }>;
}

/**
 * Promotions through Git, and their records.
 *
 * @public
 */
export interface ModelPromotionService {
  /**
   * Promotes, or on a dry run works out the change. A request repeated with
   * the same idempotency key is answered from the first one's record.
   */
  promote(
    request: PromotionRequest,
    actor: PromotionActor,
    options?: { idempotencyKey?: string },
  ): Promise<PromotionResult>;
  /**
   * Restores a model's manifests in one environment to what a recorded
   * promotion left, or to a commit of its history, as a new commit or pull
   * request; on a dry run works out the change. Needs the right to promote
   * into that environment (or, for a dry run, to read it).
   */
  rollback(
    request: RollbackRequest,
    actor: PromotionActor,
    options?: { idempotencyKey?: string },
  ): Promise<PromotionResult>;
  /** The model's recorded promotions and rollbacks in environments `canRead` allows, newest first. */
  listPromotions(
    request: { entityRef: CompoundEntityRef; limit: number },
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<PromotionsResponse>;
  /**
   * Approves or rejects a promotion waiting for approval, as the caller (a
   * member of the target's approval groups, not its requester, who may read
   * the model there). The approval that completes it writes it, and the
   * answer is then its result.
   */
  decideApproval(
    promotionId: string,
    request: ApprovalDecisionRequest,
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<PromotionResult>;
  /** The promotions waiting for approval that the caller may see, oldest first. */
  listPendingApprovals(
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<PendingApprovalsResponse>;
}

/**
 * Creates environments: the namespace with its labels, and the GitOps folder.
 *
 * @public
 */
export interface ModelEnvironmentCreationService {
  create(
    request: EnvironmentCreationRequest,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentCreationResult>;
}

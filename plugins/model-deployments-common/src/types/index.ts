export type {
  Environment,
  EnvironmentOrigin,
  GitOpsSource,
} from './environment';
export type {
  DeploymentCondition,
  DeploymentEndpoint,
  DeploymentPhase,
  FleetDeployment,
  ModelDeployment,
  ModelVersion,
  NormalizedDeploymentStatus,
  ServerRef,
  TrafficRole,
  TrafficTarget,
} from './deployment';
export { DEPLOYMENT_PHASES } from './deployment';
export type { EnvironmentError, EnvironmentErrorType } from './errors';
export type {
  EntityDeploymentsResponse,
  EnvironmentDeployments,
  EnvironmentFreeze,
  EnvironmentGitState,
  EnvironmentsResponse,
  SkippedEnvironment,
  EnvironmentStatus,
  FleetModel,
  FleetResponse,
} from './api';
export type {
  ApprovalDecision,
  ApprovalDecisionRequest,
  PendingApprovalsResponse,
  PromotionApproval,
} from './approval';
export type {
  PromotionClusterCheck,
  PromotionFile,
  PromotionGateResult,
  PromotionKind,
  PromotionRecord,
  PromotionRequest,
  PromotionResult,
  PromotionStatus,
  PromotionStrategy,
  PromotionsResponse,
  RollbackRequest,
  RollbackTarget,
} from './promotion';
export type {
  EnvironmentCreationRequest,
  EnvironmentCreationResult,
} from './environmentCreation';

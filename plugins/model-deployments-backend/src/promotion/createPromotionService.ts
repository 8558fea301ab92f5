import {
  AuthService,
  DatabaseService,
  RootConfigService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ModelResourceKind } from '@seed-mlops/plugin-model-deployments-common';
import { ModelClusterClient } from '@seed-mlops/plugin-model-deployments-node';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { ModelDeploymentsEvents } from '../events/ModelDeploymentsEvents';
import { GitOpsService } from '../gitops/GitOpsService';
import { ChangeNotifier } from '../notifications/ChangeNotifier';
import { ModelDeploymentsOptions } from '../options/readOptions';
import { DeploymentsService } from '../service/DeploymentsService';
import { ApprovalStore } from './approvals/ApprovalStore';
import { Approvals } from './approvals/Approvals';
import { readApprovalConfig } from './approvals/readApprovalConfig';
import { ClusterDryRun } from './ClusterDryRun';
import { FreezeWindows } from './freeze/FreezeWindows';
import { PromotionGates } from './gates/PromotionGates';
import { readVerificationConfig } from './gates/readVerificationConfig';
import { PromotionService } from './PromotionService';
import { PromotionStore } from './PromotionStore';

/**
 * The promotion engine as configured: its record store, the source
 * environments' gates, the targets' freeze windows and approvals, and the
 * target cluster's dry run.
 */
export async function createPromotionService(deps: {
  config: RootConfigService;
  database: DatabaseService;
  auth: AuthService;
  userInfo: UserInfoService;
  options: ModelDeploymentsOptions;
  environments: EnvironmentRegistry;
  deployments: DeploymentsService;
  gitops: GitOpsService;
  catalog: CatalogService;
  client: ModelClusterClient;
  kinds: ModelResourceKind[];
  integrations: ScmIntegrationRegistry;
  events: ModelDeploymentsEvents;
  notifier: ChangeNotifier;
  freezes: FreezeWindows;
  gitWaitMs: number;
}): Promise<{
  promotions: PromotionService;
  store: PromotionStore;
  approvals: Approvals;
}> {
  const { config, options, client, kinds } = deps;
  const store = await PromotionStore.create(deps.database);
  const approvals = new Approvals({
    ...deps,
    store: await ApprovalStore.create(deps.database),
    policies: readApprovalConfig(config),
  });
  const promotions = new PromotionService({
    ...deps,
    committer: options.promotion.committer,
    allowSkippingStages: options.promotion.allowSkippingStages,
    store,
    approvals,
    gates: new PromotionGates({
      policies: readVerificationConfig(config),
      gitops: deps.gitops,
    }),
    ...(options.promotion.clusterDryRun
      ? { clusterDryRun: new ClusterDryRun({ client, kinds }) }
      : {}),
  });
  return { promotions, store, approvals };
}

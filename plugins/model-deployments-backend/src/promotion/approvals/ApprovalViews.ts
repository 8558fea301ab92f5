import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  PendingApprovalsResponse,
  PromotionRecord,
} from '@seed-mlops/plugin-model-deployments-common';
import { EnvironmentCheck } from '@seed-mlops/plugin-model-deployments-node';
import { DeploymentsService } from '../../service/DeploymentsService';
import { ApprovalEntry, ApprovalStore } from './ApprovalStore';
import { Approver, approverOf, canDecide, maySee } from './approvers';

/** Most waiting promotions one listing looks at, before what the caller may see. */
const PENDING_LIMIT = 500;

/**
 * What callers see of approvals: the promotions waiting that they may see
 * (the fleet page), and the approval of each record in a model's
 * promotions, each with whether the caller may decide now.
 */
export class ApprovalViews {
  constructor(
    private readonly deps: {
      store: ApprovalStore;
      deployments: DeploymentsService;
      auth: AuthService;
      userInfo: UserInfoService;
      now?: () => Date;
    },
  ) {}

  /** The promotions waiting for approval that the caller may see, oldest first. */
  async listPending(
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<PendingApprovalsResponse> {
    const entries = await this.deps.store.listPending(PENDING_LIMIT);
    if (entries.length === 0) return { promotions: [] };
    const approver = await approverOf(credentials, this.deps);
    const promotions: PromotionRecord[] = [];
    for (const entry of entries) {
      // The request cache answers the same model's catalog look-up once.
      if (await maySee(entry.record, this.deps, credentials, canRead)) {
        promotions.push(this.withApproval(entry, approver));
      }
    }
    return { promotions };
  }

  /** The records, those that needed approval with it. */
  async withApprovals(
    records: PromotionRecord[],
    credentials: BackstageCredentials,
  ): Promise<PromotionRecord[]> {
    const approvals = await this.deps.store.approvalsOf(records.map(r => r.id));
    if (approvals.size === 0) return records;
    const approver = await approverOf(credentials, this.deps);
    return records.map(record => {
      const approval = approvals.get(record.id);
      return approval
        ? this.withApproval({ record, approval }, approver)
        : record;
    });
  }

  private withApproval(
    entry: Pick<ApprovalEntry, 'record' | 'approval'>,
    approver: Approver | undefined,
  ): PromotionRecord {
    return {
      ...entry.record,
      approval: {
        ...entry.approval,
        canDecide: canDecide(entry, approver, this.deps.now?.() ?? new Date()),
      },
    };
  }
}

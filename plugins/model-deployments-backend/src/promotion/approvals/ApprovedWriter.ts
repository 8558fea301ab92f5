import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';
import { EnvironmentRegistry } from '../../environments/EnvironmentRegistry';
import { ChangeLifecycle } from '../ChangeLifecycle';
import { PreparedPromotion } from '../PromotionPlanner';
import { PromotionStore } from '../PromotionStore';
import { PromotionWriter } from '../PromotionWriter';
import { ApprovalEntry } from './ApprovalStore';
import { approvedPromotion } from './approvedPromotion';

/**
 * Writes a promotion once approved: the files kept from when it was asked
 * for, by commit, on its record (already `running`), and only while the
 * target's diff is still the one its approvers saw.
 */
export class ApprovedWriter {
  constructor(
    private readonly deps: {
      environments: EnvironmentRegistry;
      writer: PromotionWriter;
      lifecycle: ChangeLifecycle;
      store?: PromotionStore;
    },
  ) {}

  /** Writes an approved promotion; one that cannot be written is recorded as failed. */
  async write(
    entry: ApprovalEntry,
    ownCredentials: BackstageCredentials,
  ): Promise<PromotionResult> {
    let prepared: PreparedPromotion;
    try {
      prepared = approvedPromotion(
        entry,
        this.deps.environments.list(),
        ownCredentials,
      );
    } catch (error) {
      const message = String((error as Error).message);
      await this.deps.store?.finish(entry.record.id, {
        ...entry.record,
        status: 'failed',
        message,
      });
      await this.deps.lifecycle.failedUnwritten(entry.record, message);
      throw error;
    }
    const write = async () => {
      // What its approvers saw must still be what it changes.
      const now = await this.deps.writer.preview(prepared);
      if (now.diff !== entry.change.diff) {
        throw new ConflictError(
          `Not written: '${prepared.to.name}' changed since the promotion was asked for, so the diff its approvers saw no longer applies; ask for it again`,
        );
      }
      return this.deps.writer.write(prepared);
    };
    return this.deps.lifecycle.recorded(prepared, write, {
      target: prepared.to,
      recordId: entry.record.id,
    });
  }
}

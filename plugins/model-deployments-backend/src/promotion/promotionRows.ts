import {
  PromotionKind,
  PromotionRecord,
  PromotionStatus,
  PromotionStrategy,
} from '@seed-mlops/plugin-model-deployments-common';
import { randomUUID } from 'crypto';

/** A record to add: a promotion unless `kind` says otherwise. */
export type NewPromotionRecord = Omit<
  PromotionRecord,
  'id' | 'createdAt' | 'kind' | 'approval'
> & { kind?: PromotionKind };

/** A new record as a row, with a fresh id. */
export function toRow(
  promotion: NewPromotionRecord,
  idempotencyKey?: string,
): PromotionRow {
  return {
    id: randomUUID(),
    kind: promotion.kind ?? 'promotion',
    restored_commit: promotion.restored?.commit ?? null,
    restored_promotion_id: promotion.restored?.promotionId ?? null,
    entity_ref: promotion.entityRef,
    from_environment: promotion.from,
    to_environment: promotion.to,
    strategy: promotion.strategy,
    status: promotion.status,
    actor: promotion.actor,
    versions: JSON.stringify(promotion.versions),
    message: promotion.message,
    commit_sha: promotion.commit?.sha ?? null,
    commit_url: promotion.commit?.url ?? null,
    branch: promotion.branch ?? null,
    pull_request_number: promotion.pullRequest?.number ?? null,
    pull_request_url: promotion.pullRequest?.url ?? null,
    created_at: new Date(),
    idempotency_key: idempotencyKey ?? null,
  };
}

/** A row of the `promotions` table (migrations/). */
export interface PromotionRow {
  id: string;
  entity_ref: string;
  from_environment: string;
  to_environment: string;
  strategy: string;
  status: string;
  actor: string;
  versions: string;
  message: string;
  commit_sha: string | null;
  commit_url: string | null;
  branch: string | null;
  pull_request_number: number | null;
  pull_request_url: string | null;
  created_at: Date | string;
  /** When an approved promotion began to be written. */
  started_at?: Date | string | null;
  idempotency_key?: string | null;
  kind?: string;
  restored_commit?: string | null;
  restored_promotion_id?: string | null;
}

/** A row as the API shows it; absent values stay absent. */
export function toRecord(row: PromotionRow): PromotionRecord {
  return {
    id: row.id,
    kind: (row.kind ?? 'promotion') as PromotionKind,
    ...(row.restored_commit
      ? {
          restored: {
            commit: row.restored_commit,
            ...(row.restored_promotion_id
              ? { promotionId: row.restored_promotion_id }
              : {}),
          },
        }
      : {}),
    entityRef: row.entity_ref,
    from: row.from_environment,
    to: row.to_environment,
    strategy: row.strategy as PromotionStrategy,
    status: row.status as PromotionStatus,
    actor: row.actor,
    // SQLite returns text, PostgreSQL a Date.
    createdAt: new Date(row.created_at).toISOString(),
    versions: JSON.parse(row.versions),
    message: row.message,
    ...(row.commit_sha
      ? {
          commit: {
            sha: row.commit_sha,
            ...(row.commit_url ? { url: row.commit_url } : {}),
          },
        }
      : {}),
    ...(row.branch ? { branch: row.branch } : {}),
    ...(row.pull_request_number && row.pull_request_url
      ? {
          pullRequest: {
            number: row.pull_request_number,
            url: row.pull_request_url,
          },
        }
      : {}),
  };
}

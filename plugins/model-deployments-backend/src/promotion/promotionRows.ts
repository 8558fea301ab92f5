import {
  PromotionKind,
  PromotionRecord,
  PromotionStatus,
  PromotionStrategy,
} from '@seed-mlops/plugin-model-deployments-common';

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

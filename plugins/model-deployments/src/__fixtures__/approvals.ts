import {
  PromotionApproval,
  PromotionRecord,
} from '@seed-mlops/plugin-model-deployments-common';

/** Test data for promotions into an environment that requires approval. */

const HOUR_MS = 3600 * 1000;

export const hoursFromNow = (hours: number) =>
  new Date(Date.now() + hours * HOUR_MS).toISOString();

/** Staging's approval policy, still waiting: expires in 23 hours (and a bit). */
export const stagingApproval = (
  overrides: Partial<PromotionApproval> = {},
): PromotionApproval => ({
  required: 2,
  groups: ['group:default/release-managers', 'group:default/platform-admins'],
  expiresAt: hoursFromNow(23.5),
  decisions: [],
  canDecide: true,
  ...overrides,
});

/** A promotion of fraud-scorer from dev to staging waiting for approval. */
export const pendingPromotion = (
  overrides: Partial<PromotionRecord> = {},
): PromotionRecord => ({
  // Recorded ids are UUIDs; the client checks before it sends a decision.
  id: '3e7a1f0c-5b2d-4c8e-9f1a-2b3c4d5e6f70',
  kind: 'promotion',
  entityRef: 'component:default/fraud-scorer',
  from: 'dev',
  to: 'staging',
  strategy: 'commit',
  status: 'pending-approval',
  actor: 'user:default/priya',
  createdAt: hoursFromNow(-1),
  versions: ['gs://acme-models/fraud/v5'],
  message: 'Promotion of fraud-scorer from dev to staging waits for approval',
  approval: stagingApproval(),
  ...overrides,
});

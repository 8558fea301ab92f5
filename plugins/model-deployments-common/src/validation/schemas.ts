/*
 * The request schemas of the model-deployments API, used by its router and
 * by every client that wants to check input before sending it. Each issue
 * names its field (zod's path) and never repeats more than a short part of
 * the value. Only the schemas are public; the shared field schemas in
 * `schemaFields` are not.
 */

export {
  MAX_PAGE_SIZE,
  deploymentsQuerySchema,
  historyQuerySchema,
  promotionsQuerySchema,
  refreshRequestSchema,
} from './querySchemas';
export {
  IDEMPOTENCY_KEY_HEADER,
  MAX_APPROVAL_COMMENT_LENGTH,
  approvalDecisionRequestSchema,
  promotionIdSchema,
  idempotencyKeySchema,
  promotionRequestSchema,
  rollbackRequestSchema,
} from './promotionSchemas';
export { environmentCreationRequestSchema } from './environmentSchemas';
export { describeIssues } from './describeIssues';
export { checkRequest } from './checkRequest';

import { z } from 'zod/v3';
import { entityRef, environmentName } from './schemaFields';

/** `POST /promotions` body. @public */
export const promotionRequestSchema = z
  .object({
    entityRef: entityRef('entityRef'),
    from: environmentName('from').optional(),
    to: environmentName('to'),
    strategy: z.enum(['commit', 'pull-request']).optional(),
    overrides: z
      .object({
        replicas: z
          .number()
          .int('replicas must be a whole number')
          .min(0, 'replicas must be 0 or more')
          .max(1000, 'replicas must be at most 1000')
          .optional(),
      })
      .strict()
      .optional(),
    force: z.boolean().optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

/** A commit id as Git prints it: 7 to 40 lower-case hexadecimal digits. */
const commitSha = z
  .string({
    required_error: 'commit is required',
    invalid_type_error: 'commit must be a string',
  })
  .regex(
    /^[0-9a-f]{7,40}$/,
    'commit must be a commit id: 7 to 40 lower-case hexadecimal digits',
  );

/** `POST /rollbacks` body. @public */
export const rollbackRequestSchema = z
  .object({
    entityRef: entityRef('entityRef'),
    environment: environmentName('environment'),
    to: z
      .object(
        {
          promotionId: z
            .string({ invalid_type_error: 'promotionId must be a string' })
            .uuid('promotionId must be the id of a recorded promotion')
            .optional(),
          commit: commitSha.optional(),
        },
        {
          required_error: 'to is required: { promotionId } or { commit }',
          invalid_type_error: 'to must be { promotionId } or { commit }',
        },
      )
      .strict()
      .refine(
        to => (to.promotionId === undefined) !== (to.commit === undefined),
        'to must name either promotionId or commit, not both',
      ),
    strategy: z.enum(['commit', 'pull-request']).optional(),
    force: z.boolean().optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

/** The longest approval comment kept: a paragraph, not a document. @public */
export const MAX_APPROVAL_COMMENT_LENGTH = 2000;

/** `POST /promotions/{id}/decisions` body. @public */
export const approvalDecisionRequestSchema = z
  .object({
    decision: z.enum(['approve', 'reject'], {
      required_error: 'decision is required: approve or reject',
      invalid_type_error: 'decision must be approve or reject',
    }),
    comment: z
      .string({ invalid_type_error: 'comment must be a string' })
      .trim()
      .max(
        MAX_APPROVAL_COMMENT_LENGTH,
        `comment must be at most ${MAX_APPROVAL_COMMENT_LENGTH} characters`,
      )
      .optional(),
  })
  .strict()
  .refine(body => body.decision !== 'reject' || (body.comment ?? '') !== '', {
    message: 'comment is required to reject: say why',
    path: ['comment'],
  });

/** A recorded promotion's id, as in `POST /promotions/{id}/decisions`. @public */
export const promotionIdSchema = z
  .string()
  .uuid('promotion id must be the id of a recorded promotion');

/**
 * The header with which a client makes `POST /promotions` safe to retry: a
 * second request with the same key, by the same user, for the same model
 * and target, is answered from the first one's record and does nothing.
 *
 * @public
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** The `Idempotency-Key` header's value. @public */
export const idempotencyKeySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters, no spaces');

import { z } from 'zod/v3';
import { parseCatalogRef } from './entityRefs';
import {
  branchNameProblem,
  normalizeGitOpsPath,
  repoUrlProblem,
} from './gitops';
import { isDns1123Label } from './kubernetes';
import { quoteValue } from './values';

/*
 * The request schemas of the model-deployments API, used by its router and
 * by every client that wants to check input before sending it. Each issue
 * names its field (zod's path) and never repeats more than a short part of
 * the value.
 */

/** Longest entity ref accepted: kind, namespace and name at their limits. */
const MAX_ENTITY_REF_LENGTH = 300;
/**
 * Most results one page of a paged route returns.
 *
 * @public
 */
export const MAX_PAGE_SIZE = 100;

const required = (field: string) => ({
  required_error: `${field} is required`,
  invalid_type_error: `${field} must be a string`,
});

const entityRef = (field: string) =>
  z
    .string(required(field))
    .min(1, `${field} is required`)
    .max(
      MAX_ENTITY_REF_LENGTH,
      `${field} must be at most ${MAX_ENTITY_REF_LENGTH} characters`,
    )
    .superRefine((value, ctx) => {
      const parsed = parseCatalogRef(value);
      if ('problem' in parsed) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.problem });
      }
    });

const dnsLabel = (field: string) =>
  z.string(required(field)).refine(
    value => isDns1123Label(value),
    value => ({
      message: `${quoteValue(
        value,
      )} is not a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters)`,
    }),
  );

const environmentName = (field: string) =>
  z
    .string(required(field))
    .min(1, `${field} must not be empty`)
    .max(63, `${field} must be at most 63 characters`);

const limit = z.coerce
  .number({ invalid_type_error: 'limit must be a number' })
  .int('limit must be a whole number')
  .min(1, 'limit must be at least 1')
  .max(MAX_PAGE_SIZE, `limit must be at most ${MAX_PAGE_SIZE}`)
  .default(20);

/** `GET /deployments` query. @public */
export const deploymentsQuerySchema = z.object({
  entityRef: entityRef('entityRef'),
});

/** `GET /history` query. @public */
export const historyQuerySchema = z.object({
  entityRef: entityRef('entityRef'),
  environment: environmentName('environment'),
  limit,
  offset: z.coerce
    .number({ invalid_type_error: 'offset must be a number' })
    .int('offset must be a whole number')
    .min(0, 'offset must be 0 or more')
    .max(100_000, 'offset must be at most 100000')
    .default(0),
});

/** `POST /refresh` body. @public */
export const refreshRequestSchema = z
  .object({
    environment: environmentName('environment').optional(),
    entityRef: entityRef('entityRef').optional(),
  })
  .strict();

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

/** `GET /promotions` query. @public */
export const promotionsQuerySchema = z.object({
  entityRef: entityRef('entityRef'),
  limit,
});

const gitopsPath = z
  .string({ invalid_type_error: 'path must be a string' })
  .transform((value, ctx) => {
    const normalized = normalizeGitOpsPath(value);
    if ('problem' in normalized) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: normalized.problem,
      });
      return z.NEVER;
    }
    if (!normalized.path) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'must be a folder inside the repository, not its root',
      });
      return z.NEVER;
    }
    return normalized.path;
  });

/** `POST /environments` body. @public */
export const environmentCreationRequestSchema = z
  .object({
    name: dnsLabel('name'),
    title: z
      .string({ invalid_type_error: 'title must be a string' })
      .max(100, 'title must be at most 100 characters')
      // eslint-disable-next-line no-control-regex
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'title must be one line of text')
      .optional(),
    cluster: z
      .string(required('cluster'))
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/,
        'cluster must be a cluster name from the kubernetes config',
      ),
    namespace: dnsLabel('namespace').optional(),
    stage: z
      .number({
        required_error: 'stage is required',
        invalid_type_error: 'stage must be a number',
      })
      .int('stage must be a whole number')
      .min(0, 'stage must be 0 or more')
      .max(100_000, 'stage must be at most 100000'),
    restricted: z.boolean().optional(),
    ownerGroups: z
      .array(
        z.string().superRefine((value, ctx) => {
          const parsed = parseCatalogRef(value, { defaultKind: 'group' });
          if ('problem' in parsed) {
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              message: parsed.problem,
            });
          } else if (parsed.ref.kind.toLocaleLowerCase('en-US') !== 'group') {
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              message: `${quoteValue(value)} is not a group ref`,
            });
          }
        }),
      )
      .max(20, 'at most 20 owner groups')
      .optional(),
    gitops: z
      .object({
        repoUrl: z.string(required('repoUrl')).superRefine((value, ctx) => {
          const problem = repoUrlProblem(value);
          if (problem) {
            ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
          }
        }),
        branch: z
          .string({ invalid_type_error: 'branch must be a string' })
          .superRefine((value, ctx) => {
            const problem = branchNameProblem(value);
            if (problem) {
              ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
            }
          })
          .optional(),
        path: gitopsPath.optional(),
      })
      .strict()
      .optional(),
    strategy: z.enum(['commit', 'pull-request']).optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

/**
 * The issues of a failed parse as one line: `field: problem; …`.
 *
 * @public
 */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map(issue => {
      const field = issue.path.join('.');
      if (issue.code === z.ZodIssueCode.unrecognized_keys) {
        return `${field ? `${field}: ` : ''}unknown field${
          issue.keys.length > 1 ? 's' : ''
        } ${issue.keys.map(k => quoteValue(k)).join(', ')}`;
      }
      return field ? `${field}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * Validates `input` against one of the request schemas above: the parsed
 * value, or the problems as one line naming each field.
 *
 * @public
 */
export function checkRequest<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
): { data: z.output<T> } | { problem: string } {
  const parsed = schema.safeParse(input ?? {});
  return parsed.success
    ? { data: parsed.data }
    : { problem: describeIssues(parsed.error) };
}

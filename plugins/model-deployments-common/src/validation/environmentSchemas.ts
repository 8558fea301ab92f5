import { z } from 'zod/v3';
import { parseCatalogRef } from './entityRefs';
import {
  branchNameProblem,
  normalizeGitOpsPath,
  repoUrlProblem,
} from './gitops';
import { dnsLabel, required } from './schemaFields';
import { quoteValue } from './values';

/** The folder of the environment's manifests, normalized; never the root. */
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

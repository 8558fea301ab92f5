import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  RollbackRequest,
  describeIssues,
  rollbackRequestSchema,
} from '@seed-mlops/plugin-model-deployments-common';
import { ModelDeploymentsApiService } from '@seed-mlops/plugin-model-deployments-node';
import { outputChange, runChange } from './gitChange';
import { examples } from './rollback.examples';

/**
 * Checks a rollback request with the API's own schema (the rules, such as
 * "either promotionId or commit", live there), before anything is sent. The
 * action's inputs are flat, so a problem with `to.commit` names `commit`.
 */
function checkRollbackRequest(request: RollbackRequest) {
  const parsed = rollbackRequestSchema.safeParse(request);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    if (issue.path[0] === 'to') issue.path = issue.path.slice(1);
  }
  throw new InputError(`Invalid input: ${describeIssues(parsed.error)}`);
}

/**
 * `model-deployments:model:rollback`: restores a model's manifests in one
 * environment to what they were after a recorded promotion, or at a commit
 * of the environment's GitOps history, as a new commit or pull request
 * (history is never rewritten). The model-deployments backend does the work,
 * as the user who runs the template, who needs the right to promote into
 * that environment.
 *
 * @public
 */
export function createRollbackModelAction(options: {
  client: ModelDeploymentsApiService;
}) {
  return createTemplateAction({
    id: 'model-deployments:model:rollback',
    description:
      "Rolls a model back in one environment: restores its manifests in the environment's GitOps repository to what a recorded promotion left, or to an earlier commit, with a new commit or a pull request.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .describe('The model entity, e.g. component:default/fraud-scorer'),
        environment: z =>
          z.string().min(1).describe('The environment to roll back'),
        promotionId: z =>
          z
            .string()
            .optional()
            .describe(
              'Restore what this recorded promotion left; give this or commit',
            ),
        commit: z =>
          z
            .string()
            .optional()
            .describe(
              "Restore the manifests as they were at this commit of the environment's GitOps history; give this or promotionId",
            ),
        strategy: z =>
          z
            .enum(['commit', 'pull-request', ''])
            .optional()
            .describe('commit or pull-request; empty or unset: commit'),
        force: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Roll back even while the environment is frozen (needs the force-promote permission)',
            ),
      },
      output: {
        status: z =>
          z
            .string()
            .describe(
              'committed, branch-pushed, pull-request-opened, up-to-date or dry-run',
            ),
        message: z => z.string().describe('What happened, in one line'),
        commitSha: z => z.string().optional(),
        commitUrl: z => z.string().optional(),
        branch: z => z.string().optional(),
        pullRequestUrl: z => z.string().optional(),
        pullRequestNumber: z => z.number().optional(),
        diff: z => z.string().describe('Unified diff of the restored files'),
        restoredCommit: z =>
          z
            .string()
            .optional()
            .describe('The commit whose manifests were restored'),
      },
    },
    async handler(ctx) {
      const { entityRef, environment, promotionId, commit, strategy, force } =
        ctx.input;
      // A template's optional field renders as '': that is not given.
      const request: RollbackRequest = {
        entityRef,
        environment,
        to: {
          ...(promotionId ? { promotionId } : {}),
          ...(commit ? { commit } : {}),
        } as RollbackRequest['to'],
        ...(strategy ? { strategy } : {}),
        ...(force ? { force } : {}),
      };
      checkRollbackRequest(request);
      const credentials = await ctx.getInitiatorCredentials();
      const result = await runChange(ctx, {
        checkpointKey: `rollback-${entityRef}-${environment}-${
          promotionId ? `promotion-${promotionId}` : `commit-${commit}`
        }`,
        request,
        credentials,
        send: (r, o) => options.client.rollback(r, o),
      });
      ctx.logger.info(result.message);
      outputChange(ctx, result);
      if (result.restored) {
        ctx.output('restoredCommit', result.restored.commit);
      }
    },
  });
}

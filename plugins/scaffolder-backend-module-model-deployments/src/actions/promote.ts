import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ModelDeploymentsApiService } from '@seed-mlops/plugin-model-deployments-node';
import { outputChange, runChange } from './gitChange';
import { examples } from './promote.examples';

/**
 * `model-deployments:model:promote`: copies a model's deployments from one
 * environment to the next through Git, by commit or pull request. The
 * model-deployments backend does the work (the same engine as its API and
 * UI), as the user who runs the template.
 *
 * @public
 */
export function createPromoteModelAction(options: {
  client: ModelDeploymentsApiService;
}) {
  return createTemplateAction({
    id: 'model-deployments:model:promote',
    description:
      "Promotes a model from one environment to the next by committing its manifests to the target environment's GitOps repository, or by opening a pull request.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .describe('The model entity, e.g. component:default/fraud-scorer'),
        to: z => z.string().min(1).describe('The target environment'),
        from: z =>
          z
            .string()
            .optional()
            .describe(
              'The source environment; empty or unset: the stage before to',
            ),
        strategy: z =>
          z
            .enum(['commit', 'pull-request', ''])
            .optional()
            .describe(
              "commit or pull-request; empty or unset: the target environment's default",
            ),
        replicas: z =>
          z
            .number()
            .int()
            .min(0)
            .max(1000)
            .optional()
            .describe('Replicas in the target'),
        force: z =>
          z
            .boolean()
            .optional()
            .describe(
              "Promote even when the source is not Ready or its environment's verification gates fail (needs the force-promote permission)",
            ),
      },
      output: {
        status: z =>
          z
            .string()
            .describe(
              'committed, branch-pushed, pull-request-opened, pending-approval (the target requires approval in the portal), up-to-date or dry-run',
            ),
        message: z => z.string().describe('What happened, in one line'),
        commitSha: z => z.string().optional(),
        commitUrl: z => z.string().optional(),
        branch: z => z.string().optional(),
        pullRequestUrl: z => z.string().optional(),
        pullRequestNumber: z => z.number().optional(),
        diff: z => z.string().describe('Unified diff of the target files'),
        promotionId: z =>
          z
            .string()
            .optional()
            .describe(
              'The recorded promotion, e.g. to link to it; absent on a dry run',
            ),
        approval: z =>
          z
            .object({
              required: z.number(),
              groups: z.array(z.string()),
              expiresAt: z.string().optional(),
            })
            .optional()
            .describe(
              'When the target requires approval: how many members of which groups must approve, and by when',
            ),
        gates: z =>
          z
            .array(
              z.object({
                name: z.string(),
                kind: z.string(),
                passed: z.boolean(),
                value: z.string().optional(),
                expected: z.string(),
                message: z.string(),
              }),
            )
            .optional()
            .describe(
              "The source environment's verification gates, each with its value and whether it passed",
            ),
      },
    },
    async handler(ctx) {
      const { entityRef, to, from, strategy, replicas, force } = ctx.input;
      const request = {
        entityRef,
        to,
        ...(from ? { from } : {}),
        ...(strategy ? { strategy } : {}),
        ...(replicas !== undefined ? { overrides: { replicas } } : {}),
        ...(force ? { force } : {}),
      };
      const credentials = await ctx.getInitiatorCredentials();
      const result = await runChange(ctx, {
        checkpointKey: `promote-${entityRef}-${from ?? ''}-${to}`,
        request,
        credentials,
        send: (r, o) => options.client.promote(r, o),
      });
      ctx.logger.info(result.message);
      for (const gate of result.gates ?? []) {
        const line = `Gate ${gate.name}: ${
          gate.passed ? 'passed' : 'FAILED'
        }, ${gate.value ?? 'no value'} (expected ${gate.expected}): ${
          gate.message
        }`;
        if (gate.passed) ctx.logger.info(line);
        else ctx.logger.warn(line);
      }
      if (result.gates) ctx.output('gates', result.gates);
      if (result.approval) {
        const { required, groups, expiresAt } = result.approval;
        ctx.logger.info(
          `Needs ${required} approval${
            required === 1 ? '' : 's'
          } from ${groups.join(', ')}${
            expiresAt ? ` by ${expiresAt}` : ''
          }: approvers decide on the model's page or the fleet page`,
        );
        ctx.output('approval', {
          required,
          groups,
          ...(expiresAt ? { expiresAt } : {}),
        });
      }
      if (result.id) ctx.output('promotionId', result.id);
      outputChange(ctx, result);
    },
  });
}

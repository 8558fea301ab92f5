import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { EnvironmentCreationResult } from '@seed-mlops/plugin-model-deployments-common';
import { ModelDeploymentsApiService } from '@seed-mlops/plugin-model-deployments-node';
import { examples } from './createEnvironment.examples';

/**
 * `model-deployments:environment:create`: creates an environment's namespace
 * (labelled for discovery), the RoleBinding of its owner groups and its
 * GitOps folder, through the model-deployments backend as the user who runs
 * the template.
 *
 * @public
 */
export function createEnvironmentAction(options: {
  client: ModelDeploymentsApiService;
}) {
  return createTemplateAction({
    id: 'model-deployments:environment:create',
    description:
      'Creates a model environment: a namespace labelled for the model-deployments discovery, a RoleBinding for its owner groups, and its GitOps folder with a README.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().describe('Environment name, a DNS-1123 label'),
        title: z => z.string().optional(),
        cluster: z =>
          z.string().describe('Cluster name from the kubernetes config'),
        namespace: z =>
          z.string().optional().describe('Default: the environment name'),
        stage: z =>
          z
            .number()
            .int()
            .describe('Position in the pipeline, e.g. 15 between 10 and 20'),
        restricted: z => z.boolean().optional(),
        ownerGroups: z =>
          z
            .array(z.string())
            .optional()
            .describe('Group refs bound to the ClusterRole edit'),
        gitopsRepoUrl: z =>
          z.string().optional().describe('GitOps repository; none: no folder'),
        gitopsBranch: z => z.string().optional(),
        gitopsPath: z =>
          z.string().optional().describe('Folder; default: the namespace'),
        strategy: z =>
          z
            .enum(['commit', 'pull-request', ''])
            .optional()
            .describe('How the folder is added; default commit'),
      },
      output: {
        status: z => z.string().describe('created, up-to-date or dry-run'),
        message: z => z.string(),
        namespace: z => z.string(),
        commitSha: z => z.string().optional(),
        commitUrl: z => z.string().optional(),
        pullRequestUrl: z => z.string().optional(),
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      const request = {
        name: input.name,
        cluster: input.cluster,
        stage: input.stage,
        ...(input.title ? { title: input.title } : {}),
        ...(input.namespace ? { namespace: input.namespace } : {}),
        ...(input.restricted !== undefined
          ? { restricted: input.restricted }
          : {}),
        // A template's optional owner field renders as ''.
        ...(input.ownerGroups?.some(Boolean)
          ? { ownerGroups: input.ownerGroups.filter(Boolean) }
          : {}),
        ...(input.gitopsRepoUrl
          ? {
              gitops: {
                repoUrl: input.gitopsRepoUrl,
                ...(input.gitopsBranch ? { branch: input.gitopsBranch } : {}),
                ...(input.gitopsPath ? { path: input.gitopsPath } : {}),
              },
            }
          : {}),
        ...(input.strategy ? { strategy: input.strategy } : {}),
      };
      const credentials = await ctx.getInitiatorCredentials();
      const result = ctx.isDryRun
        ? await options.client.createEnvironment(
            { ...request, dryRun: true },
            { credentials },
          )
        : ((await ctx.checkpoint({
            key: `create-environment-${input.cluster}-${input.name}`,
            fn: async () =>
              JSON.parse(
                JSON.stringify(
                  await options.client.createEnvironment(request, {
                    credentials,
                  }),
                ),
              ),
          })) as EnvironmentCreationResult);
      ctx.logger.info(result.message);
      ctx.output('status', result.status);
      ctx.output('message', result.message);
      ctx.output('namespace', input.namespace ?? input.name);
      if (result.commit) {
        ctx.output('commitSha', result.commit.sha);
        if (result.commit.url) ctx.output('commitUrl', result.commit.url);
      }
      if (result.pullRequest) {
        ctx.output('pullRequestUrl', result.pullRequest.url);
      }
    },
  });
}

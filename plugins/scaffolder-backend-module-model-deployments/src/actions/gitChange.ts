import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';
import { createHash } from 'crypto';

/** What the promote and rollback actions need of the scaffolder's context. */
interface ChangeContext {
  isDryRun?: boolean;
  task: { id: string };
  step?: { id?: string };
  checkpoint: (options: {
    key: string;
    fn: () => Promise<any>;
  }) => Promise<any>;
  output: (name: any, value: any) => void;
}

/**
 * Runs a promotion or rollback request: on a dry run as asked, else once
 * per task step. A retried task finds the stored result and does not write
 * twice; if it died before storing it, the idempotency key (this task
 * step's request) gets the first answer from the backend instead.
 */
export async function runChange<Request extends object>(
  ctx: ChangeContext,
  options: {
    checkpointKey: string;
    request: Request;
    credentials: BackstageCredentials;
    send: (
      request: Request,
      options: { credentials: BackstageCredentials; idempotencyKey?: string },
    ) => Promise<PromotionResult>;
  },
): Promise<PromotionResult> {
  const { request, credentials, send } = options;
  if (ctx.isDryRun) {
    return send({ ...request, dryRun: true }, { credentials });
  }
  const idempotencyKey = `scaffolder-${createHash('sha256')
    .update(JSON.stringify([ctx.task.id, ctx.step?.id ?? '', request]))
    .digest('hex')}`;
  return (await ctx.checkpoint({
    key: options.checkpointKey,
    // Stored as JSON with the task: a plain copy.
    fn: async () =>
      JSON.parse(
        JSON.stringify(await send(request, { credentials, idempotencyKey })),
      ),
  })) as PromotionResult;
}

/** The outputs promote and rollback share: what happened and where in Git. */
export function outputChange(ctx: ChangeContext, result: PromotionResult) {
  ctx.output('status', result.status);
  ctx.output('message', result.message);
  ctx.output('diff', result.diff);
  if (result.commit) {
    ctx.output('commitSha', result.commit.sha);
    if (result.commit.url) ctx.output('commitUrl', result.commit.url);
  }
  if (result.branch) ctx.output('branch', result.branch);
  if (result.pullRequest) {
    ctx.output('pullRequestUrl', result.pullRequest.url);
    ctx.output('pullRequestNumber', result.pullRequest.number);
  }
}

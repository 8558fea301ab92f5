import { Environment } from '@seed-mlops/plugin-model-deployments-common';
import { GitOpsService } from '../gitops/GitOpsService';

/** Longest an answer waits for the environment's mirror to catch up. */
const REFRESH_WAIT_MS = 2_000;

/**
 * Fetches the environment's repository after a write, so that the page
 * reloading on the answer (its history, its Git state) already shows the
 * new commit; waits at most two seconds, then lets the fetch finish alone.
 * A failed fetch shows in the environment's Git state, not here.
 */
export async function refreshAfterWrite(
  gitops: GitOpsService,
  env: Environment,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    gitops.refreshEnvironment(env).catch(() => undefined),
    new Promise<void>(resolve => {
      timer = setTimeout(resolve, REFRESH_WAIT_MS);
      timer.unref?.();
    }),
  ]);
  clearTimeout(timer);
}

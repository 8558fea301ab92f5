import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';

/*
 * What the audit log says of a promotion or a rollback: who asked for what,
 * then how it ended. Nothing read from Git or a cluster goes in.
 */

/** How a promotion or rollback ended, for the audit event's success. */
export function changeOutcome(result: PromotionResult) {
  const failedGates =
    result.gates?.filter(g => !g.passed).map(g => g.name) ?? [];
  return {
    status: result.status,
    ...(result.kind === 'promotion' ? { from: result.from } : {}),
    // The gates a forced promotion went past.
    ...(failedGates.length ? { failedGates } : {}),
    ...(result.restored ? { restored: result.restored.commit } : {}),
    ...(result.commit ? { commit: result.commit.sha } : {}),
    ...(result.branch ? { branch: result.branch } : {}),
    ...(result.replayed ? { replayed: true } : {}),
  };
}

import { KubernetesObject, asNumber } from './kubernetesObject';
import { Predictor } from './seldonDeploymentPredictors';

/** The sum of the stated values; undefined when none is stated. */
const sum = (values: Array<number | undefined>) =>
  values.some(v => v !== undefined)
    ? values.reduce<number>((total, v) => total + (v ?? 0), 0)
    : undefined;

/**
 * Replicas as the resource states them, absent when it states none.
 * Status first: `deploymentStatus` (v1: `replicas`, `availableReplicas`)
 * or the older `predictorStatus[]` (`replicas`, `replicasAvailable`). Else
 * the spec, resolved the way the operator does for each component's
 * Deployment: `componentSpecs[].replicas`, else the predictor's `replicas`,
 * else `spec.replicas`, else 1; only when at least one level states a number.
 */
export function replicasOf(object: KubernetesObject, predictors: Predictor[]) {
  const status = object.status ?? {};
  let deploymentStatus: any[] | undefined;
  if (status.deploymentStatus && typeof status.deploymentStatus === 'object') {
    deploymentStatus = Object.values(status.deploymentStatus);
  } else if (Array.isArray(status.predictorStatus)) {
    deploymentStatus = status.predictorStatus;
  }
  let desired: number | undefined;
  let available: number | undefined;
  if (deploymentStatus && deploymentStatus.length > 0) {
    desired = sum(deploymentStatus.map(d => asNumber(d?.replicas)));
    available = sum(
      deploymentStatus.map(
        d => asNumber(d?.availableReplicas) ?? asNumber(d?.replicasAvailable),
      ),
    );
  }
  if (desired === undefined) {
    const specReplicas = asNumber(object.spec?.replicas);
    const stated =
      specReplicas !== undefined ||
      predictors.some(
        p =>
          asNumber(p.replicas) !== undefined ||
          (p.componentSpecs ?? []).some(
            c => asNumber(c?.replicas) !== undefined,
          ),
      );
    if (stated) {
      // Shadow predictors run Deployments of their own too.
      desired = predictors.reduce((total, p) => {
        const own = asNumber(p.replicas) ?? specReplicas ?? 1;
        const components = p.componentSpecs?.length
          ? p.componentSpecs.map(c => asNumber(c?.replicas) ?? own)
          : [own];
        return total + components.reduce((a, b) => a + b, 0);
      }, 0);
    }
  }
  return {
    ...(desired !== undefined ? { desiredReplicas: desired } : {}),
    ...(available !== undefined ? { availableReplicas: available } : {}),
  };
}

import { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ID_LABEL,
  MODEL_DEPLOYMENTS_NAME_ANNOTATION,
  MODEL_DEPLOYMENTS_SELECTOR_ANNOTATION,
} from '@seed-mlops/plugin-model-deployments-common';

/**
 * True when the entity can have model deployments: it has the
 * `model-deployments/name` or `model-deployments/selector` annotation, the
 * `backstage.io/kubernetes-id` annotation, or is a Component of type `model`.
 *
 * @public
 */
export function isModelDeploymentsAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  if (
    annotations[MODEL_DEPLOYMENTS_NAME_ANNOTATION] ||
    annotations[MODEL_DEPLOYMENTS_SELECTOR_ANNOTATION] ||
    annotations[KUBERNETES_ID_LABEL]
  ) {
    return true;
  }
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    (entity.spec as { type?: unknown } | undefined)?.type === 'model'
  );
}

import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  KUBERNETES_ID_LABEL,
  KubernetesObject,
  MODEL_DEPLOYMENTS_NAME_ANNOTATION,
  MODEL_DEPLOYMENTS_SELECTOR_ANNOTATION,
  matchesLabelSelector,
  parseLabelSelector,
} from '@seed-mlops/plugin-model-deployments-common';

/** The Kubernetes plugin's annotation that overrides the kubernetes-id value. */
const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';

/**
 * Whether an object belongs to the entity; `key` says, when the rule is a
 * name or the kubernetes-id label, which value an object must have, so that
 * many entities can be matched through a map instead of one by one. `rule`
 * names the rule: two matchers with the same rule match the same objects.
 */
export type EntityMatcher = ((object: KubernetesObject) => boolean) & {
  key?: { name: string } | { kubernetesId: string };
  rule: string;
};

/**
 * Which objects belong to an entity: the `model-deployments/name`
 * annotation (same name in every environment), else the
 * `model-deployments/selector` label selector, else the Kubernetes plugin's
 * `backstage.io/kubernetes-id` label.
 */
export function entityMatcher(entity: Entity): EntityMatcher {
  const annotations = entity.metadata.annotations ?? {};
  const name = annotations[MODEL_DEPLOYMENTS_NAME_ANNOTATION]?.trim();
  if (name) {
    return Object.assign(
      (object: KubernetesObject) => object.metadata?.name === name,
      { key: { name }, rule: `name=${name}` },
    );
  }
  const selector = annotations[MODEL_DEPLOYMENTS_SELECTOR_ANNOTATION];
  if (selector !== undefined) {
    let requirements;
    try {
      requirements = parseLabelSelector(selector);
    } catch (e) {
      throw new InputError(
        `Annotation ${MODEL_DEPLOYMENTS_SELECTOR_ANNOTATION} of ${stringifyEntityRef(
          entity,
        )} is not a valid label selector: ${(e as Error).message}`,
      );
    }
    if (requirements.length === 0) {
      throw new InputError(
        `Annotation ${MODEL_DEPLOYMENTS_SELECTOR_ANNOTATION} of ${stringifyEntityRef(
          entity,
        )} is empty; it would match every model`,
      );
    }
    return Object.assign(
      (object: KubernetesObject) =>
        matchesLabelSelector(requirements, object.metadata?.labels),
      { rule: `selector=${selector}` },
    );
  }
  const id = annotations[KUBERNETES_ID_ANNOTATION] ?? entity.metadata.name;
  return Object.assign(
    (object: KubernetesObject) =>
      object.metadata?.labels?.[KUBERNETES_ID_LABEL] === id,
    { key: { kubernetesId: id }, rule: `kubernetes-id=${id}` },
  );
}

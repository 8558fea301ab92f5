/**
 * Entity annotation naming the model-serving resource; the name is the same
 * in every environment.
 *
 * @public
 */
export const MODEL_DEPLOYMENTS_NAME_ANNOTATION = 'model-deployments/name';

/**
 * Entity annotation holding a Kubernetes label selector that matches the
 * entity's model-serving resources, e.g. `app.kubernetes.io/name=fraud`.
 *
 * @public
 */
export const MODEL_DEPLOYMENTS_SELECTOR_ANNOTATION =
  'model-deployments/selector';

/**
 * Fallback shared with the Kubernetes plugin: objects labelled with this key
 * and the entity's name belong to the entity.
 *
 * @public
 */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/**
 * Namespace labels and annotations written by Seldon Enterprise Platform that
 * environment discovery reads.
 *
 * @public
 */
export const SeldonNamespaceLabels = {
  /** Present on every namespace Seldon manages; `true` means restricted. */
  restricted: 'seldon.restricted',
  /** `enabled` when the namespace is synced from Git. */
  gitops: 'seldon.gitops',
  /** Annotation holding the GitOps repository URL. */
  gitRepoAnnotation: 'git-repo',
} as const;

/**
 * Namespace labels of our own that name and order a discovered environment.
 *
 * @public
 */
export const EnvironmentNamespaceLabels = {
  /** Environment name; the namespace name when absent. */
  name: 'model-deployments.seed-mlops.io/environment',
  /** Position in the pipeline, an integer; lower comes first. */
  stage: 'model-deployments.seed-mlops.io/stage',
  /** Annotation with a human-friendly title. */
  titleAnnotation: 'model-deployments.seed-mlops.io/title',
  /** Annotation with the GitOps branch. */
  gitBranchAnnotation: 'model-deployments.seed-mlops.io/git-branch',
  /** Annotation with the GitOps folder; the namespace name when absent. */
  gitPathAnnotation: 'model-deployments.seed-mlops.io/git-path',
} as const;

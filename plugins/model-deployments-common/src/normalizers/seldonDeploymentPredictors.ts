import { ModelVersion } from '../types';
import { KubernetesObject, asString } from './kubernetesObject';

/*
 * The predictors of a Seldon Core v1 `SeldonDeployment`
 * (`machinelearning.seldon.io/v1`, `spec.predictors[]`), and the model
 * versions each one serves. Every field is optional: a malformed object must
 * never throw.
 */

export type Predictor = {
  name?: string;
  traffic?: number;
  shadow?: boolean;
  replicas?: number;
  annotations?: Record<string, string>;
  graph?: GraphNode;
  componentSpecs?: Array<{
    replicas?: number;
    spec?: { containers?: Array<{ name?: string; image?: string }> };
  }>;
};

type GraphNode = {
  name?: string;
  implementation?: string;
  modelUri?: string;
  children?: GraphNode[];
};

export function predictorsOf(object: KubernetesObject): Predictor[] {
  const predictors = object.spec?.predictors;
  return Array.isArray(predictors) ? predictors.filter(Boolean) : [];
}

export function versionsOfPredictor(predictor: Predictor): ModelVersion[] {
  const images = new Map<string, string>();
  for (const componentSpec of predictor.componentSpecs ?? []) {
    for (const container of componentSpec?.spec?.containers ?? []) {
      if (container?.name && container.image) {
        images.set(container.name, container.image);
      }
    }
  }
  const versions: ModelVersion[] = [];
  const visit = (node: GraphNode | undefined, depth: number) => {
    // The CRD nests graphs at most 10 levels deep; guard against cycles in bad input.
    if (!node || depth > 10) {
      return;
    }
    const nodeName = asString(node.name) ?? 'model';
    const modelUri = asString(node.modelUri);
    const image = images.get(nodeName);
    if (modelUri || image) {
      versions.push({
        component: `${predictor.name ?? 'default'}/${nodeName}`,
        ...(modelUri ? { modelUri } : {}),
        ...(image ? { image } : {}),
        ...(asString(node.implementation)
          ? { runtime: node.implementation }
          : {}),
      });
    }
    for (const child of Array.isArray(node.children) ? node.children : []) {
      visit(child, depth + 1);
    }
  };
  visit(predictor.graph, 0);
  const explainer = (predictor as { explainer?: any }).explainer;
  const explainerUri = asString(explainer?.modelUri);
  if (explainerUri) {
    versions.push({
      component: `${predictor.name ?? 'default'}/explainer`,
      modelUri: explainerUri,
      ...(asString(explainer.type) ? { runtime: explainer.type } : {}),
    });
  }
  return versions;
}

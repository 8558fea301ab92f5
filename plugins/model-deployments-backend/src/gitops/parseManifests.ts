import { parseAllDocuments } from 'yaml';
import { KubernetesObject } from '@seed-mlops/plugin-model-deployments-common';
import { GitFile } from './GitMirror';

/** A Kubernetes object read from Git, with the file it came from. */
export interface GitManifest {
  path: string;
  object: KubernetesObject;
}

/** A file that could not be read as manifests. */
export interface GitFileError {
  path: string;
  message: string;
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

function apiGroupOf(object: KubernetesObject) {
  const apiVersion = String(object.apiVersion ?? '');
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** `<group>/<kind>`, e.g. `machinelearning.seldon.io/SeldonDeployment`. */
export function kindKeyOf(object: KubernetesObject) {
  return `${apiGroupOf(object)}/${object.kind}`;
}

/** Identity of an object across Git and the cluster: API group, kind and name. */
export function identityOf(object: KubernetesObject) {
  return `${kindKeyOf(object)}/${object.metadata?.name}`;
}

/** Manifests looked up by identity and grouped by kind. */
export interface ManifestIndex {
  byIdentity: Map<string, GitManifest>;
  byKind: Map<string, GitManifest[]>;
}

export function indexManifests(manifests: GitManifest[]): ManifestIndex {
  const byIdentity = new Map<string, GitManifest>();
  const byKind = new Map<string, GitManifest[]>();
  for (const manifest of manifests) {
    byIdentity.set(identityOf(manifest.object), manifest);
    const key = kindKeyOf(manifest.object);
    byKind.set(key, [...(byKind.get(key) ?? []), manifest]);
  }
  return { byIdentity, byKind };
}

/**
 * Parses every YAML or JSON file (several documents per YAML file allowed)
 * into Kubernetes objects. A malformed file is reported on its own; the
 * others are still read. Files that are not manifests (README, scripts) are
 * skipped, and so are documents without `kind` and `metadata.name`
 * (kustomization files, values files).
 */
export function parseManifests(files: GitFile[]): {
  manifests: GitManifest[];
  errors: GitFileError[];
} {
  const manifests: GitManifest[] = [];
  const errors: GitFileError[] = [];
  for (const file of files) {
    if (!MANIFEST_FILE.test(file.path)) continue;
    // YAML is a superset of JSON, so one parser reads both.
    const documents = parseAllDocuments(file.content, { prettyErrors: true });
    const documentList = Array.isArray(documents) ? documents : [documents];
    const failed = documentList.find(d => d.errors.length > 0);
    if (failed) {
      errors.push({
        path: file.path,
        message: failed.errors[0].message.split('\n')[0],
      });
      continue;
    }
    for (const document of documentList) {
      const value = document.toJS();
      for (const object of Array.isArray(value?.items) &&
      value?.kind?.endsWith('List')
        ? value.items
        : [value]) {
        if (
          object &&
          typeof object === 'object' &&
          typeof object.kind === 'string' &&
          typeof object.metadata?.name === 'string'
        ) {
          manifests.push({ path: file.path, object });
        }
      }
    }
  }
  return { manifests, errors };
}

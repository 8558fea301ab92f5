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

import { InputError } from '@backstage/errors';
import {
  Environment,
  KubernetesObject,
  PromotionFile,
} from '@seed-mlops/plugin-model-deployments-common';
import { createTwoFilesPatch } from 'diff';
import { isDeepStrictEqual } from 'util';
import {
  ManifestIndex,
  manifestFor,
  parseManifestFile,
} from '../gitops/parseManifests';
import { PromotionSource } from '../service/DeploymentsService';
import {
  PromotionOverrides,
  manifestFileName,
  prepareManifest,
  serializeManifest,
} from './manifests';

/** Larger manifests are almost certainly not what the user meant to promote. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

/** A manifest prepared for the target, and the file it goes to there. */
export interface TargetFile {
  path: string;
  object: KubernetesObject;
}

/** A file the promotion changes: its new content, and its current one if any. */
export interface PlannedFile extends PromotionFile {
  content: string;
  previous?: string;
}

function folderOf(env: Environment) {
  return (env.gitops?.path ?? '').replace(/^\/+|\/+$/g, '');
}

function joinPath(folder: string, file: string) {
  return folder ? `${folder}/${file}` : file;
}

/** Keeps the source file's format; Seldon writes SeldonDeployments as JSON. */
function extensionFor(
  source: PromotionSource,
  object: KubernetesObject,
): 'json' | 'yaml' {
  if (source.origin === 'git' && source.deployment.gitPath) {
    return /\.json$/i.test(source.deployment.gitPath) ? 'json' : 'yaml';
  }
  return object.kind === 'SeldonDeployment' ? 'json' : 'yaml';
}

/**
 * Where each source goes in the target and with what content. The paths
 * and the namespace convention come from `index`, the target's last read
 * state; the content check happens against the branch head at write time.
 */
export function targetFiles(
  sources: PromotionSource[],
  to: Environment,
  overrides: PromotionOverrides | undefined,
  index: ManifestIndex | undefined,
): TargetFile[] {
  // Seldon's layout leaves the namespace out (the sync tool sets it); keep
  // whatever the target folder already does.
  const targetSetsNamespace = index
    ? [...index.byIdentity.values()].some(m => m.object.metadata?.namespace)
    : false;
  const folder = folderOf(to);
  const targets = sources.map(source => {
    // The same object in the target: same kind and name, in the target's namespace.
    const existing =
      index &&
      manifestFor(
        index,
        {
          ...source.object,
          metadata: {
            ...source.object.metadata,
            namespace: to.namespace ?? source.object.metadata?.namespace,
          },
        },
        to,
      );
    const wantsNamespace = existing
      ? Boolean(existing.object.metadata?.namespace)
      : targetSetsNamespace;
    const object = prepareManifest(source.object, {
      namespace: wantsNamespace ? to.namespace : undefined,
      overrides,
    });
    const extension = extensionFor(source, object);
    const path =
      existing?.path ?? joinPath(folder, manifestFileName(object, extension));
    const size = Buffer.byteLength(serializeManifest(object, path));
    if (size > MAX_MANIFEST_BYTES) {
      throw new InputError(
        `The manifest of ${object.kind} ${object.metadata?.name} is ${Math.ceil(
          size / 1024,
        )} KiB; promotions write at most ${
          MAX_MANIFEST_BYTES / 1024
        } KiB per file`,
      );
    }
    return { path, object };
  });
  const paths = new Set<string>();
  for (const { path } of targets) {
    if (paths.has(path)) {
      throw new InputError(
        `Several of the model's objects would be written to ${path}; promotions write one object per file, so split it in Git first`,
      );
    }
    paths.add(path);
  }
  return targets;
}

/** Compares each prepared manifest with the file at `head`; keeps those that change. */
export async function planFiles(
  head: string,
  files: TargetFile[],
  read: (head: string, path: string) => Promise<string | undefined>,
): Promise<PlannedFile[]> {
  const planned: PlannedFile[] = [];
  for (const { path, object } of files) {
    const previous = await read(head, path);
    if (previous !== undefined) {
      const parsed = parseManifestFile({ path, content: previous });
      // Rewriting such a file would drop what else it holds.
      if (parsed.error) {
        throw new InputError(
          `The target file ${path} is not a valid manifest (${parsed.error.message}); fix it in Git first`,
        );
      }
      if (parsed.manifests.length > 1) {
        throw new InputError(
          `The target file ${path} holds ${parsed.manifests.length} objects; promotions write one object per file, so split it in Git first`,
        );
      }
      if (isDeepStrictEqual(parsed.manifests[0]?.object, object)) continue;
    }
    planned.push({
      path,
      change: previous === undefined ? 'create' : 'update',
      content: serializeManifest(object, path),
      ...(previous !== undefined ? { previous } : {}),
    });
  }
  return planned;
}

/** The planned changes as a git-style unified diff. */
export function unifiedDiff(planned: PlannedFile[]): string {
  return planned
    .map(file =>
      createTwoFilesPatch(
        file.change === 'create' ? '/dev/null' : `a/${file.path}`,
        file.change === 'delete' ? '/dev/null' : `b/${file.path}`,
        file.previous ?? '',
        file.content,
      )
        // The library's leading '====' separator is not part of git's format.
        .replace(/^=+\n/, ''),
    )
    .join('');
}

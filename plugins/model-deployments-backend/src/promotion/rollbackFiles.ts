import { InputError } from '@backstage/errors';
import {
  KubernetesObject,
  ModelResourceKind,
  toModelDeployment,
} from '@seed-mlops/plugin-model-deployments-common';
import { GitManifest } from '../gitops/parseManifests';
import { EntityMatcher } from '../service/entityMatcher';
import { PlannedFile } from './promotedFiles';

/** A file as the rollback leaves it: the content it had then, or gone. */
export type RestoredFile =
  | { path: string; content: string }
  | { path: string; deleted: true };

/** A file of the environment's folder with the manifests it holds. */
export interface FolderFile {
  path: string;
  /** The text, when it was read (files at an old commit); not needed for files now. */
  content?: string;
  manifests: GitManifest[];
}

/** Manifests grouped back into their files. */
export function filesOf(manifests: GitManifest[]): FolderFile[] {
  const byPath = new Map<string, GitManifest[]>();
  for (const manifest of manifests) {
    byPath.set(manifest.path, [...(byPath.get(manifest.path) ?? []), manifest]);
  }
  return [...byPath].map(([path, inFile]) => ({ path, manifests: inFile }));
}

/**
 * The files that hold the model's objects, by path. A file that also holds
 * another model's objects is refused: restoring or removing it would roll
 * that model back too.
 */
export function modelFiles(
  files: FolderFile[],
  matches: EntityMatcher,
): Map<string, FolderFile> {
  const own = new Map<string, FolderFile>();
  for (const file of files) {
    const ofModel = file.manifests.filter(m => matches(m.object));
    if (ofModel.length === 0) continue;
    if (ofModel.length < file.manifests.length) {
      throw new InputError(
        `${file.path} also holds objects of other models; split it in Git first, or roll back by hand`,
      );
    }
    own.set(file.path, file);
  }
  return own;
}

/**
 * What restoring changes at `head`: each file whose content differs from
 * the restored one, and each file to remove that is there. Byte for byte:
 * a rollback writes back exactly what the restored commit had.
 */
export async function planRestore(
  head: string,
  files: RestoredFile[],
  read: (head: string, path: string) => Promise<string | undefined>,
): Promise<PlannedFile[]> {
  const planned: PlannedFile[] = [];
  for (const file of files) {
    const previous = await read(head, file.path);
    if ('deleted' in file) {
      if (previous === undefined) continue;
      planned.push({
        path: file.path,
        change: 'delete',
        content: '',
        previous,
      });
      continue;
    }
    if (previous === file.content) continue;
    planned.push({
      path: file.path,
      change: previous === undefined ? 'create' : 'update',
      content: file.content,
      ...(previous !== undefined ? { previous } : {}),
    });
  }
  return planned;
}

/** The model artifacts and images the objects name, as their kinds read them. */
export function versionsOf(
  kinds: readonly ModelResourceKind[],
  objects: KubernetesObject[],
): string[] {
  const versions = objects.flatMap(object => {
    const kind = kinds.find(
      k =>
        k.kind === object.kind &&
        object.apiVersion === `${k.group}/${k.version}`,
    );
    if (!kind) return [];
    return toModelDeployment(object, kind, '').versions.flatMap(v => {
      const version = v.modelUri ?? v.image;
      return version ? [version] : [];
    });
  });
  return [...new Set(versions)];
}

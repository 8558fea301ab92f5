import {
  ParseError,
  parse as parseJson,
  printParseErrorCode,
} from 'jsonc-parser';
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
  /** The parser's reason, ending with where: `… (line 3, column 1)`. */
  message: string;
  /** 1-based line of the error, when the parser says. */
  line?: number;
}

/** The line and column of `offset` in `text`, 1-based. */
function positionOf(text: string, offset: number) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Where and why `content` is not JSON. Node's own messages name no line and
 * quote the content, so the file is parsed again by jsonc-parser, strictly,
 * for its first error's code and offset.
 */
function jsonError(path: string, content: string): GitFileError {
  const errors: ParseError[] = [];
  parseJson(content, errors, {
    allowTrailingComma: false,
    disallowComments: true,
    allowEmptyContent: false,
  });
  const first = errors[0];
  if (!first) return { path, message: 'Not valid JSON' };
  // `CommaExpected` reads as "Comma expected".
  const reason = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/^./, c => c.toUpperCase());
  const { line, column } = positionOf(content, first.offset);
  return { path, message: `${reason} (line ${line}, column ${column})`, line };
}

/**
 * A parse error as one clean sentence naming the line: the YAML library's
 * pretty messages end with ` at line L, column C:` and a code excerpt; this
 * becomes `… (line L, column C)`.
 */
function fileError(
  path: string,
  content: string,
  error: {
    message: string;
    linePos?: Array<{ line: number; col: number }>;
    pos?: [number, number];
  },
): GitFileError {
  const message = error.message
    .split('\n')[0]
    .replace(/:\s*$/, '')
    .replace(/ at line \d+, column \d+$/, '');
  let where = error.linePos?.[0]
    ? { line: error.linePos[0].line, column: error.linePos[0].col }
    : undefined;
  if (!where && error.pos) where = positionOf(content, error.pos[0]);
  return where
    ? {
        path,
        message: `${message} (line ${where.line}, column ${where.column})`,
        line: where.line,
      }
    : { path, message };
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

/**
 * Identity of an object across Git and the cluster: API group, kind,
 * namespace and name. In an environment that is a whole cluster,
 * `default/sklearn` and `seldon-system/sklearn` are two objects. A manifest
 * without a namespace has `''` here; {@link manifestFor} places it.
 */
export function identityOf(
  object: KubernetesObject,
  namespace: string = object.metadata?.namespace ?? '',
) {
  return `${kindKeyOf(object)}/${namespace}/${object.metadata?.name}`;
}

/**
 * The namespace an object lands in: its own; for a manifest that names none,
 * the environment's namespace (where the sync tool applies it), else
 * `default` (where the API server puts it).
 */
export function namespaceIn(
  object: KubernetesObject,
  env: { namespace?: string },
) {
  return object.metadata?.namespace || env.namespace || 'default';
}

/** The Git manifest of a live object of the environment, if Git has one. */
export function manifestFor(
  index: ManifestIndex,
  object: KubernetesObject,
  env: { namespace?: string },
): GitManifest | undefined {
  const namespace = namespaceIn(object, env);
  return (
    index.byIdentity.get(identityOf(object, namespace)) ??
    (namespace === (env.namespace || 'default')
      ? index.byIdentity.get(identityOf(object, ''))
      : undefined)
  );
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

/** What one file holds: its manifests, or why it could not be read. */
export interface ParsedManifestFile {
  manifests: GitManifest[];
  error?: GitFileError;
}

function objectsOf(value: any): KubernetesObject[] {
  const objects =
    Array.isArray(value?.items) && value?.kind?.endsWith('List')
      ? value.items
      : [value];
  return objects.filter(
    (object: any) =>
      object &&
      typeof object === 'object' &&
      typeof object.kind === 'string' &&
      typeof object.metadata?.name === 'string',
  );
}

/**
 * Parses one YAML or JSON file (several documents per YAML file allowed)
 * into Kubernetes objects. Files that are not manifests (README, scripts)
 * give nothing, and so do documents without `kind` and `metadata.name`
 * (kustomization files, values files).
 */
export function parseManifestFile(file: GitFile): ParsedManifestFile {
  if (!MANIFEST_FILE.test(file.path)) return { manifests: [] };
  const values: unknown[] = [];
  if (/\.json$/i.test(file.path)) {
    // JSON.parse is many times faster than a YAML parser on Seldon's JSON files.
    try {
      values.push(JSON.parse(file.content));
    } catch {
      return { manifests: [], error: jsonError(file.path, file.content) };
    }
  } else {
    const documents = parseAllDocuments(file.content, { prettyErrors: true });
    const documentList = Array.isArray(documents) ? documents : [documents];
    const failed = documentList.find(d => d.errors.length > 0);
    if (failed) {
      return {
        manifests: [],
        error: fileError(file.path, file.content, failed.errors[0]),
      };
    }
    try {
      values.push(...documentList.map(document => document.toJS()));
    } catch (error) {
      // e.g. an alias bomb: the parser refuses to expand it.
      return {
        manifests: [],
        error: { path: file.path, message: (error as Error).message },
      };
    }
  }
  return {
    manifests: values.flatMap(value =>
      objectsOf(value).map(object => ({ path: file.path, object })),
    ),
  };
}

/**
 * Parses every file; a malformed file is reported on its own and the others
 * are still read.
 */
export function parseManifests(files: GitFile[]): {
  manifests: GitManifest[];
  errors: GitFileError[];
} {
  const manifests: GitManifest[] = [];
  const errors: GitFileError[] = [];
  for (const file of files) {
    const parsed = parseManifestFile(file);
    manifests.push(...parsed.manifests);
    if (parsed.error) errors.push(parsed.error);
  }
  return { manifests, errors };
}

import {
  Environment,
  EnvironmentGitState,
  GitOpsSource,
} from '@seed-mlops/plugin-model-deployments-common';
import { FolderCache } from './FolderCache';
import { GitMirror } from './GitMirror';
import { folderKeyOf, folderOf } from './gitSources';
import { MirrorRefresher } from './MirrorRefresher';
import {
  GitFileError,
  indexManifests,
  ManifestIndex,
  ParsedManifestFile,
  parseManifestFile,
} from './parseManifests';
import { redact } from './redact';

/** The desired state of one environment, as last read from Git. */
export interface EnvironmentDesiredState {
  git: EnvironmentGitState;
  /** The manifests; empty when nothing could be read yet. */
  index: ManifestIndex;
}

interface ParsedFolder {
  index: ManifestIndex;
  errors: GitFileError[];
}

const EMPTY_INDEX: ManifestIndex = { byIdentity: new Map(), byKind: new Map() };

/** Reads environments' manifests from their mirrors, once per commit. */
export class DesiredStateReader {
  /**
   * Each folder's parsed files by path and blob id, carried from commit to
   * commit: a new commit re-reads only the files it changed.
   */
  private readonly parsedFiles = new Map<
    string,
    Map<string, ParsedManifestFile>
  >();

  constructor(
    private readonly mirrors: MirrorRefresher,
    private readonly folders: FolderCache,
  ) {}

  /**
   * The environment's desired state from the last fetched commit. Waits for
   * a first fetch in progress for at most `waitMs`, never for a later one.
   */
  async desiredState(
    env: Environment,
    waitMs: number,
  ): Promise<EnvironmentDesiredState | undefined> {
    const source = env.gitops;
    if (!source) return undefined;
    const state = this.mirrors.stateOf(source);
    if (!state.commit && !state.error) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.mirrors.refresh(source),
        new Promise<void>(resolve => {
          timer = setTimeout(resolve, waitMs);
        }),
      ]);
      clearTimeout(timer);
    }
    const git: EnvironmentGitState = {
      repoUrl: redact(source.repoUrl),
      ...(source.branch ? { branch: source.branch } : {}),
      path: folderOf(source),
      fileErrors: [],
      ...(state.commit ? { commit: state.commit } : {}),
      ...(state.fetchedAt ? { fetchedAt: state.fetchedAt.toISOString() } : {}),
      ...(state.error ? { error: state.error } : {}),
    };
    if (!state.commit) {
      if (!git.error) git.error = 'The repository has not been fetched yet.';
      return { git, index: EMPTY_INDEX };
    }
    const commit = state.commit;
    const parsed = await this.folders.readOnce(source, commit, 'parsed', () =>
      this.parseFolder(source, state.mirror, commit),
    );
    git.fileErrors = parsed.errors;
    return { git, index: parsed.index };
  }

  private async parseFolder(
    source: GitOpsSource,
    mirror: GitMirror,
    commit: string,
  ): Promise<ParsedFolder> {
    const folderKey = folderKeyOf(source);
    const previous = this.parsedFiles.get(folderKey) ?? new Map();
    const current = new Map<string, ParsedManifestFile>();
    for (const { path: filePath, oid } of await mirror.listFolder(
      commit,
      folderOf(source),
    )) {
      const fileKey = `${filePath}@${oid}`;
      const parsed =
        previous.get(fileKey) ??
        parseManifestFile({
          path: filePath,
          content: await mirror.readText(oid),
        });
      current.set(fileKey, parsed);
    }
    this.parsedFiles.set(folderKey, current);
    const files = [...current.values()];
    return {
      index: indexManifests(files.flatMap(f => f.manifests)),
      errors: files.flatMap(f => (f.error ? [f.error] : [])),
    };
  }
}

import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  Environment,
  GitCommit,
  GitOpsSource,
  parseCommitMessage,
} from '@seed-mlops/plugin-model-deployments-common';
import { commitUrlFor } from './commitUrls';
import { FolderCache } from './FolderCache';
import { FolderHistory, GitMirror, RawCommit } from './GitMirror';
import { folderKeyOf, folderOf } from './gitSources';
import { MirrorRefresher } from './MirrorRefresher';

/** Which commits changed which of an environment's files, read for people. */
export interface EnvironmentHistory {
  /** The commit the history was read from. */
  head: string;
  commits: GitCommit[];
  /** For each file (from the repository root), indexes into `commits`, newest first. */
  changes: Map<string, number[]>;
  complete: boolean;
}

function toGitCommit(
  raw: RawCommit,
  url: ((sha: string) => string) | undefined,
): GitCommit {
  const author = { name: raw.author.name, email: raw.author.email };
  const { summary, action, requestedBy } = parseCommitMessage(
    raw.message,
    author,
  );
  return {
    sha: raw.sha,
    author,
    committedAt: new Date(raw.committedAt * 1000).toISOString(),
    summary,
    ...(action ? { action } : {}),
    ...(requestedBy ? { requestedBy } : {}),
    ...(url ? { url: url(raw.sha) } : {}),
  };
}

/** Reads environments' histories from their mirrors, once per commit. */
export class HistoryReader {
  /** Each folder's last history: a new commit walks only back to its head. */
  private readonly lastHistory = new Map<string, EnvironmentHistory>();

  constructor(
    private readonly options: {
      depth: number;
      integrations?: ScmIntegrationRegistry;
    },
    private readonly mirrors: MirrorRefresher,
    private readonly folders: FolderCache,
  ) {}

  /**
   * Which commits changed which of the environment's files, from the last
   * fetched commit back through the kept history. Undefined until the
   * repository has been fetched.
   */
  async history(env: Environment): Promise<EnvironmentHistory | undefined> {
    const source = env.gitops;
    if (!source) return undefined;
    const state = this.mirrors.stateOf(source);
    const head = state.commit;
    if (!head) return undefined;
    return this.folders.readOnce(source, head, 'history', () =>
      this.walkHistory(source, state.mirror, head),
    );
  }

  private async walkHistory(
    source: GitOpsSource,
    mirror: GitMirror,
    head: string,
  ): Promise<EnvironmentHistory> {
    const folderKey = folderKeyOf(source);
    const previous = this.lastHistory.get(folderKey);
    const walked: FolderHistory = await mirror.folderHistory(
      head,
      folderOf(source),
      this.options.depth,
      previous?.head,
    );
    const url = commitUrlFor(this.options.integrations, source.repoUrl);
    const commits = walked.commits.map(raw => toGitCommit(raw, url));
    let history: EnvironmentHistory = {
      head,
      commits,
      changes: walked.changes,
      complete: walked.complete,
    };
    if (walked.reachedUntil && previous) {
      history = this.prependTo(previous, history);
    }
    this.lastHistory.set(folderKey, history);
    return history;
  }

  /** The new commits first, then the known history with its indexes shifted. */
  private prependTo(
    previous: EnvironmentHistory,
    newer: EnvironmentHistory,
  ): EnvironmentHistory {
    const shift = newer.commits.length;
    const changes = new Map(newer.changes);
    for (const [file, indexes] of previous.changes) {
      changes.set(file, [
        ...(changes.get(file) ?? []),
        ...indexes.map(index => index + shift),
      ]);
    }
    const history: EnvironmentHistory = {
      head: newer.head,
      commits: [...newer.commits, ...previous.commits],
      changes,
      complete: previous.complete,
    };
    const { depth } = this.options;
    if (history.commits.length > depth) {
      // Keep as much history as a fresh walk would.
      history.commits = history.commits.slice(0, depth);
      for (const [file, indexes] of changes) {
        const kept = indexes.filter(index => index < depth);
        if (kept.length) changes.set(file, kept);
        else changes.delete(file);
      }
      history.complete = false;
    }
    return history;
  }
}

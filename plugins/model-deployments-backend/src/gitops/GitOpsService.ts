import { NotAllowedError } from '@backstage/errors';
import { createHash } from 'crypto';
import path from 'path';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  Environment,
  EnvironmentGitState,
  GitCommit,
  GitOpsSource,
  parseCommitMessage,
} from '@seed-mlops/plugin-model-deployments-common';
import { AuthCallback } from 'isomorphic-git';
import { commitUrlFor } from './commitUrls';
import { RepositoryLock } from './RepositoryLock';
import { GitWriter } from './GitWriter';
import { describeGitError } from './gitErrors';
import { GitHostAllowList } from './GitHostAllowList';
import { redact } from './redact';
import { FolderHistory, GitMirror, RawCommit } from './GitMirror';
import {
  GitFileError,
  indexManifests,
  ManifestIndex,
  ParsedManifestFile,
  parseManifestFile,
} from './parseManifests';

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

/** Which commits changed which of an environment's files, read for people. */
export interface EnvironmentHistory {
  /** The commit the history was read from. */
  head: string;
  commits: GitCommit[];
  /** For each file (from the repository root), indexes into `commits`, newest first. */
  changes: Map<string, number[]>;
  complete: boolean;
}

/** What is read once per repository commit and folder, then shared by every view. */
interface FolderCacheEntry {
  parsed?: Promise<ParsedFolder>;
  history?: Promise<EnvironmentHistory>;
}

const EMPTY_INDEX: ManifestIndex = { byIdentity: new Map(), byKind: new Map() };

interface MirrorState {
  mirror: GitMirror;
  commit?: string;
  fetchedAt?: Date;
  error?: string;
  syncing?: Promise<void>;
  /** Fetches failed in a row; retries back off from 2 s up to the refresh interval. */
  failures: number;
  retryTimer?: NodeJS.Timeout;
}

const FIRST_RETRY_MS = 2_000;

/** The folder without surrounding slashes; '' for the repository root. */
function folderOf(source: GitOpsSource) {
  // Config reading and discovery default the path (Seldon's layout: the namespace).
  return (source.path ?? '').replace(/^\/+|\/+$/g, '');
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

/**
 * Keeps a mirror of every environment's GitOps repository, fetched on a
 * schedule and on demand. Page views read the last fetched commit and never
 * wait for a clone; an environment whose repository cannot be fetched keeps
 * its last good commit and says why.
 */
export class GitOpsService {
  private readonly mirrors = new Map<string, MirrorState>();
  private readonly writers = new Map<string, GitWriter>();
  /** Parsed folders and their histories at each repository's current commit. */
  private readonly folders = new Map<string, FolderCacheEntry>();
  /**
   * Each folder's parsed files by path and blob id, carried from commit to
   * commit: a new commit re-reads only the files it changed.
   */
  private readonly parsedFiles = new Map<
    string,
    Map<string, ParsedManifestFile>
  >();
  /** Each folder's last history: a new commit walks only back to its head. */
  private readonly lastHistory = new Map<string, EnvironmentHistory>();
  private stopped = false;

  constructor(
    private readonly options: {
      cacheDir: string;
      /** Commits kept per repository, and walked for history. */
      depth: number;
      timeoutMs: number;
      /** The longest wait between retries of a repository that failed. */
      refreshIntervalMs: number;
      logger: LoggerService;
      integrations?: ScmIntegrationRegistry;
      /** The hosts that may be reached; every other repository is refused. */
      allowList: GitHostAllowList;
      /** Makes writers take turns across replicas; none in one process. */
      lock?: RepositoryLock;
    },
  ) {}

  /** Why the source's repository may not be reached, if it may not. */
  hostProblem(source: GitOpsSource): string | undefined {
    return this.options.allowList.problem(source.repoUrl);
  }

  private key(source: GitOpsSource) {
    return `${source.repoUrl}#${source.branch ?? ''}`;
  }

  private onAuthFor(url: string): AuthCallback | undefined {
    const integrations = this.options.integrations;
    const integration = integrations?.byUrl(url);
    if (!integrations || !integration) return undefined;
    if (integration.type === 'github') {
      const provider =
        DefaultGithubCredentialsProvider.fromIntegrations(integrations);
      return async () => {
        const { token } = await provider.getCredentials({ url });
        return token ? { username: 'x-access-token', password: token } : {};
      };
    }
    // GitLab, Gitea, Bitbucket Server and friends keep a token in config.
    const token = (integration as unknown as { config?: { token?: string } })
      .config?.token;
    return token ? () => ({ username: 'oauth2', password: token }) : undefined;
  }

  /** A directory name for the repository's Git data. */
  private dirOf(source: GitOpsSource, kind: 'read' | 'write') {
    // Reads mirror one branch; a writer serves every branch of its repository.
    const digest = createHash('sha256')
      .update(kind === 'read' ? this.key(source) : source.repoUrl)
      .digest('hex')
      .slice(0, 16);
    return path.join(
      this.options.cacheDir,
      kind === 'read' ? digest : `write-${digest}`,
    );
  }

  /**
   * The writer of the source's repository, shared by every promotion into
   * it so that they take turns. Its Git data is apart from the read mirror.
   */
  writerFor(source: GitOpsSource): GitWriter {
    const problem = this.hostProblem(source);
    if (problem) {
      throw new NotAllowedError(
        `The GitOps repository ${redact(
          source.repoUrl,
        )} may not be written: ${problem}`,
      );
    }
    let writer = this.writers.get(source.repoUrl);
    if (!writer) {
      writer = new GitWriter({
        url: source.repoUrl,
        gitdir: this.dirOf(source, 'write'),
        onAuth: this.onAuthFor(source.repoUrl),
        timeoutMs: this.options.timeoutMs,
        lock: this.options.lock,
      });
      this.writers.set(source.repoUrl, writer);
    }
    return writer;
  }

  /** The web page of a commit of the source's repository, when the host is known. */
  commitUrl(source: GitOpsSource, sha: string): string | undefined {
    return commitUrlFor(this.options.integrations, source.repoUrl)?.(sha);
  }

  private stateOf(source: GitOpsSource): MirrorState {
    const key = this.key(source);
    let state = this.mirrors.get(key);
    if (!state) {
      state = {
        mirror: new GitMirror({
          url: source.repoUrl,
          branch: source.branch,
          gitdir: this.dirOf(source, 'read'),
          depth: this.options.depth,
          timeoutMs: this.options.timeoutMs,
          onAuth: this.onAuthFor(source.repoUrl),
        }),
        failures: 0,
      };
      this.mirrors.set(key, state);
    }
    return state;
  }

  /** Fetches one repository; concurrent calls share one fetch. */
  refresh(source: GitOpsSource): Promise<void> {
    const state = this.stateOf(source);
    const problem = this.hostProblem(source);
    if (problem) {
      // Not even a first request: the URL came from a namespace annotation or config.
      state.error = redact(`Cannot fetch ${source.repoUrl}: ${problem}`);
      return Promise.resolve();
    }
    if (!state.syncing) {
      state.syncing = state.mirror
        .sync()
        .then(commit => {
          state.commit = commit;
          state.fetchedAt = new Date();
          state.error = undefined;
          state.failures = 0;
        })
        .catch(error => {
          const message = redact(
            `Cannot fetch ${source.repoUrl}: ${describeGitError(error)}`,
          );
          if (state.error !== message) this.options.logger.warn(message);
          state.error = message;
          // A repository that was down (or not up yet) is tried again soon,
          // not only at the next scheduled refresh.
          const delay = Math.min(
            FIRST_RETRY_MS * 2 ** state.failures,
            this.options.refreshIntervalMs,
          );
          state.failures++;
          if (!this.stopped) {
            clearTimeout(state.retryTimer);
            state.retryTimer = setTimeout(() => this.refresh(source), delay);
            state.retryTimer.unref?.();
          }
        })
        .finally(() => {
          state.syncing = undefined;
        });
    }
    return state.syncing;
  }

  /**
   * Fetches every environment's repository and reads its new commit. The
   * plugin runs it at startup and then on the scheduler, in each replica:
   * every replica keeps its own mirrors.
   */
  async refreshAll(environments: Environment[]): Promise<void> {
    await Promise.all(
      environments
        .filter(e => e.gitops)
        .map(async env => {
          await this.refresh(env.gitops!);
          await this.warm(env);
        }),
    );
  }

  /** Stops the retries of failed fetches. */
  stop() {
    this.stopped = true;
    for (const state of this.mirrors.values()) {
      clearTimeout(state.retryTimer);
    }
  }

  /** Reads a new commit's folder and history before a page view asks for them. */
  private async warm(env: Environment) {
    try {
      await this.desiredState(env, 0);
      await this.history(env);
    } catch (error) {
      this.options.logger.warn(
        `Cannot read the Git state of environment '${env.name}': ${redact(
          String((error as Error)?.message ?? error),
        )}`,
      );
    }
  }

  /**
   * Fetches the environment's repository now, for a user who knows it just
   * changed; resolves to the state it then has.
   */
  async refreshEnvironment(
    env: Environment,
  ): Promise<EnvironmentGitState | undefined> {
    if (!env.gitops) return undefined;
    await this.refresh(env.gitops);
    await this.warm(env);
    return (await this.desiredState(env, 0))?.git;
  }

  /** The cache entry of the source's folder at its current commit, dropping older commits'. */
  private folderEntry(source: GitOpsSource, commit: string) {
    const repoKey = this.key(source);
    const key = `${repoKey}@${commit}:${folderOf(source)}`;
    let entry = this.folders.get(key);
    if (!entry) {
      for (const old of this.folders.keys()) {
        if (old.startsWith(`${repoKey}@`) && !old.includes(`@${commit}:`)) {
          this.folders.delete(old);
        }
      }
      entry = {};
      this.folders.set(key, entry);
    }
    return entry;
  }

  private async walkHistory(
    source: GitOpsSource,
    mirror: GitMirror,
    head: string,
  ): Promise<EnvironmentHistory> {
    const folderKey = `${this.key(source)}:${folderOf(source)}`;
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
      // New commits first, then the known history with its indexes shifted.
      const shift = commits.length;
      const changes = new Map(walked.changes);
      for (const [file, indexes] of previous.changes) {
        changes.set(file, [
          ...(changes.get(file) ?? []),
          ...indexes.map(index => index + shift),
        ]);
      }
      history = {
        head,
        commits: [...commits, ...previous.commits],
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
    }
    this.lastHistory.set(folderKey, history);
    return history;
  }

  /**
   * Which commits changed which of the environment's files, from the last
   * fetched commit back through the kept history. Undefined until the
   * repository has been fetched.
   */
  async history(env: Environment): Promise<EnvironmentHistory | undefined> {
    const source = env.gitops;
    if (!source) return undefined;
    const state = this.stateOf(source);
    const head = state.commit;
    if (!head) return undefined;
    const entry = this.folderEntry(source, head);
    if (!entry.history) {
      entry.history = this.walkHistory(source, state.mirror, head);
      // A failed read is tried again by the next caller.
      entry.history.catch(() => {
        entry.history = undefined;
      });
    }
    return entry.history;
  }

  private async parseFolder(
    source: GitOpsSource,
    mirror: GitMirror,
    commit: string,
  ): Promise<ParsedFolder> {
    const folderKey = `${this.key(source)}:${folderOf(source)}`;
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
    const state = this.stateOf(source);
    if (!state.commit && !state.error) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.refresh(source),
        new Promise<void>(resolve => {
          timer = setTimeout(resolve, waitMs);
        }),
      ]);
      clearTimeout(timer);
    }
    const folder = folderOf(source);
    const git: EnvironmentGitState = {
      repoUrl: redact(source.repoUrl),
      ...(source.branch ? { branch: source.branch } : {}),
      path: folder,
      fileErrors: [],
      ...(state.commit ? { commit: state.commit } : {}),
      ...(state.fetchedAt ? { fetchedAt: state.fetchedAt.toISOString() } : {}),
      ...(state.error ? { error: state.error } : {}),
    };
    if (!state.commit) {
      if (!git.error) git.error = 'The repository has not been fetched yet.';
      return { git, index: EMPTY_INDEX };
    }
    const entry = this.folderEntry(source, state.commit);
    if (!entry.parsed) {
      entry.parsed = this.parseFolder(source, state.mirror, state.commit);
      entry.parsed.catch(() => {
        entry.parsed = undefined;
      });
    }
    const parsed = await entry.parsed;
    git.fileErrors = parsed.errors;
    return { git, index: parsed.index };
  }
}

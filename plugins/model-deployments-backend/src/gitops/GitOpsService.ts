import { LoggerService } from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  Environment,
  EnvironmentGitState,
  GitOpsSource,
} from '@seed-mlops/plugin-model-deployments-common';
import { commitUrlFor } from './commitUrls';
import {
  DesiredStateReader,
  EnvironmentDesiredState,
} from './DesiredStateReader';
import { FolderCache } from './FolderCache';
import { GitFile } from './GitMirror';
import { folderOf } from './gitSources';
import { GitHostAllowList } from './GitHostAllowList';
import { GitWriter, GitWriterOptions } from './GitWriter';
import { EnvironmentHistory, HistoryReader } from './HistoryReader';
import { MirrorRefresher } from './MirrorRefresher';
import { redact } from './redact';
import { RepositoryLock } from './RepositoryLock';
import { RepositoryWriters } from './RepositoryWriters';

export type { EnvironmentDesiredState } from './DesiredStateReader';
export type { EnvironmentHistory } from './HistoryReader';

/**
 * Keeps a mirror of every environment's GitOps repository, fetched on a
 * schedule and on demand. Page views read the last fetched commit and never
 * wait for a clone; an environment whose repository cannot be fetched keeps
 * its last good commit and says why.
 */
export class GitOpsService {
  private readonly mirrors: MirrorRefresher;
  private readonly writers: RepositoryWriters;
  private readonly desiredStates: DesiredStateReader;
  private readonly histories: HistoryReader;

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
      /** Told of every commit pushed by a promotion or an environment creation. */
      onPushed?: GitWriterOptions['onPushed'];
      /** Told when a fetch moved a mirror's branch, or its error changed. */
      onMirrorChanged?: (source: GitOpsSource) => void;
    },
  ) {
    this.mirrors = new MirrorRefresher(options);
    this.writers = new RepositoryWriters(options);
    // Both readers share one cache, which keeps only each repository's current commit.
    const folders = new FolderCache();
    this.desiredStates = new DesiredStateReader(this.mirrors, folders);
    this.histories = new HistoryReader(options, this.mirrors, folders);
  }

  /** Why the source's repository may not be reached, if it may not. */
  hostProblem(source: GitOpsSource): string | undefined {
    return this.options.allowList.problem(source.repoUrl);
  }

  /**
   * The writer of the source's repository, shared by every promotion into
   * it so that they take turns. Its Git data is apart from the read mirror.
   */
  writerFor(source: GitOpsSource): GitWriter {
    return this.writers.writerFor(source);
  }

  /** The web page of a commit of the source's repository, when the host is known. */
  commitUrl(source: GitOpsSource, sha: string): string | undefined {
    return commitUrlFor(this.options.integrations, source.repoUrl)?.(sha);
  }

  /** Fetches one repository; concurrent calls share one fetch. */
  refresh(source: GitOpsSource): Promise<void> {
    return this.mirrors.refresh(source);
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
    this.mirrors.stop();
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

  /**
   * Which commits changed which of the environment's files, from the last
   * fetched commit back through the kept history. Undefined until the
   * repository has been fetched.
   */
  history(env: Environment): Promise<EnvironmentHistory | undefined> {
    return this.histories.history(env);
  }

  /**
   * The files of the environment's folder at a commit of its read mirror
   * (one of `history`'s), as a rollback restores them.
   */
  folderAt(env: Environment, commit: string): Promise<GitFile[]> {
    const source = env.gitops;
    if (!source) return Promise.resolve([]);
    return this.mirrors
      .stateOf(source)
      .mirror.readFolder(commit, folderOf(source));
  }

  /**
   * The environment's desired state from the last fetched commit. Waits for
   * a first fetch in progress for at most `waitMs`, never for a later one.
   */
  desiredState(
    env: Environment,
    waitMs: number,
  ): Promise<EnvironmentDesiredState | undefined> {
    return this.desiredStates.desiredState(env, waitMs);
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
}

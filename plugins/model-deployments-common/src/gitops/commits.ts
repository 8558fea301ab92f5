/**
 * A person named in a commit.
 *
 * @public
 */
export interface GitPerson {
  name: string;
  email?: string;
}

/**
 * One commit of an environment's GitOps repository.
 *
 * @public
 */
export interface GitCommit {
  sha: string;
  /** The commit's author. */
  author: GitPerson;
  /** When the commit was made (committer date), ISO 8601. */
  committedAt: string;
  /** One line saying what changed: Seldon's `Message`, else the first line of the message. */
  summary: string;
  /** Seldon's `Action`, e.g. `Deployment created` or `Promoted from staging`. */
  action?: string;
  /**
   * Who asked for the change when a tool committed it for them: Seldon's
   * `Author` and `Email`. Absent when it is the commit's author.
   */
  requestedBy?: GitPerson;
  /** The commit in the Git host's web UI, when the host is known. */
  url?: string;
}

/**
 * What a commit message says, read as Seldon's JSON message when it is one.
 *
 * @public
 */
export interface ParsedCommitMessage {
  summary: string;
  action?: string;
  requestedBy?: GitPerson;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/**
 * Reads a commit message. Seldon Enterprise Platform writes
 * `{"Action": …, "Message": …, "Author": …, "Email": …}`; any other message
 * is summarized by its first line.
 *
 * @public
 */
export function parseCommitMessage(
  message: string,
  author?: GitPerson,
): ParsedCommitMessage {
  const trimmed = message.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      json = undefined;
    }
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      const fields = json as Record<string, unknown>;
      const action = text(fields.Action);
      const summary = text(fields.Message);
      const name = text(fields.Author);
      const email = text(fields.Email);
      if (action || summary || name) {
        const sameAsAuthor =
          !!author &&
          (name === author.name ||
            (!!email && email.toLowerCase() === author.email?.toLowerCase()));
        return {
          summary: summary ?? action ?? '',
          ...(action ? { action } : {}),
          ...(name && !sameAsAuthor
            ? { requestedBy: { name, ...(email ? { email } : {}) } }
            : {}),
        };
      }
    }
  }
  return { summary: trimmed.split('\n', 1)[0] ?? '' };
}

/**
 * Response of `GET /history?entityRef=…&environment=…`: the commits that
 * changed the entity's manifests in one environment, newest first.
 *
 * @public
 */
export interface DeploymentHistoryResponse {
  entityRef: string;
  environment: string;
  /** The environment's manifest files of the entity, from the repository root. */
  paths: string[];
  /** The commit the history was read from. */
  headCommit?: string;
  commits: Array<GitCommit & { paths: string[] }>;
  /** Commits in the whole history of these files (within the kept history). */
  totalCount: number;
  offset: number;
  limit: number;
  /**
   * False when older commits exist beyond the history kept
   * (`modelDeployments.gitops.historyDepth`).
   */
  complete: boolean;
  /** Why there is no history, e.g. the environment has no GitOps source. */
  message?: string;
}

import { GitRepositoryError } from '../http/errors';
import { redact } from './redact';

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
};

/**
 * Git's reason for a failure in a few words. Built from the error's code and
 * status only: the messages of isomorphic-git carry what the server sent
 * (a whole HTML page when the URL is not a Git server) and the local paths
 * of the mirror, and neither may reach a user or a log line unread.
 */
export function describeGitError(error: unknown): string {
  const { code, data } = (error ?? {}) as {
    code?: string;
    data?: { statusCode?: number; statusMessage?: string; what?: string };
  };
  switch (code) {
    case 'HttpError': {
      const status = data?.statusCode;
      if (status === 401 || status === 403) {
        return `HTTP ${status}: the server refused the credentials (check integrations)`;
      }
      if (status === 404) return 'HTTP 404: no repository at this URL';
      return status ? `HTTP ${status} from the Git server` : 'HTTP error';
    }
    case 'SmartHttpError':
    case 'EmptyServerResponseError':
    case 'ParseError':
      return 'the server did not answer as a Git server (smart HTTP)';
    case 'NotFoundError':
      return 'branch or commit not found in the repository';
    case 'UnknownTransportError':
    case 'UrlParseError':
      return 'not a URL Git can fetch';
    case 'PushRejectedError':
      return 'the branch moved on the server (not a fast-forward)';
    case 'UserCanceledError':
      return 'authentication was cancelled';
    default:
  }
  if ((error as Error)?.name === 'GitPushError') {
    return 'the server refused the push';
  }
  const networkCode =
    code ?? ((error as { cause?: { code?: string } })?.cause?.code as string);
  if (networkCode && NETWORK_ERRORS[networkCode]) {
    return NETWORK_ERRORS[networkCode];
  }
  return networkCode ? `Git error ${networkCode}` : 'Git error';
}

/** The error a route answers with (502) when a repository cannot be used. */
export function gitRepositoryError(
  repoUrl: string,
  error: unknown,
): GitRepositoryError {
  if (error instanceof GitRepositoryError) return error;
  return new GitRepositoryError(
    `Cannot reach Git repository ${redact(repoUrl)}: ${describeGitError(
      error,
    )}`,
  );
}

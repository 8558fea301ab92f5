import { LoggerService } from '@backstage/backend-plugin-api';
import { CustomErrorBase, isError, toError } from '@backstage/errors';
import express from 'express';

/**
 * A request body in a format the route does not take (HTTP 415). The error
 * handler answers with the `statusCode` of an error it does not know.
 */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  statusCode = 415;
}

/**
 * A Git repository that could not be read or written (HTTP 502): the fault
 * is upstream, and the message names the repository and Git's reason but
 * never carries what the server answered.
 */
export class GitRepositoryError extends CustomErrorBase {
  name = 'GitRepositoryError' as const;
  statusCode = 502;
}

/** Errors whose messages this plugin wrote for users, whatever their status. */
const TOLD = new Set([
  'GitRepositoryError',
  'ClusterRequestError',
  'ServiceUnavailableError',
  'NotImplementedError',
]);

function statusOf(error: unknown): number {
  const { statusCode, status } = (error ?? {}) as {
    statusCode?: unknown;
    status?: unknown;
  };
  const code = typeof statusCode === 'number' ? statusCode : status;
  return typeof code === 'number' ? code : 500;
}

/**
 * Replaces the message of an unexpected server error (a bug, a file system
 * or library failure) with a plain one, after logging the original: those
 * messages can hold local paths or what another server sent. Errors with a
 * 4xx status, and 5xx errors this plugin describes itself, pass unchanged.
 */
export function hideUnexpectedErrors(logger: LoggerService) {
  return (
    error: unknown,
    req: express.Request,
    _res: express.Response,
    next: express.NextFunction,
  ) => {
    const name = isError(error) ? error.name : '';
    const known =
      [
        'InputError',
        'NotAllowedError',
        'NotFoundError',
        'ConflictError',
        'AuthenticationError',
        'NotModifiedError',
      ].includes(name) || TOLD.has(name);
    if (known || statusOf(error) < 500) {
      next(error);
      return;
    }
    logger.error(`${req.method} ${req.path} failed`, toError(error));
    next(
      new Error(
        'The model-deployments backend failed unexpectedly; its log has the details',
      ),
    );
  };
}

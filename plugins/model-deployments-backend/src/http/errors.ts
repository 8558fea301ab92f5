import { CustomErrorBase } from '@backstage/errors';

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

import { InputError } from '@backstage/errors';
import express from 'express';
import { visit } from 'jsonc-parser';
import { quoteValue } from '@seed-mlops/plugin-model-deployments-common';
import { UnsupportedMediaTypeError } from './errors';

/** Request bodies of this API are a few hundred bytes; anything near this is not ours. */
const BODY_LIMIT = '64kb';

class DuplicateKeyError extends Error {
  constructor(readonly key: string) {
    super(`duplicate key ${key}`);
  }
}

/** Throws when an object in `text` has the same key twice. */
function assertNoDuplicateKeys(text: string) {
  const open: Array<Set<string>> = [];
  let duplicate: string | undefined;
  visit(text, {
    onObjectBegin: () => {
      open.push(new Set());
    },
    onObjectEnd: () => {
      open.pop();
    },
    onObjectProperty: (property, _offset, _length, _line, _column, path) => {
      const keys = open[open.length - 1];
      if (keys?.has(property) && duplicate === undefined) {
        duplicate = [...path().map(String), property].join('.');
      }
      keys?.add(property);
    },
  });
  if (duplicate !== undefined) {
    // `{"dryRun": true, "dryRun": false}` would silently be a real write.
    throw new DuplicateKeyError(duplicate);
  }
}

/**
 * Parses JSON request bodies strictly: a body in another format is a 415,
 * invalid JSON or an object with a duplicate key a 400. A request without a
 * body is taken as `{}`.
 */
export function strictJsonBody(): Array<
  express.RequestHandler | express.ErrorRequestHandler
> {
  const hasBody = (req: express.Request) =>
    req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length'] ?? 0) > 0;
  return [
    (
      req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => {
      if (
        ['POST', 'PUT', 'PATCH'].includes(req.method) &&
        hasBody(req) &&
        !req.is('application/json')
      ) {
        next(
          new UnsupportedMediaTypeError(
            `Request body must be JSON (Content-Type: application/json), not ${quoteValue(
              req.headers['content-type'] ?? 'none',
            )}`,
          ),
        );
        return;
      }
      next();
    },
    express.json({
      limit: BODY_LIMIT,
      // Objects, arrays and scalars alike; the route's schema says what it takes.
      strict: false,
      verify: (_req, _res, buffer) => assertNoDuplicateKeys(buffer.toString()),
    }),
    // body-parser's errors carry the whole body as a property, which the
    // error handler would send back; answer with a short message instead.
    (
      error: unknown,
      _req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => {
      const { type, status } = (error ?? {}) as {
        type?: string;
        status?: number;
      };
      if (error instanceof DuplicateKeyError) {
        next(
          new InputError(
            `Invalid request body: ${quoteValue(
              error.key,
            )} appears more than once`,
          ),
        );
      } else if (type === 'entity.parse.failed') {
        next(new InputError('Invalid request body: not valid JSON'));
      } else if (type === 'entity.too.large') {
        next(
          Object.assign(
            new InputError(`Request body is larger than ${BODY_LIMIT}`),
            { statusCode: 413 },
          ),
        );
      } else if (
        type?.startsWith('encoding.') ||
        type === 'charset.unsupported'
      ) {
        next(
          new UnsupportedMediaTypeError('Request body must be JSON in UTF-8'),
        );
      } else if (type !== undefined && typeof status === 'number') {
        next(new InputError('Invalid request body'));
      } else {
        next(error);
      }
    },
  ];
}

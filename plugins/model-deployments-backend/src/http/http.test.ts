import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { GitRepositoryError, hideUnexpectedErrors } from './errors';
import { strictJsonBody } from './jsonBody';

/** A route that echoes the body or throws `error`, behind the two middlewares. */
function app(error?: Error) {
  const logger = mockServices.logger.mock();
  const server = express();
  server.use(strictJsonBody());
  server.post('/echo', (req, res) => {
    if (error) throw error;
    res.json({ body: req.body });
  });
  server.use(hideUnexpectedErrors(logger));
  server.use(
    (
      err: Error & { statusCode?: number },
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      res
        .status(err.statusCode ?? (err.name === 'InputError' ? 400 : 500))
        .json({ name: err.name, message: err.message, keys: Object.keys(err) });
    },
  );
  return { server, logger };
}

describe('strictJsonBody', () => {
  it.each([
    ['text/plain', 'refresh everything', 415, /must be JSON/],
    ['application/x-www-form-urlencoded', 'a=1', 415, /must be JSON/],
    ['application/json', '{"a": 1,', 400, /not valid JSON/],
    [
      'application/json',
      '{"dryRun": true, "dryRun": false}',
      400,
      /"dryRun" appears more than once/,
    ],
    [
      'application/json',
      '{"a": {"b": 1, "b": 2}}',
      400,
      /"a.b" appears more than once/,
    ],
    [
      'application/json',
      `{"a": "${'x'.repeat(70_000)}"}`,
      413,
      /larger than 64kb/,
    ],
  ])('answers a %s body %#', async (type, body, status, message) => {
    const res = await request(app().server)
      .post('/echo')
      .set('Content-Type', type)
      .send(body);
    expect(res.status).toBe(status);
    expect(res.body.message).toMatch(message);
    // body-parser attaches the raw body to its errors; it must not travel on.
    expect(res.body.keys).not.toContain('body');
    expect(JSON.stringify(res.body).length).toBeLessThan(400);
  });

  it('takes a request without a body as {}, and the same key in two objects as fine', async () => {
    const { server } = app();
    const empty = await request(server).post('/echo');
    expect(empty.body).toEqual({ body: {} });
    const nested = await request(server)
      .post('/echo')
      .send({ a: { name: 1 }, b: { name: 2 } });
    expect(nested.body).toEqual({ body: { a: { name: 1 }, b: { name: 2 } } });
  });
});

describe('hideUnexpectedErrors', () => {
  it('replaces the message of an unexpected failure and logs the original', async () => {
    const failure = new Error(
      "ENOENT: no such file or directory, open '/tmp/model-deployments-gitops/abc/HEAD'",
    );
    const { server, logger } = app(failure);
    const res = await request(server).post('/echo').expect(500);
    expect(res.body.message).toBe(
      'The model-deployments backend failed unexpectedly; its log has the details',
    );
    expect(logger.error).toHaveBeenCalledWith('POST /echo failed', failure);
  });

  it.each([
    new InputError('name: bad'),
    new GitRepositoryError(
      'Cannot reach Git repository http://127.0.0.1:1/x.git: connection refused',
    ),
  ])('passes on %s unchanged', async error => {
    const res = await request(app(error).server).post('/echo');
    expect(res.body.message).toBe(error.message);
  });
});

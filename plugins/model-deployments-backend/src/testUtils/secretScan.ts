import { Config } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import type { IncomingMessage, Server, ServerResponse } from 'http';

/** Config keys whose values are credentials. */
const SECRET_KEY = /token|password|secret|credential|privateKey|apiKey/i;

/** Values too short to be credentials would match by accident. */
const MIN_SECRET_LENGTH = 6;

function collect(value: JsonValue | undefined, key: string, into: Set<string>) {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key) && value.length >= MIN_SECRET_LENGTH) {
      into.add(value);
    }
    // Git credentials written into a repository URL: https://user:secret@host/…
    const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/@\s]+)@/i.exec(value);
    const password = userinfo?.[1].split(':')[1];
    if (password && password.length >= MIN_SECRET_LENGTH) {
      into.add(decodeURIComponent(password));
    }
  } else if (Array.isArray(value)) {
    value.forEach(item => collect(item, key, into));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collect(v, k, into);
  }
}

/**
 * Every credential in a config: values of keys that name one (cluster
 * service account tokens, integration tokens and passwords) and passwords
 * written into URLs.
 *
 * @public
 */
export function secretsInConfig(config: Config): string[] {
  const found = new Set<string>();
  collect(config.get(), '', found);
  return [...found];
}

/**
 * What the scanner saw; a test run asserts `findings` stays empty.
 *
 * @public
 */
export interface SecretScanResults {
  /** Responses scanned so far. */
  scanned: number;
  /** One line per response that carried a secret, naming the route, not the secret. */
  findings: string[];
}

/**
 * Shared by the test backends of a test file and its `afterAll` check.
 *
 * @public
 */
export const secretScanResults: SecretScanResults = {
  scanned: 0,
  findings: [],
};

/**
 * Reads every response `server` sends, headers and body, and records in
 * `results` those where any of `secrets` appears. Runs before the server's
 * own request handler, so nothing is written unseen.
 *
 * @public
 */
export function scanResponsesForSecrets(
  server: Server,
  secrets: string[],
  results: SecretScanResults = secretScanResults,
): void {
  server.prependListener(
    'request',
    (req: IncomingMessage, res: ServerResponse) => {
      // Routers rewrite req.url on the way in; keep the one that came.
      const route = `${req.method} ${req.url}`;
      const chunks: Buffer[] = [];
      const keep = (chunk: unknown, encoding?: unknown) => {
        if (typeof chunk === 'string') {
          chunks.push(
            Buffer.from(
              chunk,
              typeof encoding === 'string'
                ? (encoding as BufferEncoding)
                : 'utf8',
            ),
          );
        } else if (chunk instanceof Uint8Array) {
          chunks.push(Buffer.from(chunk));
        }
      };
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.write = ((chunk: unknown, ...rest: unknown[]) => {
        keep(chunk, rest[0]);
        return write(chunk, ...rest);
      }) as ServerResponse['write'];
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        keep(chunk, rest[0]);
        return end(chunk, ...rest);
      }) as ServerResponse['end'];
      res.on('finish', () => {
        results.scanned += 1;
        const text = `${JSON.stringify(res.getHeaders())}\n${Buffer.concat(
          chunks,
        ).toString('utf8')}`;
        const leaked = secrets.filter(secret => text.includes(secret));
        if (leaked.length > 0) {
          results.findings.push(
            `${route} -> ${res.statusCode} carried ${leaked.length} secret(s)`,
          );
        }
      });
    },
  );
}

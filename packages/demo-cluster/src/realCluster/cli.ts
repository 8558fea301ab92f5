/*
 * Creates the example portal's seed objects on a real API server, as
 * `bash scripts/start.sh --real-cluster` does (and the test
 * realClusterSync.test.ts, through seedFromArgs):
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     packages/demo-cluster/src/realCluster/cli.ts \
 *     --env <dir>/env.json examples/kubernetes/rbac.yaml examples/cluster
 *
 * --env reads the URL and admin token that scripts/kube-apiserver.sh start
 * wrote (its certificate is self-signed, so it is not verified); --url,
 * --token and --skip-tls-verify name any other server.
 */

import fs from 'fs';
import { parseArgs } from 'util';
import { readManifests } from '../manifests';
import { KubeApiClient } from './KubeApiClient';
import { SeedResult, seedCluster } from './seedCluster';

const USAGE = `Usage: cli.ts (--env <env.json> | --url <url> --token <token> [--skip-tls-verify]) <manifest file or folder>...`;

/** Reads the arguments, then creates every manifest they name. */
export async function seedFromArgs(
  args: string[],
  log: (line: string) => void = () => {},
): Promise<SeedResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      env: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      'skip-tls-verify': { type: 'boolean', default: false },
    },
  });
  let { url, token } = values;
  let skipTLSVerify = values['skip-tls-verify'] ?? false;
  if (values.env) {
    const env = JSON.parse(fs.readFileSync(values.env, 'utf8'));
    url ??= env.KUBE_APISERVER_URL;
    token ??= env.KUBE_ADMIN_TOKEN;
    // scripts/kube-apiserver.sh generates a self-signed certificate.
    skipTLSVerify = true;
  }
  if (!url || !token || positionals.length === 0) {
    throw new Error(USAGE);
  }
  const manifests = positionals.flatMap(p => readManifests(p));
  const client = new KubeApiClient({ url, token, skipTLSVerify });
  try {
    const started = Date.now();
    const result = await seedCluster(client, manifests);
    const counts = new Map<string, number>();
    for (const object of result.objects) {
      counts.set(object.kind, (counts.get(object.kind) ?? 0) + 1);
    }
    log(
      `Created ${result.objects.length} objects on ${url} in ${(
        (Date.now() - started) /
        1000
      ).toFixed(1)} s (${[...counts]
        .map(([kind, n]) => `${n} ${kind}`)
        .join(', ')}), with the status of ${
        result.objects.filter(o => o.status !== undefined).length
      } through /status`,
    );
    for (const warning of result.warnings) log(`Warning: ${warning}`);
    return result;
  } finally {
    client.close();
  }
}

if (require.main === module) {
  seedFromArgs(process.argv.slice(2), line => console.log(line)).catch(
    error => {
      console.error(`seeding the real cluster failed: ${error.message}`);
      process.exit(1);
    },
  );
}

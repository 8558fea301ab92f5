/*
 * Seeds a real kube-apiserver (scripts/kube-apiserver.sh) with the
 * benchmark's objects through the demo-cluster package's seedCluster: each
 * object created, then its status written through /status, as
 * `bash scripts/start.sh --real-cluster` seeds the examples. Namespaces
 * first, then the rest in PARALLEL chunks at a time.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs seed-real.ts \
 *     ENV_JSON OBJECTS_JSON [PARALLEL]
 */
import fs from 'fs';
import { KubeApiClient, seedCluster } from '@seed-mlops/demo-cluster';

async function main() {
  const [envFile, objectsFile, parallel = '8'] = process.argv.slice(2);
  const env = JSON.parse(fs.readFileSync(envFile, 'utf8'));
  const objects: Array<Record<string, any>> = JSON.parse(
    fs.readFileSync(objectsFile, 'utf8'),
  );
  const client = new KubeApiClient({
    url: env.KUBE_APISERVER_URL,
    token: env.KUBE_ADMIN_TOKEN,
    skipTLSVerify: true,
  });
  const started = Date.now();
  try {
    await seedCluster(
      client,
      objects.filter(o => o.kind === 'Namespace'),
    );
    const rest = objects.filter(o => o.kind !== 'Namespace');
    const n = Number(parallel);
    const chunks = Array.from({ length: n }, (_, i) =>
      rest.filter((_o, j) => j % n === i),
    );
    const results = await Promise.all(chunks.map(c => seedCluster(client, c)));
    const warnings = results.flatMap(r => r.warnings);
    console.log(
      `seed-real: ${objects.length} objects created with their status in ${(
        (Date.now() - started) /
        1000
      ).toFixed(1)} s${
        warnings.length
          ? `; ${warnings.length} warnings, first: ${warnings[0]}`
          : ''
      }`,
    );
  } finally {
    client.close();
  }
}

main().catch(error => {
  console.error(`seed-real.ts: ${error.stack ?? error}`);
  process.exit(1);
});

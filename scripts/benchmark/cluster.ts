/*
 * A standalone demo cluster (packages/demo-cluster's DemoClusterServer, the
 * one the example backend embeds) seeded with the benchmark's objects, in its
 * own process so that serving the Kubernetes plugin's lists does not run on
 * the backend's event loop, as with a real cluster.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs cluster.ts \
 *     OBJECTS_JSON PORT_FILE TOKEN
 *
 * Listens on 127.0.0.1 (a free port, written to PORT_FILE once seeded);
 * stops on SIGTERM.
 */
import fs from 'fs';
import { DemoClusterServer } from '@seed-mlops/demo-cluster';

async function main() {
  const [objectsFile, portFile, token] = process.argv.slice(2);
  if (!objectsFile || !portFile || !token) {
    throw new Error('usage: cluster.ts OBJECTS_JSON PORT_FILE TOKEN');
  }
  const objects: Array<Record<string, any>> = JSON.parse(
    fs.readFileSync(objectsFile, 'utf8'),
  );
  const server = new DemoClusterServer({ host: '127.0.0.1', port: 0, token });
  // Namespaces first, as kubectl apply would need them.
  server.apply(objects.filter(o => o.kind === 'Namespace'));
  server.apply(objects.filter(o => o.kind !== 'Namespace'));
  const url = await server.start();
  fs.writeFileSync(portFile, new URL(url).port);
  process.stdout.write(`demo cluster: ${objects.length} objects at ${url}\n`);
  const stop = () => {
    process.stdout.write(
      `demo cluster: requests ${JSON.stringify(server.requestCounts)}\n`,
    );
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch(error => {
  process.stderr.write(`cluster.ts: ${error.stack ?? error}\n`);
  process.exit(1);
});

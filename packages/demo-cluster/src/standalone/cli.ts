/*
 * The demo on its own, for trying the plugins in your own Backstage app:
 *
 *   yarn demo-cluster [--port 7090] [--git-port 7091] [--config-out FILE]
 *
 * Starts the demo cluster, the demo Git server and the stand-in sync tool
 * on loopback, prints the app-config that points an app at them (and
 * writes it to --config-out), and runs until interrupted.
 */

import fs from 'fs';
import { parseArgs } from 'util';
import { startDemo } from './startDemo';

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '7090' },
      'git-port': { type: 'string', default: '7091' },
      token: { type: 'string' },
      manifests: { type: 'string' },
      gitops: { type: 'string' },
      'config-out': { type: 'string' },
    },
  });
  const demo = await startDemo({
    port: Number(values.port),
    gitPort: Number(values['git-port']),
    token: values.token,
    manifests: values.manifests,
    gitops: values.gitops,
  });
  if (values['config-out']) {
    fs.writeFileSync(values['config-out'], demo.appConfigYaml);
  }
  process.stdout.write(
    `# Demo cluster at ${demo.clusterUrl} (${demo.objects} objects), Git at ${demo.gitUrl}.\n` +
      `# Add this to your app-config.local.yaml (Ctrl-C stops the demo):\n` +
      `${demo.appConfigYaml}`,
  );
  const shutdown = () => {
    demo.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch(error => {
  process.stderr.write(`demo-cluster: ${error.message}\n`);
  process.exit(1);
});

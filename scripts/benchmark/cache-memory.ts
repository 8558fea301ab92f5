/*
 * Memory per cached resource and cold sync time of the backend's watch cache:
 * the plugin's own ModelResourceCache and KubernetesProxyClusterClient (from
 * the workspace, transpiled by Backstage's loader), every default resource
 * kind in every environment, against a demo cluster in another process
 * reached through a delay proxy that stands in for the Kubernetes plugin's
 * /proxy (it strips the /proxy prefix and adds the cluster token).
 *
 *   node --expose-gc --require @backstage/cli-node/config/nodeTransform.cjs \
 *     cache-memory.ts SETTINGS.json OUT.json
 *
 * SETTINGS: { proxy (the delay proxy's URL), namespaces: [names with the
 *   objects], emptyNamespace, expected (objects in all), delays: [ms],
 *   runs (cold syncs per delay) }
 *
 * Memory: heap used after full GCs with every environment cached, minus the
 * same with the empty namespace cached (informers and modules loaded, no
 * objects), divided by the objects cached. Cold sync: from watch() on every
 * environment to every informer's first list done (snapshot() waits for it).
 */
import fs from 'fs';
import path from 'path';
import { defaultModelResourceKinds } from '@seed-mlops/plugin-model-deployments-common';

const backendDir = path.dirname(
  require.resolve('@seed-mlops/plugin-model-deployments-backend/package.json'),
);
const { ModelResourceCache } = require(path.join(
  backendDir,
  'src/cache/ModelResourceCache.ts',
));
const { KubernetesProxyClusterClient } = require(path.join(
  backendDir,
  'src/cluster/KubernetesProxyClusterClient.ts',
));

const [settingsFile, outFile] = process.argv.slice(2);
const s = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));

const logger: any = {
  error: (m: string) => process.stderr.write(`cache: ${m}\n`),
  warn: (m: string) => process.stderr.write(`cache: ${m}\n`),
  info: () => {},
  debug: () => {},
  child: () => logger,
};
const client = new KubernetesProxyClusterClient({
  discovery: {
    getBaseUrl: async () => s.proxy,
    getExternalBaseUrl: async () => s.proxy,
  },
  auth: {
    getOwnServiceCredentials: async () => ({}),
    getPluginRequestToken: async () => ({ token: 'benchmark' }),
  },
  timeoutMs: 60_000,
  watchTimeoutMs: 240_000,
});
const env = (namespace: string) => ({
  name: namespace,
  title: namespace,
  stage: 10,
  cluster: 'bench',
  namespace,
  restricted: false,
  origin: 'config',
});
const newCache = () =>
  new ModelResourceCache({
    client,
    kinds: defaultModelResourceKinds,
    logger,
    timeoutMs: 60_000,
    probeIntervalMs: 3_600_000,
  });

async function settledHeap() {
  for (let i = 0; i < 4; i++) {
    global.gc!();
    await new Promise(r => setTimeout(r, 50));
  }
  return process.memoryUsage();
}

/** Watches every environment; resolves with the seconds until all are synced and the objects held. */
async function coldSync(cache: any, namespaces: string[]) {
  const t0 = performance.now();
  namespaces.forEach(ns => cache.watch(env(ns)));
  const snapshots = await Promise.all(
    namespaces.map(ns => cache.snapshot(env(ns))),
  );
  const seconds = (performance.now() - t0) / 1000;
  const all = snapshots.flat();
  const errors = all
    .filter((k: any) => k.error)
    .map((k: any) => k.error.message);
  const objects = all.reduce((n: number, k: any) => n + k.objects.length, 0);
  return { seconds, objects, errors };
}

async function setDelay(ms: number) {
  await fetch(`${s.proxy}/__bench/delay?ms=${ms}`, { method: 'POST' });
}

async function main() {
  if (!global.gc) throw new Error('run with --expose-gc');
  await setDelay(0);
  // Baseline: modules loaded, informers running on a namespace without objects.
  const empty = newCache();
  await coldSync(empty, [s.emptyNamespace]);
  const base = await settledHeap();

  const full = newCache();
  const first = await coldSync(full, s.namespaces);
  const loaded = await settledHeap();
  if (first.objects !== s.expected || first.errors.length) {
    throw new Error(
      `cached ${first.objects} of ${s.expected} objects; ${first.errors.join(
        '; ',
      )}`,
    );
  }
  const perResource = (loaded.heapUsed - base.heapUsed) / first.objects;
  console.log(
    `cache: ${first.objects} objects, heap +${(
      (loaded.heapUsed - base.heapUsed) /
      1048576
    ).toFixed(1)} MiB ` +
      `= ${(perResource / 1024).toFixed(2)} KiB per resource; RSS +${(
        (loaded.rss - base.rss) /
        1048576
      ).toFixed(1)} MiB`,
  );
  await full.stop();
  await empty.stop();

  // Interleaved, so that neither delay gets the warmer process.
  const syncs = s.delays.map((delayMs: number) => ({
    delayMs,
    seconds: [] as number[],
  }));
  for (let run = 0; run < s.runs; run++) {
    for (const sync of syncs) {
      await setDelay(sync.delayMs);
      const cache = newCache();
      const result = await coldSync(cache, s.namespaces);
      await cache.stop();
      if (result.objects !== s.expected) {
        throw new Error(
          `cold sync: ${result.objects} of ${s.expected} objects`,
        );
      }
      sync.seconds.push(result.seconds);
    }
  }
  for (const { delayMs, seconds } of syncs) {
    console.log(
      `cold sync of ${s.expected} objects at ${delayMs} ms round trip: ${seconds
        .map((x: number) => `${x.toFixed(2)} s`)
        .join(', ')}`,
    );
  }
  fs.writeFileSync(
    outFile,
    JSON.stringify(
      {
        objects: first.objects,
        informers: s.namespaces.length * defaultModelResourceKinds.length,
        heapBaseBytes: base.heapUsed,
        heapLoadedBytes: loaded.heapUsed,
        rssDeltaBytes: loaded.rss - base.rss,
        bytesPerResource: perResource,
        firstSyncSeconds: first.seconds,
        syncs,
      },
      null,
      2,
    ),
  );
  process.exit(0);
}

main().catch(error => {
  process.stderr.write(`cache-memory.ts: ${error.stack ?? error}\n`);
  process.exit(1);
});

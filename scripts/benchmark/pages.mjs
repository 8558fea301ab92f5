// 50 pages open on 50 different models, each refreshing as its page does:
// this suite's Deployments tab polls GET /deployments every 30 s (its
// refreshIntervalSeconds, the case without signals; with signals it does not
// poll at all); the Kubernetes plugin's tab polls POST /services/:name every
// 10 s (useKubernetesObjects' default). Counts what reaches the clusters, per
// minute, at the delay proxies, background included (the cache's watches
// and /version probes).
//
//   node pages.mjs SETTINGS.json OUT.json
//
// SETTINGS: { backend, proxies: [url], names: file, pages, windowSeconds, serviceToken }
import fs from 'node:fs';
import {
  Proxies,
  guestToken,
  percentile,
  sleep,
  spread,
  timed,
} from './lib.mjs';
import { connectionRetries } from './lib.mjs';

const [settingsFile, outFile] = process.argv.slice(2);
const s = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
const names = JSON.parse(fs.readFileSync(s.names, 'utf8'));
const proxies = new Proxies(s.proxies);

async function run(title, intervalSeconds, view) {
  const before = await proxies.counts();
  const started = Date.now();
  const end = started + s.windowSeconds * 1000;
  const latencies = [];
  let failures = 0;
  let firstError;
  const page = async p => {
    const name = spread(names, p, 3);
    // Pages were opened at different moments.
    let next = started + Math.random() * intervalSeconds * 1000;
    while (next < end) {
      await sleep(Math.max(0, next - Date.now()));
      try {
        const res = await view(name);
        latencies.push(res.ms);
        if (res.status !== 200) failures++;
      } catch (error) {
        failures++;
        firstError ??= `${new Date().toISOString()} ${error.message}`;
      }
      next += intervalSeconds * 1000;
    }
  };
  await Promise.all(Array.from({ length: s.pages }, (_, p) => page(p)));
  await sleep(Math.max(0, end - Date.now()));
  const after = await proxies.counts();
  const minutes = (Date.now() - started) / 60000;
  const byClass = Object.fromEntries(
    Object.keys(after.byClass).map(k => [
      k,
      after.byClass[k] - before.byClass[k],
    ]),
  );
  const all = Object.values(byClass).reduce((a, b) => a + b, 0);
  latencies.sort((a, b) => a - b);
  const result = {
    title,
    pages: s.pages,
    intervalSeconds,
    windowSeconds: s.windowSeconds,
    apiRequests: latencies.length,
    failures,
    firstError,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    clusterRequestsPerMinute: all / minutes,
    byClassPerMinute: Object.fromEntries(
      Object.entries(byClass).map(([k, v]) => [k, Math.round(v / minutes)]),
    ),
  };
  const CLASS = {
    version: '/version probes',
    watch: 'watches opened',
    list: 'lists',
    selector: 'lists by label',
    get: 'gets',
    other: 'other',
  };
  result.note =
    Object.entries(result.byClassPerMinute)
      .filter(([, v]) => v)
      .map(([k, v]) => `${v}/min ${CLASS[k]}`)
      .join(', ') || 'none';
  console.log(
    `pages: ${title}: ${result.clusterRequestsPerMinute.toFixed(
      0,
    )} cluster requests/min (${result.note})` +
      (failures ? `; ${failures} failed, first: ${firstError}` : ''),
  );
  return result;
}

async function main() {
  const token = await guestToken(s.backend);
  const entities = new Map();
  for (let p = 0; p < s.pages; p++) {
    const name = spread(names, p, 3);
    const res = await timed(
      'GET',
      `${s.backend}/api/catalog/entities/by-name/component/default/${name}`,
      { token },
    );
    entities.set(name, res.json);
  }
  console.log(`pages: ${s.pages} entities read at ${new Date().toISOString()}`);
  const results = [
    await run("this suite's Deployments tab", 30, name =>
      timed(
        'GET',
        `${s.backend}/api/model-deployments/deployments?entityRef=component:default/${name}`,
        { token },
      ),
    ),
    await run("the Kubernetes plugin's tab", 10, name =>
      timed('POST', `${s.backend}/api/kubernetes/services/${name}`, {
        token,
        body: { entity: entities.get(name) },
      }),
    ),
  ];
  fs.writeFileSync(
    outFile,
    JSON.stringify(
      {
        results,
        connectionRetries: connectionRetries.count,
        lastConnectionRetry: connectionRetries.last,
      },
      null,
      2,
    ),
  );
}

main().catch(error => {
  console.error(`pages.mjs: ${error.stack ?? error}`);
  process.exit(1);
});

// The fleet API, GET /api/model-deployments/fleet, as a signed-in user: p50,
// p95, bytes per response and per model, cluster requests per call. Then
// this suite's entity view on the same backend (its permission setup, e.g.
// the example portal's policy) for comparison with compare.mjs.
//
//   node fleet.mjs SETTINGS.json OUT.json
//
// SETTINGS: { backend, proxies: [url], names: file, models, environments,
//   sample, warmup, entitySample, deadlineSeconds, label, permission }
import fs from 'node:fs';
import { Proxies, guestToken, spread, summarize, timed } from './lib.mjs';
import { connectionRetries } from './lib.mjs';

const [settingsFile, outFile] = process.argv.slice(2);
const s = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
const names = JSON.parse(fs.readFileSync(s.names, 'utf8'));
const proxies = new Proxies(s.proxies);
const deadline = Date.now() + s.deadlineSeconds * 1000;

async function measure(count, call, ok) {
  const samples = [];
  for (let i = 0; i < count && Date.now() < deadline; i++) {
    const before = await proxies.counts();
    const res = await call(i);
    const after = await proxies.counts();
    samples.push({
      ms: res.ms,
      ok: ok(res, i),
      status: res.status,
      wireBytes: res.wireBytes,
      jsonBytes: res.jsonBytes,
      clusterRequests: after.requests - before.requests,
      clusterBytes: after.bytes - before.bytes,
    });
  }
  return samples;
}

async function main() {
  const token = await guestToken(s.backend);
  const fleet = () =>
    timed('GET', `${s.backend}/api/model-deployments/fleet`, { token });
  let shape = '';
  const fleetOk = res => {
    const models = res.json?.models ?? [];
    const complete = models.filter(m =>
      s.environments.every(env =>
        m.deployments.some(d => d.environment === env),
      ),
    ).length;
    shape = `${models.length} models, ${complete} with a deployment in all ${s.environments.length} environments`;
    return (
      res.status === 200 && models.length === s.models && complete === s.models
    );
  };
  await measure(s.warmup, fleet, fleetOk);
  const fleetSamples = await measure(s.sample, fleet, fleetOk);
  const fleetSummary = summarize(fleetSamples);
  console.log(
    `fleet ${s.label}: p50 ${fleetSummary.p50.toFixed(
      1,
    )} p95 ${fleetSummary.p95.toFixed(1)} ms, ` +
      `${Math.round(fleetSummary.jsonBytes)} B (${Math.round(
        fleetSummary.wireBytes,
      )} B gzip), ${shape}`,
  );

  const view = i =>
    timed(
      'GET',
      `${
        s.backend
      }/api/model-deployments/deployments?entityRef=component:default/${spread(
        names,
        i,
      )}`,
      { token },
    );
  const viewOk = (res, i) =>
    res.status === 200 &&
    res.json.environments.length === s.environments.length &&
    res.json.environments.every(
      e => !e.error && e.deployments[0]?.name === spread(names, i),
    );
  await measure(
    s.warmup * 4,
    i => view(i + 500),
    (res, i) => viewOk(res, i + 500),
  );
  const viewSummary = summarize(await measure(s.entitySample, view, viewOk));
  console.log(
    `entity view ${s.label}: p50 ${viewSummary.p50.toFixed(
      1,
    )} p95 ${viewSummary.p95.toFixed(1)} ms`,
  );
  fs.writeFileSync(
    outFile,
    JSON.stringify(
      {
        label: s.label,
        permission: s.permission,
        permissionNote: s.permissionNote,
        models: s.models,
        environments: s.environments.length,
        shape,
        connectionRetries: connectionRetries.count,
        lastConnectionRetry: connectionRetries.last,
        fleet: {
          ...fleetSummary,
          perModelJsonBytes: fleetSummary.jsonBytes / s.models,
        },
        entityView: viewSummary,
      },
      null,
      2,
    ),
  );
}

main().catch(error => {
  console.error(`fleet.mjs: ${error.stack ?? error}`);
  process.exit(1);
});

// The entity view, side by side: this suite's
//   GET  /api/model-deployments/deployments?entityRef=…
// and the Kubernetes plugin's
//   POST /api/kubernetes/services/:entityName         { entity }
//   POST /api/kubernetes/resources/custom/query       { entityRef, customResources }
// for the same entities, interleaved (one request at a time, the order of
// routes and delays rotating), as a signed-in user and as a service, at each
// round-trip delay, with the catalog's entity lookup alone as a reference.
// Counts the cluster requests each view causes at the delay proxies.
//
//   node compare.mjs SETTINGS.json OUT.json
//
// SETTINGS: { backend, proxies: [url], names: file, environments: n,
//   sample, warmup, delays: [ms], deadlineSeconds, label, serviceToken }
import fs from 'node:fs';
import { Proxies, guestToken, spread, summarize, timed } from './lib.mjs';
import { connectionRetries } from './lib.mjs';

const [settingsFile, outFile] = process.argv.slice(2);
const s = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
const names = JSON.parse(fs.readFileSync(s.names, 'utf8'));
const proxies = new Proxies(s.proxies);
const deadline = Date.now() + s.deadlineSeconds * 1000;
const SELDON = {
  group: 'machinelearning.seldon.io',
  apiVersion: 'v1',
  plural: 'seldondeployments',
};

/** The SeldonDeployments named `name` in a Kubernetes plugin answer. */
const seldonIn = (json, name) =>
  (json?.items ?? []).flatMap(item =>
    (item.resources ?? []).flatMap(group =>
      (group.resources ?? []).filter(
        r => r.kind === 'SeldonDeployment' && r.metadata?.name === name,
      ),
    ),
  ).length;

const ENDPOINTS = {
  // Reference: the catalog lookup a page view of ours makes, alone.
  catalog: {
    title: 'catalog GET /entities/by-name (reference)',
    call: (name, token) =>
      timed(
        'GET',
        `${s.backend}/api/catalog/entities/by-name/component/default/${name}`,
        {
          token,
        },
      ),
    ok: (res, name) => res.status === 200 && res.json?.metadata?.name === name,
  },
  ours: {
    title: 'model-deployments GET /deployments',
    call: (name, token) =>
      timed(
        'GET',
        `${s.backend}/api/model-deployments/deployments?entityRef=component:default/${name}`,
        { token },
      ),
    ok: (res, name) =>
      res.status === 200 &&
      res.json.environments.length === s.environments &&
      res.json.environments.every(
        e =>
          !e.error &&
          e.deployments.length === 1 &&
          e.deployments[0].name === name,
      ),
  },
  services: {
    title: 'kubernetes POST /services/:entityName',
    call: (name, token, entity) =>
      timed('POST', `${s.backend}/api/kubernetes/services/${name}`, {
        token,
        body: { entity },
      }),
    ok: (res, name) =>
      res.status === 200 && seldonIn(res.json, name) === s.environments,
  },
  custom: {
    title: 'kubernetes POST /resources/custom/query',
    call: (name, token) =>
      timed('POST', `${s.backend}/api/kubernetes/resources/custom/query`, {
        token,
        body: {
          entityRef: `component:default/${name}`,
          customResources: [SELDON],
        },
      }),
    ok: (res, name) =>
      res.status === 200 && seldonIn(res.json, name) === s.environments,
  },
};

async function main() {
  const callers = { user: await guestToken(s.backend) };
  if (s.serviceToken) callers.service = s.serviceToken;
  const entities = new Map();
  const entityOf = async name => {
    if (!entities.has(name)) {
      const res = await timed(
        'GET',
        `${s.backend}/api/catalog/entities/by-name/component/default/${name}`,
        { token: callers.user },
      );
      if (res.status !== 200)
        throw new Error(`catalog: ${name}: ${res.status}`);
      entities.set(name, res.json);
    }
    return entities.get(name);
  };

  const one = async (endpoint, name, token) => {
    const entity = await entityOf(name);
    const before = await proxies.counts();
    const res = await ENDPOINTS[endpoint].call(name, token, entity);
    // A request is counted when it reaches the proxy, so all are in by now.
    const after = await proxies.counts();
    return {
      ms: res.ms,
      ok: ENDPOINTS[endpoint].ok(res, name),
      status: res.status,
      wireBytes: res.wireBytes,
      jsonBytes: res.jsonBytes,
      clusterRequests: after.requests - before.requests,
      clusterBytes: after.bytes - before.bytes,
    };
  };

  const order = Object.keys(ENDPOINTS);
  // Warm-up: other entities than the sample, every route, caller and delay.
  for (let i = 0; i < s.warmup; i++) {
    const name = spread(names, i, 1);
    for (const delay of s.delays) {
      await proxies.setDelay(delay);
      for (const endpoint of order) {
        for (const token of Object.values(callers))
          await one(endpoint, name, token);
      }
    }
  }
  // The delays interleaved too (switched per entity), so that background
  // work in the backend (the catalog's processing loop) falls on all alike.
  const samples = {};
  let stoppedEarly = false;
  let i = 0;
  for (; i < s.sample; i++) {
    if (Date.now() > deadline) {
      stoppedEarly = true;
      break;
    }
    const name = spread(names, i);
    for (let d = 0; d < s.delays.length; d++) {
      const delay = s.delays[(i + d) % s.delays.length];
      await proxies.setDelay(delay);
      for (const [caller, token] of Object.entries(callers)) {
        for (let k = 0; k < order.length; k++) {
          const endpoint = order[(i + k) % order.length];
          (samples[`${delay}/${caller}/${endpoint}`] ??= []).push(
            await one(endpoint, name, token),
          );
        }
      }
    }
  }
  const results = [];
  for (const delay of s.delays) {
    for (const caller of Object.keys(callers)) {
      for (const endpoint of order) {
        const list = samples[`${delay}/${caller}/${endpoint}`] ?? [];
        if (!list.length) continue;
        const failed = list.find(x => !x.ok);
        results.push({
          label: s.label,
          delayMs: delay,
          caller,
          endpoint,
          title: ENDPOINTS[endpoint].title,
          ...summarize(list),
          ...(failed ? { firstFailureStatus: failed.status } : {}),
        });
      }
    }
  }
  console.log(
    `compare ${s.label}: ${i} entities${
      stoppedEarly ? ' (deadline reached)' : ''
    }`,
  );
  for (const r of results) {
    console.log(
      `  ${String(r.delayMs).padStart(2)} ms ${r.caller.padEnd(
        7,
      )} ${r.endpoint.padEnd(8)} ` +
        `p50 ${r.p50.toFixed(1)} p95 ${r.p95.toFixed(1)} p99 ${r.p99.toFixed(
          1,
        )} ms, ` +
        `${Math.round(r.jsonBytes)} B, ${r.clusterRequests.toFixed(
          2,
        )} cluster req/view` +
        (r.failures ? `, ${r.failures} FAILED` : ''),
    );
  }
  fs.writeFileSync(
    outFile,
    JSON.stringify(
      {
        label: s.label,
        scenario: s.scenario,
        permissionNote: s.permissionNote,
        stoppedEarly,
        connectionRetries: connectionRetries.count,
        lastConnectionRetry: connectionRetries.last,
        sample: s.sample,
        results,
      },
      null,
      2,
    ),
  );
}

main().catch(error => {
  console.error(`compare.mjs: ${error.stack ?? error}`);
  process.exit(1);
});

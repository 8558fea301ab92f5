// Checks a running app backend: signs in as guest and asks the
// model-deployments backend for one model's deployments, until dev and
// staging each list deployments without an error and production says
// NOT_PERMITTED (guest owns no model; the backend README's example policy
// lets only owners read restricted environments), or the time is up. Then
// checks that the policy denies guest the Kubernetes plugin's proxy.
//
//   node check-api.mjs BASE_URL ENTITY_REF [TIMEOUT_SECONDS] [OUT_JSON]
import fs from 'node:fs';
import { waitFor } from '../lib/poll.mjs';

const [base, entityRef, timeoutArg = '240', out] = process.argv.slice(2);
/** What guest must see in each environment, in pipeline order. */
const WANT = {
  dev: 'deployments',
  staging: 'deployments',
  production: 'NOT_PERMITTED',
};

async function request(path, init) {
  const res = await fetch(base + path, {
    ...init,
    signal: AbortSignal.timeout(15000),
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

/** Problems with a /deployments answer, none when it is what we want. */
function problems(body) {
  const envs = body?.environments;
  if (!Array.isArray(envs))
    return [`no environments in ${JSON.stringify(body).slice(0, 300)}`];
  const found = [];
  const names = envs.map(e => e.environment?.name);
  if (JSON.stringify(names) !== JSON.stringify(Object.keys(WANT))) {
    found.push(
      `environments are [${names}], want [${Object.keys(WANT)}] in that order`,
    );
  }
  for (const e of envs) {
    const name = e.environment?.name;
    if (WANT[name] === 'NOT_PERMITTED') {
      if (e.error?.type !== 'NOT_PERMITTED')
        found.push(
          `${name}: want NOT_PERMITTED for guest, got ${
            e.error ? e.error.type : `${e.deployments?.length} deployment(s)`
          }`,
        );
      if (e.deployments?.length)
        found.push(`${name}: deployments shown to a user who may not read`);
      continue;
    }
    if (e.error)
      found.push(`${name}: error ${e.error.type}: ${e.error.message}`);
    if (!e.deployments?.length) found.push(`${name}: no deployments`);
    if (e.git?.error) found.push(`${name}: git error: ${e.git.error}`);
  }
  return found;
}

/** Signs in once, then asks for the deployments; throws why it is not there yet. */
let token;
async function deploymentsAsGuest() {
  if (!token) {
    const health = await request('/api/model-deployments/health');
    if (health.status !== 200) {
      throw new Error(
        `GET /api/model-deployments/health: ${health.status} ${JSON.stringify(
          health.body,
        ).slice(0, 200)}`,
      );
    }
    const auth = await request('/api/auth/guest/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    token = auth.body?.backstageIdentity?.token;
    if (!token) {
      throw new Error(
        `POST /api/auth/guest/refresh: ${auth.status} ${JSON.stringify(
          auth.body,
        ).slice(0, 300)}`,
      );
    }
    console.log(
      `guest token for ${auth.body.backstageIdentity.identity?.userEntityRef}`,
    );
  }
  const res = await request(
    `/api/model-deployments/deployments?entityRef=${encodeURIComponent(
      entityRef,
    )}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  if (res.status !== 200) {
    throw new Error(
      `GET /deployments: ${res.status} ${JSON.stringify(res.body).slice(
        0,
        300,
      )}`,
    );
  }
  const found = problems(res.body);
  if (found.length) throw new Error(found.join('; '));
  return res.body;
}

async function main() {
  let body;
  try {
    body = await waitFor(deploymentsAsGuest, {
      timeoutMs: Number(timeoutArg) * 1000,
      intervalMs: 3000,
      what: `${entityRef} as guest`,
    });
  } catch (error) {
    console.error(
      `check-api: FAILED after ${timeoutArg}s: ${
        error.reason ?? 'backend not reached'
      }`,
    );
    process.exit(1);
  }
  if (out) fs.writeFileSync(out, JSON.stringify(body, null, 2));
  for (const e of body.environments) {
    const d = e.deployments
      .map(x => `${x.kind ?? ''}/${x.name ?? ''}`)
      .join(', ');
    console.log(
      `${e.environment.name} (${e.environment.title ?? ''}): ${
        e.error ? e.error.type : `${e.deployments.length} deployment(s): ${d}`
      }`,
    );
  }
  console.log(
    `OK: ${entityRef} as guest: ${Object.entries(WANT)
      .map(([n, w]) => `${n} ${w}`)
      .join(', ')}`,
  );
  await checkProxyDenied(token, body.environments);
}

/**
 * The backend README's warning: users must not reach the clusters through the
 * Kubernetes plugin's proxy, which would bypass the per-environment rules.
 */
async function checkProxyDenied(token, environments) {
  const cluster = environments.find(e => e.environment?.cluster)?.environment
    .cluster;
  if (!cluster) throw new Error('no environment names its cluster');
  const res = await request('/api/kubernetes/proxy/api/v1/namespaces', {
    headers: {
      authorization: `Bearer ${token}`,
      'backstage-kubernetes-cluster': cluster,
    },
  });
  if (res.status !== 403) {
    console.error(
      `check-api: FAILED: guest got ${res.status} from the Kubernetes proxy of ${cluster}, want 403`,
    );
    process.exit(1);
  }
  console.log(`OK: the Kubernetes proxy of ${cluster} refuses guest (403)`);
}

main();

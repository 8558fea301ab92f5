// Checks a running app backend: signs in as guest and asks the
// model-deployments backend for one model's deployments, until dev, staging
// and production each list deployments without an error, or the time is up.
//
//   node check-api.mjs BASE_URL ENTITY_REF [TIMEOUT_SECONDS] [OUT_JSON]
import fs from 'node:fs';

const [base, entityRef, timeoutArg = '240', out] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutArg) * 1000;
const WANT = ['dev', 'staging', 'production'];
const sleep = ms => new Promise(r => setTimeout(r, ms));

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
  if (JSON.stringify(names) !== JSON.stringify(WANT)) {
    found.push(`environments are [${names}], want [${WANT}] in that order`);
  }
  for (const e of envs) {
    const name = e.environment?.name;
    if (e.error)
      found.push(`${name}: error ${e.error.type}: ${e.error.message}`);
    if (!e.deployments?.length) found.push(`${name}: no deployments`);
    if (e.git?.error) found.push(`${name}: git error: ${e.git.error}`);
  }
  return found;
}

async function main() {
  let last = 'backend not reached';
  let token;
  while (Date.now() < deadline) {
    try {
      if (!token) {
        const health = await request('/api/model-deployments/health');
        if (health.status !== 200) {
          last = `GET /api/model-deployments/health: ${
            health.status
          } ${JSON.stringify(health.body).slice(0, 200)}`;
          throw new Error(last);
        }
        const auth = await request('/api/auth/guest/refresh', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
        });
        token = auth.body?.backstageIdentity?.token;
        if (!token) {
          last = `POST /api/auth/guest/refresh: ${auth.status} ${JSON.stringify(
            auth.body,
          ).slice(0, 300)}`;
          throw new Error(last);
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
        last = `GET /deployments: ${res.status} ${JSON.stringify(
          res.body,
        ).slice(0, 300)}`;
      } else {
        const found = problems(res.body);
        if (!found.length) {
          if (out) fs.writeFileSync(out, JSON.stringify(res.body, null, 2));
          for (const e of res.body.environments) {
            const d = e.deployments
              .map(x => `${x.kind ?? ''}/${x.name ?? ''}`)
              .join(', ');
            console.log(
              `${e.environment.name} (${e.environment.title ?? ''}): ${
                e.deployments.length
              } deployment(s): ${d}`,
            );
          }
          console.log(`OK: ${entityRef} is deployed in ${WANT.join(', ')}`);
          return;
        }
        last = found.join('; ');
      }
    } catch (error) {
      if (error.message !== last)
        last = `${error.message} ${error.cause?.code ?? ''}`.trim();
    }
    await sleep(3000);
  }
  console.error(`check-api: FAILED after ${timeoutArg}s: ${last}`);
  process.exit(1);
}

main();

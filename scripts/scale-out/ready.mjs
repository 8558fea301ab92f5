// Phase `ready`: guest signed in through the load balancer, and the model
// Ready and in sync in dev as each replica sees it.
import { waitFor } from '../lib/poll.mjs';
import {
  api,
  brief,
  call,
  check,
  config,
  ENTITY,
  finish,
  FROM,
  state,
} from './context.mjs';

const devDeployment = r =>
  r.status === 200 &&
  r.body.environments
    ?.find(e => e.environment.name === FROM)
    ?.deployments?.find(d => d.name === 'fraud-scorer');

/** What each replica sees, or throws what is missing. */
async function readyOnce() {
  if (!state.token) {
    const auth = await call(config.proxy, 'POST', '/api/auth/guest/refresh');
    state.token = auth.body?.backstageIdentity?.token;
    if (!state.token) throw new Error(`guest sign-in: ${brief(auth)}`);
  }
  const seen = [];
  for (const [name, base] of Object.entries(config.replicas)) {
    const r = await call(
      base,
      'GET',
      `${api}/deployments?entityRef=${encodeURIComponent(ENTITY)}`,
    );
    const d = devDeployment(r);
    if (!d) throw new Error(`${name}: no ${FROM} deployment yet: ${brief(r)}`);
    if (d.phase !== 'Ready' || d.sync?.state === 'OutOfSync') {
      throw new Error(`${name}: ${FROM} is ${d.phase}, ${d.sync?.state}`);
    }
    seen.push(
      `${name}: ${FROM} ${d.phase}, ${d.sync?.state ?? 'no sync state'}`,
    );
  }
  return seen;
}

export async function ready() {
  try {
    const seen = await waitFor(readyOnce, {
      timeoutMs: 240_000,
      intervalMs: 1000,
      what: 'replicas ready',
    });
    console.log(
      `  ok    guest signed in through the load balancer; ${seen.join('; ')}`,
    );
  } catch (error) {
    check(false, 'replicas ready', error.reason ?? error.message);
  }
  finish();
}

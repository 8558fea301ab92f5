// What the scale-out scenario's phases share: the phase and CONFIG_JSON from
// the command line (see scenario.mjs), the state kept between phases in
// state.json, the checks and their verdict, and HTTP to the replicas.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const [phase, configPath] = process.argv.slice(2);
export const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
const REPO = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
/** require() as the workspace at DIR (in the repository) resolves it. */
export const requireFrom = dir =>
  createRequire(path.join(REPO, dir, 'package.json'));

export const ENTITY = 'component:default/fraud-scorer';
export const FROM = 'dev';
export const TO = 'staging';
export const FILE = 'staging/SeldonDeployment-fraud-scorer.json';
export const OUTSIDE_FILE = 'OUTSIDE-WRITER.md';
/** The statuses a stored promotion may have: all final (dry runs are never stored). */
export const FINAL = [
  'committed',
  'pull-request-opened',
  'branch-pushed',
  'up-to-date',
  'failed',
];

const STATE = path.join(config.work, 'state.json');
export const state = fs.existsSync(STATE)
  ? JSON.parse(fs.readFileSync(STATE, 'utf8'))
  : {};
const saveState = () => fs.writeFileSync(STATE, JSON.stringify(state, null, 2));

// ---------------------------------------------------------------- checks
let failures = 0;
export function check(ok, what, detail) {
  if (ok) {
    console.log(`  ok    ${what}`);
  } else {
    failures++;
    console.log(
      `  FAIL  ${what}${detail !== undefined ? `\n        ${detail}` : ''}`,
    );
  }
  return ok;
}
/** Saves the state; exits 1 when a check failed. */
export function finish() {
  saveState();
  if (failures) {
    console.log(`${phase}: ${failures} check(s) FAILED`);
    process.exit(1);
  }
  console.log(`${phase}: all checks passed`);
}

// ---------------------------------------------------------------- HTTP
export async function call(base, method, route, body, timeoutMs = 30000) {
  const started = performance.now();
  const res = await fetch(base + route, {
    method,
    headers: {
      ...(state.token ? { authorization: `Bearer ${state.token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: res.status,
    body: json ?? text,
    replica: res.headers.get('x-scale-out-replica'),
    ms: performance.now() - started,
  };
}
export const api = '/api/model-deployments';
export const promote = (base, replicas) =>
  call(base, 'POST', `${api}/promotions`, {
    entityRef: ENTITY,
    from: FROM,
    to: TO,
    overrides: { replicas },
  });
export const listPromotions = base =>
  call(
    base,
    'GET',
    `${api}/promotions?entityRef=${encodeURIComponent(ENTITY)}&limit=100`,
  );
export const brief = r =>
  `HTTP ${r.status} via ${r.replica ?? 'direct'}: ${JSON.stringify(
    r.body,
  ).slice(0, 600)}`;

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

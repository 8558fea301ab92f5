import { Page } from '@playwright/test';
// Browser tests run in Node; the app's own code must not import these.
// eslint-disable-next-line no-restricted-imports
import { execFile } from 'child_process';
// eslint-disable-next-line no-restricted-imports
import fs from 'fs';
// eslint-disable-next-line no-restricted-imports
import os from 'os';
// eslint-disable-next-line no-restricted-imports
import path from 'path';
// eslint-disable-next-line no-restricted-imports
import { promisify } from 'util';
import { expect, test } from './fixtures';
import { SCREENSHOTS, environment, openModel } from './pages';

const execFileAsync = promisify(execFile);

// The demo cluster and Git server of app-config.yaml.
const CLUSTER = 'http://127.0.0.1:7090';
const CLUSTER_TOKEN = 'demo-cluster-token';
const REPOSITORY = 'http://127.0.0.1:7091/models.git';
const MANIFEST = 'dev/SeldonDeployment-fraud-scorer.json';
const OBJECT = `${CLUSTER}/apis/machinelearning.seldon.io/v1/namespaces/dev/seldondeployments/fraud-scorer`;
/** Longer than the portal's polling interval (app-config: 30 s). */
const IDLE_MS = 35_000;
/**
 * A live page asks once more 3 s after it subscribes, for a change whose
 * signal was sent before its socket opened (LIVE_CATCH_UP_MS); idle
 * starts after that.
 */
const CATCH_UP_MS = 3_000;

/** The model URI fraud-scorer runs in dev, as the demo cluster has it now. */
async function clusterModelUri(): Promise<string | undefined> {
  const res = await fetch(OBJECT, {
    headers: { authorization: `Bearer ${CLUSTER_TOKEN}` },
  });
  const object = await res.json();
  return object?.spec?.predictors?.[0]?.graph?.modelUri;
}

/** Commits a new model URI for fraud-scorer in dev, as a GitOps user would. */
async function pushModelUri(modelUri: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'live-e2e-'));
  const git = (...args: string[]) =>
    execFileAsync('git', ['-C', dir, ...args], {
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Live Test',
        GIT_AUTHOR_EMAIL: 'live@example.com',
        GIT_COMMITTER_NAME: 'Live Test',
        GIT_COMMITTER_EMAIL: 'live@example.com',
      },
    });
  try {
    await execFileAsync('git', ['clone', '-q', REPOSITORY, dir]);
    const file = path.join(dir, MANIFEST);
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    manifest.spec.predictors[0].graph.modelUri = modelUri;
    fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
    await git('commit', '-qam', `fraud-scorer in dev runs ${modelUri}`);
    await git('push', '-q', 'origin', 'HEAD:main');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Waits for the demo's sync tool to apply it; resolves when the cluster has it. */
async function appliedAt(modelUri: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if ((await clusterModelUri()) === modelUri) return Date.now();
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  throw new Error(`The demo cluster never ran ${modelUri}`);
}

/**
 * What a page asks the model-deployments API, and the signals it receives,
 * with their times.
 */
function recordTraffic(page: Page) {
  const requests: Array<{ at: number; url: string }> = [];
  const signals: Array<{ at: number; channel: string }> = [];
  page.on('request', request => {
    if (request.url().includes('/api/model-deployments/')) {
      requests.push({ at: Date.now(), url: request.url() });
    }
  });
  page.on('websocket', socket => {
    socket.on('framereceived', frame => {
      try {
        const { channel } = JSON.parse(String(frame.payload));
        if (typeof channel === 'string') {
          signals.push({ at: Date.now(), channel });
        }
      } catch {
        // not a signal
      }
    });
  });
  return { requests, signals };
}

test('open pages follow a change in the cluster within 2 s, and do not poll', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  const original = (await clusterModelUri())!;
  expect(original).toMatch(/^gs:\/\/acme-models\/fraud\//);
  const changed = 'gs://acme-models/fraud/v6-live';

  const entityTraffic = recordTraffic(page);
  await openModel(page, 'tomas', 'fraud-scorer');
  const dev = environment(page, 'Development');
  await expect(dev.getByText('Ready').first()).toBeVisible();
  await expect(page.getByText(/environments, updated live/)).toBeVisible();

  const fleet = await context.newPage();
  const fleetTraffic = recordTraffic(fleet);
  await fleet.goto('/model-deployments');
  const fleetRow = fleet.getByRole('row', { name: /Fraud scorer/ });
  await expect(fleetRow).toBeVisible();

  await fleet.waitForTimeout(CATCH_UP_MS + 1_000);
  // Idle, longer than the polling interval: no request that a signal did not ask for.
  const idleFrom = Date.now();
  await page.waitForTimeout(IDLE_MS);
  let idleRequests = 0;
  for (const traffic of [entityTraffic, fleetTraffic]) {
    idleRequests += traffic.requests.filter(r => r.at >= idleFrom).length;
    const unprompted = traffic.requests.filter(
      r =>
        r.at >= idleFrom &&
        !traffic.signals.some(s => s.at <= r.at && r.at - s.at < 1_000),
    );
    expect(unprompted, 'requests without a signal while idle').toEqual([]);
  }

  try {
    await pushModelUri(changed);
    const at = await appliedAt(changed);
    // Both pages show what the cluster now runs within 2 s of the change.
    await expect(dev.getByText('fraud/v6-live', { exact: true })).toBeVisible({
      timeout: Math.max(0, at + 2_000 - Date.now()),
    });
    const entityMs = Date.now() - at;
    await expect(
      fleetRow.getByText('fraud/v6-live', { exact: true }),
    ).toBeVisible({
      timeout: Math.max(0, at + 2_000 - Date.now()),
    });
    const fleetMs = Date.now() - at;
    // The numbers for the notes; the 2 s bound above is the requirement.
    // eslint-disable-next-line no-console
    console.log(
      `live updates: entity page ${entityMs} ms, fleet page ${fleetMs} ms after the cluster changed; ` +
        `while idle ${
          IDLE_MS / 1000
        } s: ${idleRequests} requests, all after a signal`,
    );
    await page.screenshot({
      path: `${SCREENSHOTS}/live-entity-fraud-scorer.png`,
      fullPage: true,
    });
  } finally {
    // Put dev back for the tests that follow, and wait until the pages say so.
    await pushModelUri(original);
    await appliedAt(original);
  }
  await expect(dev.getByText('fraud/v6-live', { exact: true })).toHaveCount(0, {
    timeout: 10_000,
  });
  await fleet.close();
});

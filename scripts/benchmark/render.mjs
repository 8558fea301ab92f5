// The fleet page in Chromium (Debian's, driven by Playwright) from the
// example app's production build: the time from the fleet API's answer
// arriving (its Resource Timing responseEnd) to the table rendered (the first
// animation frame in which the count reads "N of N models" and the table has
// its first page of rows: the page's default of 50, or N when fewer). Signs
// in as guest once, then reloads LOADS times.
//
//   node render.mjs SETTINGS.json OUT.json
//
// SETTINGS: { url (the render server), models, environments, loads, chromium, timeoutSeconds }
import fs from 'node:fs';
import { chromium } from '@playwright/test';
import { percentile } from './lib.mjs';

const [settingsFile, outFile] = process.argv.slice(2);
const s = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
const timeout = s.timeoutSeconds * 1000;

/** The fleet page's default page size (FleetView's DEFAULT_FLEET_PAGE_SIZE). */
const PAGE_SIZE = 50;

/** In the page, from its first script: watches every frame for the table's first page. */
function watchForTable({ models, pageRows }) {
  window.__bench = {};
  const tick = () => {
    const count = document.querySelector('[data-testid="fleet-count"]');
    const rows = document.querySelectorAll(
      'table[aria-label="Model deployments by environment"] tbody tr',
    ).length;
    if (
      count?.textContent === `${models} of ${models} models` &&
      rows === pageRows
    ) {
      window.__bench.rendered = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

async function measure(page) {
  await page.waitForFunction(() => window.__bench?.rendered, null, { timeout });
  return page.evaluate(() => {
    const fleet = performance
      .getEntriesByType('resource')
      .find(e => e.name.includes('/api/model-deployments/fleet'));
    return {
      rendered: window.__bench.rendered,
      fetchStart: fleet?.fetchStart,
      responseEnd: fleet?.responseEnd,
      transferSize: fleet?.transferSize,
      decodedBodySize: fleet?.decodedBodySize,
    };
  });
}

async function main() {
  const browser = await chromium.launch({
    executablePath: s.chromium,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 1100 },
    });
    page.setDefaultTimeout(timeout);
    await page.addInitScript(watchForTable, {
      models: s.models,
      pageRows: Math.min(s.models, PAGE_SIZE),
    });
    await page.goto(`${s.url}/model-deployments`);
    const choose = page.getByRole('button', { name: 'Sign in as Guest' });
    const count = page.getByTestId('fleet-count');
    await choose.or(count).first().waitFor();
    if (await choose.isVisible()) await choose.click();
    const first = await measure(page);
    const loads = [];
    for (let i = 0; i < s.loads; i++) {
      await page.reload();
      const m = await measure(page);
      if (m.responseEnd === undefined)
        throw new Error('no fleet request in the resource timings');
      loads.push(m);
      console.log(
        `render: load ${i + 1}: fleet answer ${Math.round(
          m.responseEnd - m.fetchStart,
        )} ms, ` +
          `table ${Math.round(m.rendered - m.responseEnd)} ms after it`,
      );
    }
    const after = loads
      .map(m => m.rendered - m.responseEnd)
      .sort((a, b) => a - b);
    const result = {
      models: s.models,
      pageRows: Math.min(s.models, PAGE_SIZE),
      environments: s.environments,
      n: after.length,
      p50: percentile(after, 50),
      max: after[after.length - 1],
      min: after[0],
      firstLoadAfterSignIn: first.responseEnd
        ? first.rendered - first.responseEnd
        : undefined,
      fleetAnswerMs: percentile(
        loads.map(m => m.responseEnd - m.fetchStart).sort((a, b) => a - b),
        50,
      ),
      decodedBodySize: loads[0]?.decodedBodySize,
    };
    console.log(
      `render: p50 ${result.p50.toFixed(0)} ms, max ${result.max.toFixed(
        0,
      )} ms after the data`,
    );
    fs.writeFileSync(outFile, JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
  }
}

main().catch(error => {
  console.error(`render.mjs: ${error.stack ?? error}`);
  process.exit(1);
});

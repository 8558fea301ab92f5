// Opens a model's Deployments tab in Debian's Chromium with the app's own
// Playwright, signs in as guest, and checks that each environment's column
// (a region named by the environment's title) shows a deployment card.
//
//   node ui-check.cjs APP_DIR BASE_URL ENTITY_PATH TITLES_JSON SCREENSHOT
//   e.g. ... /catalog/default/component/iris-classifier '["Development","Staging","Production"]'
const path = require('path');

const [app, base, entityPath, titlesJson, screenshot] = process.argv.slice(2);
const titles = JSON.parse(titlesJson);
const { chromium } = require(require.resolve('@playwright/test', {
  paths: [app],
}));

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/lib/chromium/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({
    viewport: { width: 1600, height: 1000 },
  });
  const errors = [];
  page.on('pageerror', e =>
    errors.push(`pageerror: ${String(e).slice(0, 300)}`),
  );
  // Nothing but the app under test.
  await page.route(
    u => !u.href.startsWith(base),
    r => r.abort(),
  );
  let failed = null;
  let doing = 'opening the page';
  try {
    await page.goto(`${base}${entityPath}/model-deployments`);
    // The guest sign-in page, when the app shows one (new frontend system);
    // the legacy template signs guests in by itself.
    doing = 'waiting for the sign-in page or the first environment column';
    const enter = page.getByRole('button', { name: /^enter$/i });
    const first = page.getByRole('region', { name: titles[0], exact: true });
    await Promise.race([
      enter
        .first()
        .waitFor({ timeout: 90000 })
        .then(() => enter.first().click()),
      first.waitFor({ timeout: 90000 }),
    ]);
    for (const title of titles) {
      doing = `waiting for the column "${title}"`;
      const column = page.getByRole('region', { name: title, exact: true });
      await column.waitFor({ timeout: 60000 });
      // A deployment card says its status in words.
      doing = `waiting for a deployment card in the column "${title}"`;
      await column
        .getByText(/^(Ready|Progressing|Failed|Stopped|Unknown)$/)
        .first()
        .waitFor({ timeout: 60000 });
      console.log(`column "${title}" shows deployments`);
    }
  } catch (error) {
    failed = error;
  }
  await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
  if (failed) {
    const text = (
      await page
        .locator('body')
        .innerText()
        .catch(() => '')
    ).replace(/\s+/g, ' ');
    console.error(
      `ui-check: FAILED ${doing} at ${page.url()}: ${
        failed.message.split('\n')[0]
      }`,
    );
    console.error(`page text: ${text.slice(0, 1500)}`);
    if (errors.length) console.error(`page errors: ${errors.join('\n')}`);
    await browser.close();
    process.exit(1);
  }
  console.log(
    `OK: Deployments tab shows ${titles.join(', ')} (screenshot ${path.basename(
      screenshot,
    )})`,
  );
  await browser.close();
})().catch(e => {
  console.error(`ui-check: ${e.stack || e}`);
  process.exit(1);
});

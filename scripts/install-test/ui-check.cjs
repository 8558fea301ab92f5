// Drives an installed app in Debian's Chromium with the app's own Playwright,
// as guest:
//   1. the model's Deployments tab: each environment's column (a region named
//      by its title) shows a deployment card, or "Not permitted" where the
//      permission policy keeps guest out;
//   2. the fleet page lists the model;
//   3. the "Promote a model" template, with its environment pickers: the
//      target the policy forbids is offered but disabled, and promoting into
//      an allowed one runs the scaffolder action to the end.
//
//   node ui-check.cjs APP_DIR BASE_URL SPEC_JSON OUT_DIR
//   SPEC_JSON: { entityPath, modelName, modelTitle,
//                columns: [{ title, shows: 'deployments' | 'not-permitted' }],
//                promote: { modelName, modelTitle, from, to, forbiddenTitle } }
const fs = require('fs');
const path = require('path');

const [app, base, specFile, outDir] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
const { chromium } = require(require.resolve('@playwright/test', {
  paths: [app],
}));

const escape = s => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function signInIfAsked(page, ready) {
  // The guest sign-in page, when the app shows one (new frontend system);
  // the legacy template signs guests in by itself.
  const enter = page.getByRole('button', { name: /^enter$/i }).first();
  await Promise.race([
    enter.waitFor({ timeout: 90000 }).then(() => enter.click()),
    ready.waitFor({ timeout: 90000 }),
  ]);
}

const checks = [
  [
    'Deployments tab',
    async (page, step) => {
      await page.goto(`${base}${spec.entityPath}/model-deployments`);
      step('waiting for the sign-in page or the first environment column');
      await signInIfAsked(
        page,
        page.getByRole('region', { name: spec.columns[0].title, exact: true }),
      );
      for (const { title, shows } of spec.columns) {
        step(`waiting for the column "${title}"`);
        const column = page.getByRole('region', { name: title, exact: true });
        await column.waitFor({ timeout: 60000 });
        step(`waiting for "${shows}" in the column "${title}"`);
        // A deployment card says its status in words; a column the user may
        // not read says so.
        const text =
          shows === 'not-permitted'
            ? /^Not permitted$/
            : /^(Ready|Progressing|Failed|Stopped|Unknown)$/;
        await column.getByText(text).first().waitFor({ timeout: 60000 });
        console.log(`column "${title}" shows ${shows}`);
      }
    },
  ],
  [
    'fleet page',
    async (page, step) => {
      await page.goto(`${base}/model-deployments`);
      step(`waiting for the row of ${spec.modelTitle} on the fleet page`);
      await page
        .getByRole('rowheader')
        .getByRole('link', { name: spec.modelTitle, exact: true })
        .waitFor({ timeout: 60000 });
      console.log(`fleet page lists ${spec.modelTitle}`);
    },
  ],
  [
    '"Promote a model" template',
    async (page, step) => {
      const { modelName, modelTitle, from, to, forbiddenTitle } = spec.promote;
      await page.goto(`${base}/create/templates/default/promote-model`);
      step('waiting for the template form');
      const model = page.getByRole('textbox', { name: 'Model' });
      await model.waitFor({ timeout: 60000 });
      await model.click();
      await model.fill(modelName.slice(0, 5));
      await page
        .getByRole('option', {
          name: new RegExp(`${escape(modelName)}|${escape(modelTitle)}`),
        })
        .first()
        .click();
      // The picker's environments come from the model-deployments backend;
      // the policy lets guest promote only into unrestricted ones.
      step('waiting for the environment picker "Promote to"');
      const target = page.getByRole('combobox', { name: /Promote to/ });
      const forbidden = target.getByRole('option', {
        name: new RegExp(`^${escape(forbiddenTitle)} .*may not promote`),
      });
      await forbidden.waitFor({ state: 'attached', timeout: 60000 });
      if (!(await forbidden.isDisabled())) {
        throw new Error(
          `"${forbiddenTitle}" is offered as a target guest may use`,
        );
      }
      await target.selectOption(to);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('button', { name: 'Review' }).click();
      await page.getByRole('button', { name: 'Create' }).click();
      step('waiting for the promotion task to finish');
      // Each flavour's app promotes into one demo cluster: the second finds
      // the target up to date.
      await page
        .getByText(
          new RegExp(
            `(Promoted|Already up to date:) ${escape(
              modelName,
            )} \\(.*\\) from ${from} to ${to}`,
          ),
        )
        .first()
        .waitFor({ timeout: 60000 });
      console.log(`promoted ${modelName} from ${from} to ${to}`);
    },
  ],
];

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
  for (const [name, check] of checks) {
    let doing = 'opening the page';
    const screenshot = path.join(
      outDir,
      `${name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}.png`,
    );
    try {
      await check(page, what => {
        doing = what;
      });
      await page.screenshot({ path: screenshot, fullPage: true });
      console.log(`OK: ${name} (${path.basename(screenshot)})`);
    } catch (error) {
      await page
        .screenshot({ path: screenshot, fullPage: true })
        .catch(() => {});
      const text = (
        await page
          .locator('body')
          .innerText()
          .catch(() => '')
      ).replace(/\s+/g, ' ');
      console.error(
        `ui-check: ${name} FAILED ${doing} at ${page.url()}: ${
          error.message.split('\n')[0]
        }`,
      );
      console.error(`page text: ${text.slice(0, 1500)}`);
      if (errors.length) console.error(`page errors: ${errors.join('\n')}`);
      await browser.close();
      process.exit(1);
    }
  }
  await browser.close();
})().catch(e => {
  console.error(`ui-check: ${e.stack || e}`);
  process.exit(1);
});

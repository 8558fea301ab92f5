import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  PromotionGateResult,
  PromotionResult,
} from '@seed-mlops/plugin-model-deployments-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { entity, entityResponse, environments } from '../../__fixtures__/data';
import { BASE_URL, TestApis, defaultHandlers } from '../../__testUtils__';
import { EntityModelDeploymentsContent } from './EntityModelDeploymentsContent';

const server = setupServer();
registerMswTestHooks(server);

const gitops = { repoUrl: 'https://github.com/acme/ml-gitops.git' };
// Every environment Ready and in Git: the dialog opens from dev to staging.
const response = {
  ...entityResponse,
  environments: entityResponse.environments.map((e, index) => ({
    ...e,
    environment: { ...environments[index], gitops },
    deployments: e.deployments.map(d => ({ ...d, phase: 'Ready' as const })),
  })),
};

const sourceReady: PromotionGateResult = {
  name: 'source-ready',
  kind: 'source-ready',
  passed: true,
  value: 'SeldonDeployment fraud-scorer: Ready, InSync',
  expected: 'Ready and in sync with Git',
  message: "Every deployment in 'dev' is Ready and in sync with Git",
};
const soakTime: PromotionGateResult = {
  name: 'soak-time',
  kind: 'soak-time',
  passed: true,
  value: 'Ready and in sync for 2 h',
  expected: 'at least 30 min',
  message: "Ready and in sync with Git in 'dev' for 2 h",
};
const errorRate: PromotionGateResult = {
  name: 'error-rate',
  kind: 'metric',
  passed: false,
  value: '0.2',
  expected: 'at most 0.05',
  message: "error-rate of SeldonDeployment fraud-scorer in 'dev' is 0.2",
};
// Prometheus did not answer: no value, and none made up.
const latency: PromotionGateResult = {
  name: 'p99-latency',
  kind: 'metric',
  passed: false,
  expected: 'at most 250',
  message: 'Prometheus did not answer: connect ECONNREFUSED',
};

const forbidden =
  "You may not force a promotion into environment 'staging'; promote a source that is Ready and in sync instead";

/**
 * The backend as far as promotions from dev go: dry runs report `gates`,
 * and a real promotion with a failing gate is refused unless forced; a
 * forced request is forbidden unless `mayForce`.
 */
function serve(options: { gates?: PromotionGateResult[]; mayForce?: boolean }) {
  const { gates, mayForce = true } = options;
  const posts: Array<Record<string, unknown>> = [];
  const failed = gates?.filter(g => !g.passed).map(g => g.name) ?? [];
  server.use(
    ...defaultHandlers,
    http.get(`${BASE_URL}/deployments`, () => HttpResponse.json(response)),
    http.post(`${BASE_URL}/promotions`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      posts.push(body);
      const error = (status: number, name: string, message: string) =>
        HttpResponse.json(
          { error: { name, message }, response: { statusCode: status } },
          { status },
        );
      if (body.force && !mayForce) {
        return error(403, 'NotAllowedError', forbidden);
      }
      const summary =
        'fraud-scorer (gs://acme-models/fraud/v5) from dev to staging';
      let message = `Would promote ${summary}`;
      if (failed.length > 0) {
        message = body.force
          ? `Would promote ${summary}, forced past failing gates: ${failed.join(
              ', ',
            )}`
          : `Would be refused: ${failed.join(
              ', ',
            )} failed in dev. Promote once the gates pass, or force it`;
      }
      const result: PromotionResult = {
        kind: 'promotion',
        status: 'dry-run',
        entityRef: 'component:default/fraud-scorer',
        from: 'dev',
        to: 'staging',
        strategy: 'commit',
        message,
        files: [
          {
            path: 'staging/SeldonDeployment-fraud-scorer.json',
            change: 'update',
          },
        ],
        diff: '--- a/x\n+++ b/x\n-v4\n+v5\n',
        versions: ['gs://acme-models/fraud/v5'],
        ...(gates ? { gates } : {}),
      };
      if (body.dryRun) return HttpResponse.json(result);
      if (failed.length > 0 && !body.force) {
        return error(
          400,
          'InputError',
          "Verification of 'dev' failed. Promote once the gates pass, or force the promotion",
        );
      }
      return HttpResponse.json(
        {
          ...result,
          status: 'committed',
          message: 'Promoted fraud-scorer from dev to staging',
          commit: { sha: 'c0ffee0000000000000000000000000000000000' },
        },
        { status: 201 },
      );
    }),
  );
  return posts;
}

const dryRunBody = {
  entityRef: 'component:default/fraud-scorer',
  from: 'dev',
  to: 'staging',
  dryRun: true,
};

/** Opens the promote dialog from dev and waits for its dry run. */
async function openDialog() {
  await renderInTestApp(
    <TestApis>
      <EntityProvider entity={entity}>
        <EntityModelDeploymentsContent refreshIntervalMs={0} />
      </EntityProvider>
    </TestApis>,
  );
  const dev = await screen.findByRole('region', { name: 'Development' });
  await userEvent.click(
    await within(dev).findByRole('button', { name: 'Promote to Staging' }),
  );
  const dialog = await screen.findByRole('dialog', {
    name: 'Promote from Development to Staging',
  });
  await within(dialog).findByLabelText('Changes');
  return dialog;
}

/** The cells of a gate's row: result, name, value, expected (and why). */
function gateCells(dialog: HTMLElement, name: string) {
  const table = within(dialog).getByRole('table', {
    name: 'Verification gates',
  });
  const row = within(table).getByText(name).closest('tr')!;
  return within(row).getAllByRole('cell');
}

describe('verification gates in the promote dialog', () => {
  it("lists the source's gates of a dry run with their values and results", async () => {
    serve({ gates: [sourceReady, soakTime, errorRate, latency] });
    const dialog = await openDialog();
    const verification = within(dialog).getByRole('region', {
      name: 'Verification',
    });
    expect(verification).toHaveTextContent(
      '2 of 4 gates failed; no promotion until they pass, unless forced',
    );
    const texts = (cells: HTMLElement[]) => cells.map(c => c.textContent);

    const ready = gateCells(dialog, 'source-ready');
    expect(within(ready[0]).getByRole('img', { name: 'passed' })).toBeVisible();
    // Passed gates need no reason.
    expect(texts(ready)).toEqual([
      '',
      'source-ready',
      'SeldonDeployment fraud-scorer: Ready, InSync',
      'Ready and in sync with Git',
      '',
    ]);
    const soak = gateCells(dialog, 'soak-time');
    expect(within(soak[0]).getByRole('img', { name: 'passed' })).toBeVisible();
    expect(texts(soak).slice(1, 4)).toEqual([
      'soak-time',
      'Ready and in sync for 2 h',
      'at least 30 min',
    ]);

    const rate = gateCells(dialog, 'error-rate');
    expect(within(rate[0]).getByRole('img', { name: 'failed' })).toBeVisible();
    expect(texts(rate)).toEqual([
      '',
      'error-rate',
      '0.2',
      'at most 0.05',
      errorRate.message,
    ]);
    const p99 = gateCells(dialog, 'p99-latency');
    expect(within(p99[0]).getByRole('img', { name: 'failed' })).toBeVisible();
    expect(texts(p99)).toEqual([
      '',
      'p99-latency',
      'no value',
      'at most 250',
      latency.message,
    ]);
  });

  it('lets a promotion whose gates all passed go ahead, unforced', async () => {
    const posts = serve({ gates: [sourceReady, soakTime] });
    const dialog = await openDialog();
    expect(
      within(dialog).getByRole('region', { name: 'Verification' }),
    ).toHaveTextContent('All gates passed');
    expect(
      within(dialog).queryByRole('checkbox', {
        name: 'Force past failing gates',
      }),
    ).not.toBeInTheDocument();
    const promote = within(dialog).getByRole('button', { name: 'Promote' });
    expect(promote).toBeEnabled();
    await userEvent.click(promote);
    expect(
      await within(dialog).findByText(
        'Promoted fraud-scorer from dev to staging',
      ),
    ).toBeInTheDocument();
    expect(posts).toEqual([
      dryRunBody,
      {
        entityRef: 'component:default/fraud-scorer',
        from: 'dev',
        to: 'staging',
        strategy: 'commit',
      },
    ]);
  });

  it('disables Promote while a gate failed, saying why', async () => {
    const posts = serve({ gates: [sourceReady, errorRate] });
    const dialog = await openDialog();
    expect(
      within(dialog).getByText(
        'Would be refused: error-rate failed in dev. Promote once the gates pass, or force it',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Promote' }),
    ).toBeDisabled();
    expect(
      within(dialog).getByTitle(
        'Verification of Development failed: error-rate. Promote once the gates pass, or force the promotion.',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('checkbox', {
        name: 'Force past failing gates',
      }),
    ).not.toBeChecked();
    expect(posts).toEqual([dryRunBody]);
  });

  it('re-runs the dry run forced when forcing is chosen, then promotes forced', async () => {
    const posts = serve({ gates: [sourceReady, errorRate] });
    const dialog = await openDialog();
    await userEvent.click(
      within(dialog).getByRole('checkbox', {
        name: 'Force past failing gates',
      }),
    );
    expect(
      await within(dialog).findByText(
        'Would promote fraud-scorer (gs://acme-models/fraud/v5) from dev to staging, forced past failing gates: error-rate',
      ),
    ).toBeInTheDocument();
    expect(posts).toEqual([dryRunBody, { ...dryRunBody, force: true }]);
    // Still failed, and said so; but forced.
    expect(
      within(gateCells(dialog, 'error-rate')[0]).getByRole('img', {
        name: 'failed',
      }),
    ).toBeVisible();
    expect(
      within(dialog).getByRole('region', { name: 'Verification' }),
    ).toHaveTextContent('1 of 2 gates failed; forcing past it');
    const promote = within(dialog).getByRole('button', { name: 'Promote' });
    await waitFor(() => expect(promote).toBeEnabled());

    await userEvent.click(promote);
    expect(
      await within(dialog).findByText(
        'Promoted fraud-scorer from dev to staging',
      ),
    ).toBeInTheDocument();
    expect(posts[2]).toEqual({
      entityRef: 'component:default/fraud-scorer',
      from: 'dev',
      to: 'staging',
      strategy: 'commit',
      force: true,
    });
  });

  it("shows the backend's answer when the user may not force", async () => {
    const posts = serve({ gates: [errorRate], mayForce: false });
    const dialog = await openDialog();
    await userEvent.click(
      within(dialog).getByRole('checkbox', {
        name: 'Force past failing gates',
      }),
    );
    expect(await within(dialog).findByText(forbidden)).toBeInTheDocument();
    expect(posts).toEqual([dryRunBody, { ...dryRunBody, force: true }]);
    // The unforced preview stays, and so does the refusal.
    expect(
      within(dialog).getByRole('region', { name: 'Verification' }),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Promote' }),
    ).toBeDisabled();
    expect(posts).toHaveLength(2);
  });

  it.each([
    ['without gates', undefined],
    ['with no gates', []],
  ])('shows no verification %s', async (_, gates) => {
    serve({ gates });
    const dialog = await openDialog();
    expect(
      within(dialog).queryByRole('region', { name: 'Verification' }),
    ).not.toBeInTheDocument();
    expect(
      within(dialog).queryByRole('table', { name: 'Verification gates' }),
    ).not.toBeInTheDocument();
    expect(
      within(dialog).queryByRole('checkbox', {
        name: 'Force past failing gates',
      }),
    ).not.toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Promote' }),
    ).toBeEnabled();
  });
});

import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  PromotionRecord,
  PromotionResult,
} from '@seed-mlops/plugin-model-deployments-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  hoursFromNow,
  pendingPromotion,
  stagingApproval,
} from '../../__fixtures__/approvals';
import { entity, entityResponse } from '../../__fixtures__/data';
import { BASE_URL, TestApis } from '../../__testUtils__';
import { EntityModelDeploymentsContent } from './EntityModelDeploymentsContent';

const server = setupServer();
registerMswTestHooks(server);

const pending = pendingPromotion();

/**
 * Serves the page with `promotions`, and answers decisions with `answer`
 * (a result, or an error status and message); after a successful decision
 * the promotions list holds `after`. `change` replaces the promotions, as
 * another user's decision does.
 */
function serve(options: {
  promotions: PromotionRecord[];
  answer?: PromotionResult | { status: number; message: string };
  after?: PromotionRecord[];
}) {
  const decisions: Array<{ id: string; body: unknown }> = [];
  let promotions = options.promotions;
  let deploymentLoads = 0;
  server.use(
    http.get(`${BASE_URL}/deployments`, () => {
      deploymentLoads += 1;
      return HttpResponse.json(entityResponse);
    }),
    http.get(`${BASE_URL}/promotions`, () =>
      HttpResponse.json({ entityRef: entity.metadata.name, promotions }),
    ),
    http.post(
      `${BASE_URL}/promotions/:id/decisions`,
      async ({ params, request }) => {
        decisions.push({ id: String(params.id), body: await request.json() });
        const answer = options.answer;
        if (answer && 'message' in answer && !('kind' in answer)) {
          return HttpResponse.json(
            {
              error: { name: 'ConflictError', message: answer.message },
              response: { statusCode: answer.status },
            },
            { status: answer.status },
          );
        }
        promotions = options.after ?? promotions;
        return HttpResponse.json(answer);
      },
    ),
  );
  return {
    decisions,
    loads: () => deploymentLoads,
    change: (next: PromotionRecord[]) => {
      promotions = next;
    },
  };
}

/** What the backend answers a decision on `pending`. */
const answer = (overrides: Partial<PromotionResult>): PromotionResult => ({
  id: pending.id,
  kind: 'promotion',
  status: 'pending-approval',
  entityRef: pending.entityRef,
  from: 'dev',
  to: 'staging',
  strategy: 'commit',
  message: '',
  files: [],
  diff: '',
  versions: pending.versions,
  ...overrides,
});

function render() {
  return renderInTestApp(
    <TestApis>
      <EntityProvider entity={entity}>
        <EntityModelDeploymentsContent refreshIntervalMs={0} />
      </EntityProvider>
    </TestApis>,
  );
}

/**
 * The list item of the promotion whose headline matches `headline`; also
 * behind an open dialog, which hides the page from the accessibility tree.
 */
async function findItem(headline: RegExp) {
  const list = await screen.findByRole('region', {
    name: 'Promotions',
    hidden: true,
  });
  return (await within(list).findByText(headline)).closest('li')!;
}

describe('approvals on the deployments tab', () => {
  it('shows what a pending promotion needs and who decided, without buttons for those who may not decide', async () => {
    serve({
      promotions: [
        pendingPromotion({
          approval: stagingApproval({
            canDecide: false,
            decisions: [
              {
                by: 'user:default/jane',
                decision: 'approved',
                comment: 'Metrics look good',
                at: hoursFromNow(-0.5),
              },
            ],
          }),
        }),
        pendingPromotion({
          id: '7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a',
          status: 'rejected',
          approval: stagingApproval({
            canDecide: false,
            decisions: [
              {
                by: 'user:default/sam',
                decision: 'rejected',
                comment: 'Wait for the fraud team',
                at: hoursFromNow(-2),
              },
            ],
          }),
        }),
        pendingPromotion({
          id: '8e2f3a4b-5c6d-4e7f-9a8b-0c1d2e3f4a5b',
          status: 'expired',
        }),
      ],
    });
    await render();
    const item = await findItem(/dev → staging: waiting for approval/);
    expect(item).toHaveTextContent(
      'Needs 2 approvals from release-managers, platform-admins · expires in 23 hours',
    );
    const decisions = within(item).getByRole('list', {
      name: 'Approval decisions',
    });
    expect(within(decisions).getByRole('listitem')).toHaveTextContent(
      'jane approved · 30 minutes ago: Metrics look good',
    );
    expect(
      within(item).queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
    expect(
      within(item).queryByRole('button', { name: 'Reject' }),
    ).not.toBeInTheDocument();

    const rejected = await findItem(/dev → staging: rejected/);
    expect(rejected).toHaveTextContent(
      'Required 2 approvals from release-managers, platform-admins',
    );
    expect(rejected).toHaveTextContent(
      'sam rejected · 2 hours ago: Wait for the fraud team',
    );
    expect(await findItem(/dev → staging: expired/)).toBeInTheDocument();
  });

  it('needs a comment to reject, sends it, and reloads the list', async () => {
    const { decisions } = serve({
      promotions: [pending],
      answer: answer({
        status: 'rejected',
        message: 'Rejected the promotion of fraud-scorer to staging',
      }),
      after: [{ ...pending, status: 'rejected' }],
    });
    await render();
    const item = await findItem(/waiting for approval/);
    expect(within(item).getByRole('button', { name: 'Approve' })).toBeEnabled();
    await userEvent.click(within(item).getByRole('button', { name: 'Reject' }));

    const dialog = await screen.findByRole('dialog', {
      name: 'Reject promotion',
    });
    expect(dialog).toHaveTextContent('fraud-scorer: dev → staging');
    expect(dialog).toHaveTextContent('Versions: fraud/v5');
    const confirm = within(dialog).getByRole('button', { name: 'Reject' });
    expect(confirm).toBeDisabled();
    const comment = within(dialog).getByRole('textbox', { name: /Comment/ });
    // Blank is no reason.
    await userEvent.type(comment, '   ');
    expect(confirm).toBeDisabled();
    await userEvent.type(comment, 'Canary error rate too high');
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(decisions).toEqual([
      {
        id: pending.id,
        body: { decision: 'reject', comment: 'Canary error rate too high' },
      },
    ]);
    expect(
      await screen.findByText(
        'Rejected the promotion of fraud-scorer to staging',
      ),
    ).toBeInTheDocument();
    const rejected = await findItem(/dev → staging: rejected/);
    expect(
      within(rejected).queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
  });

  it('approves: the last approval runs the promotion, and the page reloads', async () => {
    const committed: PromotionRecord = {
      ...pending,
      status: 'committed',
      message: 'Promoted fraud-scorer from dev to staging',
      commit: { sha: 'c0ffee0000000000000000000000000000000000' },
    };
    const diff = [
      '--- a/staging/SeldonDeployment-fraud-scorer.json',
      '+++ b/staging/SeldonDeployment-fraud-scorer.json',
      '-        "modelUri": "gs://acme-models/fraud/v4",',
      '+        "modelUri": "gs://acme-models/fraud/v5",',
    ].join('\n');
    const { decisions, loads } = serve({
      promotions: [{ ...pending, approval: { ...pending.approval!, diff } }],
      answer: answer({ status: 'committed', message: committed.message }),
      after: [committed],
    });
    await render();
    const item = await findItem(/waiting for approval/);
    const loadsBefore = loads();
    await userEvent.click(
      within(item).getByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Approve promotion',
    });
    // What the approval writes, as planned when it was asked for.
    // (toHaveTextContent collapses the diff's indentation.)
    expect(within(dialog).getByLabelText('Changes')).toHaveTextContent(
      '- "modelUri": "gs://acme-models/fraud/v4",+ "modelUri": "gs://acme-models/fraud/v5",',
    );
    // The comment is optional to approve.
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(decisions).toEqual([
      { id: pending.id, body: { decision: 'approve' } },
    ]);
    await waitFor(() => expect(loads()).toBeGreaterThan(loadsBefore));
    expect(await findItem(/dev → staging: committed/)).not.toHaveTextContent(
      'Needs',
    );
    expect(screen.getByRole('alert')).toHaveTextContent(committed.message);
  });

  it('keeps the dialog open with the backend refusal', async () => {
    serve({
      promotions: [pending],
      answer: { status: 409, message: 'The promotion is no longer pending' },
    });
    await render();
    const item = await findItem(/waiting for approval/);
    await userEvent.click(
      within(item).getByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Approve promotion',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Comment/ }),
      'ok',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    expect(
      await within(dialog).findByText('The promotion is no longer pending'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Approve' }),
    ).toBeEnabled();
  });
  it('reloads the list when the backend refuses a decision, keeping the refusal in view', async () => {
    const refusal =
      'This promotion is no longer waiting for approval: it is rejected';
    const { change, loads } = serve({
      promotions: [pending],
      answer: { status: 409, message: refusal },
    });
    await render();
    const item = await findItem(/waiting for approval/);
    await userEvent.click(
      within(item).getByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Approve promotion',
    });
    // Someone else rejects it while the dialog is open.
    change([
      pendingPromotion({
        status: 'rejected',
        approval: stagingApproval({
          canDecide: false,
          decisions: [
            {
              by: 'user:default/sam',
              decision: 'rejected',
              comment: 'Not during the sale',
              at: hoursFromNow(-0.1),
            },
          ],
        }),
      }),
    ]);
    const loadsBefore = loads();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    expect(await within(dialog).findByText(refusal)).toBeInTheDocument();
    // The list behind is reloaded, as after a success.
    const rejected = await findItem(/dev → staging: rejected/);
    expect(rejected).toHaveTextContent('sam rejected');
    expect(
      within(rejected).queryByRole('button', { hidden: true, name: 'Approve' }),
    ).not.toBeInTheDocument();
    await waitFor(() => expect(loads()).toBeGreaterThan(loadsBefore));
    expect(
      screen.getByRole('dialog', { name: 'Approve promotion' }),
    ).toHaveTextContent(refusal);
    expect(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    ).toBeEnabled();
  });

  it('offers no decision once the time to approve ran out, and says it expired', async () => {
    serve({
      promotions: [
        pendingPromotion({
          // Loaded as decidable; its time has run out since.
          approval: stagingApproval({
            canDecide: true,
            expiresAt: hoursFromNow(-0.1),
          }),
        }),
      ],
    });
    await render();
    const item = await findItem(/dev → staging: expired/);
    expect(item).toHaveTextContent(
      'Required 2 approvals from release-managers, platform-admins · expired 6 minutes ago',
    );
    expect(item).not.toHaveTextContent('waiting for approval');
    expect(within(item).queryByRole('button')).not.toBeInTheDocument();
  });

  it('does not call an approval a success when the promotion was rejected meanwhile', async () => {
    serve({
      promotions: [pending],
      answer: answer({
        status: 'rejected',
        message: 'Rejected by user:default/sam: Not during the sale',
      }),
      after: [{ ...pending, status: 'rejected' }],
    });
    await render();
    const item = await findItem(/waiting for approval/);
    await userEvent.click(
      within(item).getByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Approve promotion',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    const outcome = await screen.findByRole('alert');
    expect(outcome).toHaveTextContent(
      'Rejected by user:default/sam: Not during the sale',
    );
    expect(outcome).toHaveClass('MuiAlert-standardWarning');
    expect(outcome).not.toHaveClass('MuiAlert-standardSuccess');
  });
});

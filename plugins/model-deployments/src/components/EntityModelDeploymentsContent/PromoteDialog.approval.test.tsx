import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  pendingPromotion,
  stagingApproval,
} from '../../__fixtures__/approvals';
import { environments } from '../../__fixtures__/data';
import { BASE_URL, TestApis } from '../../__testUtils__';
import { PromoteDialog } from './PromoteDialog';

const server = setupServer();
registerMswTestHooks(server);

const gitops = { repoUrl: 'https://github.com/acme/ml-gitops.git' };
const recorded = pendingPromotion();

/** A dry run into staging, which requires approval: what it would wait for. */
const dryRun: PromotionResult = {
  kind: 'promotion',
  status: 'dry-run',
  entityRef: 'component:default/fraud-scorer',
  from: 'dev',
  to: 'staging',
  strategy: 'commit',
  message: 'Would promote fraud-scorer from dev to staging',
  files: [
    { path: 'staging/SeldonDeployment-fraud-scorer.json', change: 'update' },
  ],
  diff: '--- a/x\n+++ b/x\n-v4\n+v5\n',
  versions: ['gs://acme-models/fraud/v5'],
  approval: stagingApproval({
    required: 1,
    expiresAt: undefined,
    canDecide: undefined,
  }),
};

function serve() {
  const posts: Array<Record<string, unknown>> = [];
  server.use(
    http.post(`${BASE_URL}/promotions`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      posts.push(body);
      if (body.dryRun) return HttpResponse.json(dryRun);
      // Held: recorded, nothing written yet.
      return HttpResponse.json(
        {
          ...dryRun,
          id: recorded.id,
          status: 'pending-approval',
          message: recorded.message,
          approval: stagingApproval({ required: 1, canDecide: false }),
        },
        { status: 201 },
      );
    }),
  );
  return posts;
}

async function renderDialog(onPromoted = jest.fn()) {
  await renderInTestApp(
    <TestApis>
      <PromoteDialog
        entityRef="component:default/fraud-scorer"
        source={{ ...environments[0], gitops }}
        target={{ ...environments[1], gitops }}
        onClose={() => {}}
        onPromoted={onPromoted}
      />
    </TestApis>,
  );
  return screen.findByRole('dialog', {
    name: 'Promote from Development to Staging',
  });
}

describe('promoting into an environment that requires approval', () => {
  it('says so from the dry run, then that the promotion waits for approval', async () => {
    const posts = serve();
    const onPromoted = jest.fn();
    const dialog = await renderDialog(onPromoted);
    expect(
      await within(dialog).findByText(
        'Needs approval: 1 of release-managers, platform-admins must approve before it runs.',
      ),
    ).toBeInTheDocument();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Promote' }),
    );
    // The expiry is a <time> element inside the line.
    expect(
      await within(dialog).findByText(/^Waiting for approval by/),
    ).toHaveTextContent(
      'Waiting for approval by 1 of release-managers, platform-admins · expires in 23 hours',
    );
    expect(
      within(dialog).getByText(/^Nothing is written until then/),
    ).toHaveTextContent(
      "Nothing is written until then. The approvers were notified; they find it in this model's promotions and on the fleet page.",
    );
    // Nothing was written: no commit to link, and no success.
    expect(within(dialog).queryByRole('link')).not.toBeInTheDocument();
    expect(within(dialog).queryByText(/^Promoted/)).not.toBeInTheDocument();
    expect(posts[1]).toMatchObject({ strategy: 'commit' });
    expect(onPromoted).toHaveBeenCalledTimes(1);
    expect(within(dialog).getByRole('button', { name: 'Close' })).toBeEnabled();
  });

  it('says a pull request is not held: its review is the approval', async () => {
    serve();
    const dialog = await renderDialog();
    await within(dialog).findByText(/^Needs approval: 1 of/);
    await userEvent.click(
      within(dialog).getByRole('radio', { name: 'Open a pull request' }),
    );
    expect(
      within(dialog).getByText(
        'A pull request is not held for approval: its review is the approval. A commit would wait: 1 of release-managers, platform-admins must approve before it runs.',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByText(/^Needs approval/),
    ).not.toBeInTheDocument();
  });

  it('says nothing of approval where none is required', async () => {
    server.use(
      http.post(`${BASE_URL}/promotions`, () =>
        HttpResponse.json({ ...dryRun, approval: undefined }),
      ),
    );
    const dialog = await renderDialog();
    await within(dialog).findByText(dryRun.message);
    expect(within(dialog).queryByText(/approval/)).not.toBeInTheDocument();
  });
});

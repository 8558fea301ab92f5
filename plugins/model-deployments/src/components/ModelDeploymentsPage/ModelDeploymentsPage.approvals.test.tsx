import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  MODEL_DEPLOYMENTS_FLEET_CHANNEL,
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
import { fleetResponse } from '../../__fixtures__/data';
import { BASE_URL, TestApis, TestSignalApi } from '../../__testUtils__';
import { ModelDeploymentsPage } from './ModelDeploymentsPage';

const server = setupServer();
registerMswTestHooks(server);

/** Waits for one approval more, which the user may give. */
const mine = pendingPromotion({
  approval: stagingApproval({
    decisions: [
      {
        by: 'user:default/jane',
        decision: 'approved',
        at: hoursFromNow(-0.5),
      },
    ],
  }),
});
/** The user asked for this one: others decide. */
const theirs = pendingPromotion({
  id: '9f3a4b5c-6d7e-4f8a-9b0c-1d2e3f4a5b6c',
  entityRef: 'component:default/iris-classifier',
  actor: 'user:default/me',
  versions: ['gs://acme-models/iris/v4'],
  approval: stagingApproval({ required: 1, canDecide: false }),
});

/**
 * Serves the fleet and `pending`; a decision empties the pending list. With
 * `refusal`, the backend refuses decisions with that 409 message (someone
 * else decided first).
 */
function serve(
  pending: PromotionRecord[] | { status: number },
  refusal?: string,
) {
  const counts = { fleet: 0, approvals: 0 };
  const decisions: unknown[] = [];
  let promotions = pending;
  server.use(
    http.get(`${BASE_URL}/fleet`, () => {
      counts.fleet += 1;
      return HttpResponse.json(fleetResponse);
    }),
    http.get(`${BASE_URL}/approvals`, () => {
      counts.approvals += 1;
      if (!Array.isArray(promotions)) {
        return HttpResponse.json(
          {
            error: { name: 'Error', message: 'approvals store unavailable' },
            response: { statusCode: promotions.status },
          },
          { status: promotions.status },
        );
      }
      return HttpResponse.json({ promotions });
    }),
    http.post(`${BASE_URL}/promotions/:id/decisions`, async ({ request }) => {
      decisions.push(await request.json());
      promotions = [];
      if (refusal) {
        return HttpResponse.json(
          {
            error: { name: 'ConflictError', message: refusal },
            response: { statusCode: 409 },
          },
          { status: 409 },
        );
      }
      const result: PromotionResult = {
        id: mine.id,
        kind: 'promotion',
        status: 'committed',
        entityRef: mine.entityRef,
        from: 'dev',
        to: 'staging',
        strategy: 'commit',
        message: 'Promoted fraud-scorer from dev to staging',
        files: [],
        diff: '',
        versions: mine.versions,
      };
      return HttpResponse.json(result);
    }),
  );
  return { counts, decisions };
}

function render(signalApi?: TestSignalApi) {
  return renderInTestApp(
    <TestApis signalApi={signalApi}>
      <ModelDeploymentsPage refreshIntervalMs={0} />
    </TestApis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const fleetTable = () =>
  screen.findByRole('table', { name: 'Model deployments by environment' });

describe('ModelDeploymentsPage approvals', () => {
  it('lists the promotions waiting for approval above the fleet', async () => {
    serve([mine, theirs]);
    await render();
    const section = await screen.findByRole('region', {
      name: 'Waiting for approval',
    });
    const table = await fleetTable();
    // Above the fleet: it comes first in the document.
    expect(
      section.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    const [, first, second] = within(section).getAllByRole('row');
    // The fleet's title once the fleet is loaded.
    await waitFor(() =>
      expect(
        within(first).getByRole('link', { name: 'Fraud scorer' }),
      ).toHaveAttribute('href', '/catalog/default/component/fraud-scorer'),
    );
    expect(first).toHaveTextContent('dev → staging');
    expect(first).toHaveTextContent('priya');
    expect(first).toHaveTextContent('fraud/v5');
    expect(first).toHaveTextContent('1 hour ago');
    expect(first).toHaveTextContent('in 23 hours');
    expect(first).toHaveTextContent('1 of 2 approvals');
    expect(
      within(first).getByRole('button', { name: 'Approve' }),
    ).toBeEnabled();
    expect(within(first).getByRole('button', { name: 'Reject' })).toBeEnabled();

    expect(
      within(second).getByRole('link', { name: 'Iris classifier' }),
    ).toHaveAttribute('href', '/catalog/default/component/iris-classifier');
    expect(second).toHaveTextContent('0 of 1 approval');
    expect(within(second).queryByRole('button')).not.toBeInTheDocument();
  });

  it('shows nothing when no promotion waits', async () => {
    const { counts } = serve([]);
    await render();
    await fleetTable();
    await waitFor(() => expect(counts.approvals).toBe(1));
    expect(
      screen.queryByRole('region', { name: 'Waiting for approval' }),
    ).not.toBeInTheDocument();
  });

  it('says when the approvals cannot be loaded and still shows the fleet', async () => {
    serve({ status: 500 });
    await render();
    const section = await screen.findByRole('region', {
      name: 'Waiting for approval',
    });
    expect(
      await within(section).findByText(/approvals store unavailable/),
    ).toHaveTextContent(
      'Cannot load the promotions waiting for approval: approvals store unavailable',
    );
    expect(await fleetTable()).toBeInTheDocument();
    expect(screen.getByText('3 of 3 models')).toBeInTheDocument();
  });

  it('approves from the fleet, then reloads the approvals and the fleet', async () => {
    const { counts, decisions } = serve([mine]);
    await render();
    const section = await screen.findByRole('region', {
      name: 'Waiting for approval',
    });
    await fleetTable();
    const fleetLoads = counts.fleet;
    await userEvent.click(
      within(section).getByRole('button', { name: 'Approve' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Approve promotion',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Comment/ }),
      'Ship it',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('region', { name: 'Waiting for approval' }),
      ).not.toBeInTheDocument(),
    );
    expect(decisions).toEqual([{ decision: 'approve', comment: 'Ship it' }]);
    expect(counts.fleet).toBeGreaterThan(fleetLoads);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(
      screen.getByText('Promoted fraud-scorer from dev to staging'),
    ).toBeInTheDocument();
  });

  it('reloads the approvals with the fleet', async () => {
    const { counts } = serve([mine]);
    await render();
    await screen.findByRole('region', { name: 'Waiting for approval' });
    await fleetTable();
    await waitFor(() => expect(counts.approvals).toBe(1));
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(counts.approvals).toBe(2));
    expect(counts.fleet).toBe(2);
  });

  it("reloads the approvals when the fleet's signals say promotions changed", async () => {
    const { counts } = serve([mine]);
    const signals = new TestSignalApi();
    await render(signals);
    await screen.findByRole('region', { name: 'Waiting for approval' });
    await fleetTable();
    // One subscription for the page: the approvals follow the fleet's.
    expect(signals.activeChannels()).toEqual([MODEL_DEPLOYMENTS_FLEET_CHANNEL]);
    act(() =>
      signals.publish(MODEL_DEPLOYMENTS_FLEET_CHANNEL, {
        changed: ['promotions'],
      }),
    );
    await waitFor(() => expect(counts.fleet).toBe(2));
    await waitFor(() => expect(counts.approvals).toBe(2));
  });
  it('reloads the approvals and the fleet when a decision is refused, keeping the refusal in view', async () => {
    const refusal =
      'This promotion is no longer waiting for approval: it is rejected';
    const { counts, decisions } = serve([mine], refusal);
    await render();
    const section = await screen.findByRole('region', {
      name: 'Waiting for approval',
    });
    await fleetTable();
    await waitFor(() => expect(counts.approvals).toBe(1));
    const fleetLoads = counts.fleet;
    await userEvent.click(
      within(section).getByRole('button', { name: 'Reject' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Reject promotion',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Comment/ }),
      'Not now',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );
    expect(await within(dialog).findByText(refusal)).toBeInTheDocument();
    expect(decisions).toEqual([{ decision: 'reject', comment: 'Not now' }]);
    // Reloaded as after a success: it no longer waits, so the section goes.
    await waitFor(() => expect(counts.approvals).toBe(2));
    expect(counts.fleet).toBeGreaterThan(fleetLoads);
    await waitFor(() =>
      expect(
        screen.queryByRole('region', {
          name: 'Waiting for approval',
          hidden: true,
        }),
      ).not.toBeInTheDocument(),
    );
    expect(
      screen.getByRole('dialog', { name: 'Reject promotion' }),
    ).toHaveTextContent(refusal);
  });

  it('hides Approve and Reject once the time to approve ran out while the page is open', async () => {
    const soon = pendingPromotion({
      approval: stagingApproval({ expiresAt: hoursFromNow(1.5) }),
    });
    const { counts } = serve([soon]);
    await render();
    const section = await screen.findByRole('region', {
      name: 'Waiting for approval',
    });
    await fleetTable();
    const [, row] = within(section).getAllByRole('row');
    expect(row).toHaveTextContent('in 1 hour');
    expect(within(row).getByRole('button', { name: 'Approve' })).toBeEnabled();

    // Three hours later the page refreshes; the backend has not expired it yet.
    const realNow = Date.now.bind(Date);
    const later = jest
      .spyOn(Date, 'now')
      .mockImplementation(() => realNow() + 3 * 3600 * 1000);
    try {
      await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
      await waitFor(() => expect(counts.approvals).toBe(2));
      await waitFor(() =>
        expect(
          within(section).queryByRole('button', { name: 'Approve' }),
        ).not.toBeInTheDocument(),
      );
      const [, expired] = within(section).getAllByRole('row');
      expect(expired).toHaveTextContent('expired 1 hour ago');
      expect(
        within(expired).queryByRole('button', { name: 'Reject' }),
      ).not.toBeInTheDocument();
    } finally {
      later.mockRestore();
    }
  });
});

import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import {
  EnvironmentFreeze,
  FleetResponse,
} from '@seed-mlops/plugin-model-deployments-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { fleetResponse } from '../../__fixtures__/data';
import { BASE_URL, TestApis, fleetPageHandlers } from '../../__testUtils__';
import { formatLocalTime } from '../../utils/format';
import { ModelDeploymentsPage } from './ModelDeploymentsPage';

const server = setupServer(...fleetPageHandlers);
registerMswTestHooks(server);

const freeze: EnvironmentFreeze = {
  reason: 'Black Friday',
  until: '2026-11-30T06:00:00Z',
};

function serveFleet(body: FleetResponse) {
  server.use(http.get(`${BASE_URL}/fleet`, () => HttpResponse.json(body)));
}

async function headers() {
  await renderInTestApp(
    <TestApis>
      <ModelDeploymentsPage refreshIntervalMs={0} />
    </TestApis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  const table = await screen.findByRole('table', {
    name: 'Model deployments by environment',
  });
  return within(table).getAllByRole('columnheader');
}

describe('freeze windows on the fleet page', () => {
  it("marks a frozen environment's column header with the reason and end time", async () => {
    serveFleet({
      ...fleetResponse,
      environments: fleetResponse.environments.map(status =>
        status.environment.name === 'production'
          ? { ...status, frozen: freeze }
          : status,
      ),
    });
    const [, dev, staging, production] = await headers();
    const name = `Frozen until ${formatLocalTime(freeze.until)}: Black Friday`;
    const chip = within(production).getByRole('img', { name });
    expect(chip).toHaveTextContent('Frozen');
    expect(chip).toHaveAttribute('title', name);
    for (const header of [dev, staging]) {
      expect(
        within(header).queryByRole('img', { name: /^Frozen/ }),
      ).not.toBeInTheDocument();
    }
  });

  it('marks no header when no environment is frozen', async () => {
    serveFleet(fleetResponse);
    const all = await headers();
    expect(all).toHaveLength(4);
    for (const header of all) {
      expect(
        within(header).queryByRole('img', { name: /^Frozen/ }),
      ).not.toBeInTheDocument();
      expect(header).not.toHaveTextContent('Frozen');
    }
  });
});

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  EntityDeploymentsResponse,
  EnvironmentFreeze,
  PromotionGateResult,
  PromotionRecord,
  PromotionResult,
  modelDeploymentsForcePromotePermission,
} from '@seed-mlops/plugin-model-deployments-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { entity, entityResponse, environments } from '../../__fixtures__/data';
import { BASE_URL, TestApis } from '../../__testUtils__';
import { formatLocalTime } from '../../utils/format';
import { EntityModelDeploymentsContent } from './EntityModelDeploymentsContent';

const server = setupServer();
registerMswTestHooks(server);

const freeze: EnvironmentFreeze = {
  reason: 'Holiday code freeze',
  until: '2026-12-27T08:00:00Z',
};
const until = formatLocalTime(freeze.until);
const chipName = `Frozen until ${until}: ${freeze.reason}`;

const gitops = { repoUrl: 'https://github.com/acme/ml-gitops.git' };

/** Every environment Ready and in Git; staging frozen unless told otherwise. */
function deploymentsWith(
  frozen?: EnvironmentFreeze,
): EntityDeploymentsResponse {
  return {
    ...entityResponse,
    environments: entityResponse.environments.map((e, index) => ({
      ...e,
      environment: { ...environments[index], gitops },
      deployments: e.deployments.map(d => ({ ...d, phase: 'Ready' as const })),
      ...(frozen && e.environment.name === 'staging' ? { frozen } : {}),
    })),
  };
}

const failingGate: PromotionGateResult = {
  name: 'error-rate',
  kind: 'metric',
  passed: false,
  value: '0.2',
  expected: 'at most 0.05',
  message: "error-rate of SeldonDeployment fraud-scorer in 'dev' is 0.2",
};

/** A promotion into staging that reached Git, to roll back to. */
const promoted: PromotionRecord = {
  id: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  kind: 'promotion',
  entityRef: 'component:default/fraud-scorer',
  from: 'dev',
  to: 'staging',
  strategy: 'commit',
  status: 'committed',
  actor: 'user:default/priya',
  createdAt: new Date().toISOString(),
  versions: ['gs://acme-models/fraud/v5'],
  message: 'Promoted fraud-scorer from dev to staging',
  commit: { sha: 'c0ffee0000000000000000000000000000000000' },
};

const forbidden =
  "You may not force a change into environment 'staging'; wait for the freeze to end";

const problem = (status: number, name: string, message: string) =>
  HttpResponse.json(
    { error: { name, message }, response: { statusCode: status } },
    { status },
  );

/**
 * The backend as far as changes into staging go: while `frozen`, dry runs
 * report it (and that they would be refused unless forced), and real
 * promotions and rollbacks are refused with 409 unless forced; a forced
 * request is forbidden unless `mayForce`.
 */
function serve(
  options: {
    frozen?: EnvironmentFreeze;
    gates?: PromotionGateResult[];
    mayForce?: boolean;
  } = {},
) {
  const { frozen, gates, mayForce = true } = options;
  const failed = gates?.filter(g => !g.passed).map(g => g.name) ?? [];
  const promotions: Array<Record<string, unknown>> = [];
  const rollbacks: Array<Record<string, unknown>> = [];
  server.use(
    http.get(`${BASE_URL}/deployments`, () =>
      HttpResponse.json(deploymentsWith(frozen)),
    ),
    http.get(`${BASE_URL}/promotions`, () =>
      HttpResponse.json({
        entityRef: 'component:default/fraud-scorer',
        promotions: [promoted],
      }),
    ),
    http.post(`${BASE_URL}/promotions`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      promotions.push(body);
      if (body.force && !mayForce)
        return problem(403, 'NotAllowedError', forbidden);
      const summary =
        'fraud-scorer (gs://acme-models/fraud/v5) from dev to staging';
      let message = `Would promote ${summary}`;
      if (frozen && !body.force) {
        message = `Would be refused: staging is frozen until ${frozen.until} (${frozen.reason}). Promote after that, or force it`;
      } else if (failed.length > 0) {
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
        ...(frozen ? { frozen } : {}),
      };
      if (body.dryRun) return HttpResponse.json(result);
      if (frozen && !body.force) {
        return problem(
          409,
          'ConflictError',
          `'staging' is frozen until ${frozen.until}: ${frozen.reason}. Wait until then, or force the promotion`,
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
    http.post(`${BASE_URL}/rollbacks`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      rollbacks.push(body);
      if (body.force && !mayForce)
        return problem(403, 'NotAllowedError', forbidden);
      const result: PromotionResult = {
        kind: 'rollback',
        status: 'dry-run',
        entityRef: 'component:default/fraud-scorer',
        from: 'staging',
        to: 'staging',
        strategy: 'commit',
        restored: { commit: promoted.commit!.sha, promotionId: promoted.id },
        message:
          frozen && !body.force
            ? `Would be refused: staging is frozen until ${frozen.until} (${frozen.reason}). Roll back after that, or force it`
            : 'Would roll back fraud-scorer in staging to c0ffee0',
        files: [
          {
            path: 'staging/SeldonDeployment-fraud-scorer.json',
            change: 'update',
          },
        ],
        diff: '--- a/x\n+++ b/x\n-v6\n+v5\n',
        versions: ['gs://acme-models/fraud/v5'],
        ...(frozen ? { frozen } : {}),
      };
      if (body.dryRun) return HttpResponse.json(result);
      if (frozen && !body.force) {
        return problem(
          409,
          'ConflictError',
          `'staging' is frozen until ${frozen.until}: ${frozen.reason}. Wait until then, or force the rollback`,
        );
      }
      return HttpResponse.json(
        {
          ...result,
          id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
          status: 'committed',
          message: 'Rolled back fraud-scorer in staging to c0ffee0',
          commit: { sha: 'beef000000000000000000000000000000000000' },
        },
        { status: 201 },
      );
    }),
  );
  return { promotions, rollbacks };
}

/** A policy that lets the user do all but force changes into staging. */
const mayNotForceIntoStaging = () =>
  mockApis.permission({
    authorize: request =>
      request.permission.name === modelDeploymentsForcePromotePermission.name &&
      request.resourceRef === 'staging:component:default/fraud-scorer'
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  });

function render(permissionApi?: ReturnType<typeof mockApis.permission>) {
  return renderInTestApp(
    <TestApis permissionApi={permissionApi}>
      <EntityProvider entity={entity}>
        <EntityModelDeploymentsContent refreshIntervalMs={0} />
      </EntityProvider>
    </TestApis>,
  );
}

/** Opens the promote dialog from dev to staging and waits for its dry run. */
async function openPromoteDialog(
  permissionApi?: ReturnType<typeof mockApis.permission>,
) {
  await render(permissionApi);
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

/** Opens the dialog rolling staging back to the promotion, after its dry run. */
async function openRollbackDialog(
  permissionApi?: ReturnType<typeof mockApis.permission>,
) {
  await render(permissionApi);
  const history = await screen.findByRole('region', { name: 'Promotions' });
  const button = await within(history).findByRole('button', {
    name: 'Roll back staging to c0ffee0',
  });
  await waitFor(() => expect(button).toBeEnabled());
  await userEvent.click(button);
  const dialog = await screen.findByRole('dialog', {
    name: 'Roll back Staging to c0ffee0',
  });
  await within(dialog).findByLabelText('Changes');
  return dialog;
}

const promoteDryRun = {
  entityRef: 'component:default/fraud-scorer',
  from: 'dev',
  to: 'staging',
  dryRun: true,
};
const rollbackDryRun = {
  entityRef: 'component:default/fraud-scorer',
  environment: 'staging',
  to: { promotionId: promoted.id },
  dryRun: true,
};

describe('freeze windows on the deployments tab', () => {
  it("marks a frozen environment's column with the reason and end time", async () => {
    serve({ frozen: freeze });
    await render();
    const staging = await screen.findByRole('region', { name: 'Staging' });
    const chip = within(staging).getByRole('img', { name: chipName });
    expect(chip).toHaveTextContent(`Frozen until ${until}`);
    expect(chip).toHaveAttribute('title', chipName);
    // In local time, not the ISO string the backend sends.
    expect(chip).not.toHaveTextContent(freeze.until);
    for (const title of ['Development', 'Production']) {
      const column = screen.getByRole('region', { name: title });
      expect(
        within(column).queryByRole('img', { name: /^Frozen/ }),
      ).not.toBeInTheDocument();
    }
    // The way into it says so before the dialog opens.
    const promote = within(
      screen.getByRole('region', { name: 'Development' }),
    ).getByRole('button', { name: 'Promote to Staging' });
    expect(promote).toHaveAttribute(
      'aria-description',
      `Staging: ${chipName}. Promoting needs force until then.`,
    );
  });

  it('shows no freeze anywhere when no environment is frozen', async () => {
    const { promotions } = serve();
    const dialog = await openPromoteDialog();
    expect(
      screen.queryByRole('img', { name: /^Frozen/ }),
    ).not.toBeInTheDocument();
    // (Behind the open dialog, so hidden from the accessibility tree.)
    expect(
      screen.getByRole('button', { name: 'Promote to Staging', hidden: true }),
    ).not.toHaveAttribute('aria-description');
    expect(within(dialog).queryByText(/is frozen/)).not.toBeInTheDocument();
    expect(within(dialog).queryByRole('checkbox')).not.toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Promote' }),
    ).toBeEnabled();
    expect(promotions).toEqual([promoteDryRun]);
  });
});

describe('promoting into a frozen environment', () => {
  it('says the target is frozen, why and until when, and disables Promote', async () => {
    const { promotions } = serve({ frozen: freeze });
    const dialog = await openPromoteDialog();
    const alert = within(dialog)
      .getByText('Staging is frozen')
      .closest('[role="alert"]') as HTMLElement;
    expect(alert).toHaveTextContent(
      `Until ${until}: Holiday code freeze. Promotions into it are refused until then, unless forced.`,
    );
    expect(
      within(dialog).getByText(
        `Would be refused: staging is frozen until ${freeze.until} (Holiday code freeze). Promote after that, or force it`,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Promote' }),
    ).toBeDisabled();
    expect(
      within(dialog).getByTitle(
        `Staging is frozen until ${until}: Holiday code freeze. Promote after that, or force the promotion.`,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('checkbox', { name: 'Force past the freeze' }),
    ).not.toBeChecked();
    expect(promotions).toEqual([promoteDryRun]);
  });

  it('re-runs the dry run forced when forcing is chosen, then promotes forced', async () => {
    const { promotions } = serve({ frozen: freeze });
    const dialog = await openPromoteDialog();
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'Force past the freeze' }),
    );
    expect(
      await within(dialog).findByText(
        'Would promote fraud-scorer (gs://acme-models/fraud/v5) from dev to staging',
      ),
    ).toBeInTheDocument();
    expect(promotions).toEqual([
      promoteDryRun,
      { ...promoteDryRun, force: true },
    ]);
    // Still frozen, and said so; but forced.
    expect(
      within(dialog).getByText(/Forcing the promotion past the freeze\./),
    ).toBeInTheDocument();
    const promote = within(dialog).getByRole('button', { name: 'Promote' });
    await waitFor(() => expect(promote).toBeEnabled());

    await userEvent.click(promote);
    expect(
      await within(dialog).findByText(
        'Promoted fraud-scorer from dev to staging',
      ),
    ).toBeInTheDocument();
    expect(promotions[2]).toEqual({
      entityRef: 'component:default/fraud-scorer',
      from: 'dev',
      to: 'staging',
      strategy: 'commit',
      force: true,
    });
  });

  it('offers one choice to force past both the freeze and failing gates', async () => {
    const { promotions } = serve({ frozen: freeze, gates: [failingGate] });
    const dialog = await openPromoteDialog();
    expect(
      within(dialog).getByTitle(
        `Staging is frozen until ${until}: Holiday code freeze. Promote after that, or force the promotion. Verification of Development failed: error-rate. Promote once the gates pass, or force the promotion.`,
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getAllByRole('checkbox')).toHaveLength(1);
    await userEvent.click(
      within(dialog).getByRole('checkbox', {
        name: 'Force past the freeze and failing gates',
      }),
    );
    const promote = within(dialog).getByRole('button', { name: 'Promote' });
    await waitFor(() => expect(promote).toBeEnabled());
    await userEvent.click(promote);
    await within(dialog).findByText(
      'Promoted fraud-scorer from dev to staging',
    );
    expect(promotions.map(p => p.force)).toEqual([undefined, true, true]);
  });

  it('disables forcing, saying why, for users who may not force into the target', async () => {
    const { promotions } = serve({ frozen: freeze, mayForce: false });
    const dialog = await openPromoteDialog(mayNotForceIntoStaging());
    const option = within(dialog).getByRole('checkbox', {
      name: 'Force past the freeze',
    });
    await waitFor(() => expect(option).toBeDisabled());
    expect(option).toHaveAccessibleDescription(
      'You may not force changes into Staging.',
    );
    expect(promotions).toEqual([promoteDryRun]);
    expect(
      within(dialog).getByRole('button', { name: 'Promote' }),
    ).toBeDisabled();
  });

  // A policy may allow by conditions the page cannot see; the backend decides.
  it("shows the backend's answer when the user may not force", async () => {
    const { promotions } = serve({ frozen: freeze, mayForce: false });
    const dialog = await openPromoteDialog();
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'Force past the freeze' }),
    );
    expect(await within(dialog).findByText(forbidden)).toBeInTheDocument();
    expect(promotions).toEqual([
      promoteDryRun,
      { ...promoteDryRun, force: true },
    ]);
    // The unforced preview stays, and so does the refusal.
    expect(
      within(dialog).getByRole('button', { name: 'Promote' }),
    ).toBeDisabled();
  });
});

describe('rolling back a frozen environment', () => {
  it('says the environment is frozen and disables Roll back until forced', async () => {
    const { rollbacks } = serve({ frozen: freeze });
    const dialog = await openRollbackDialog();
    const alert = within(dialog)
      .getByText('Staging is frozen')
      .closest('[role="alert"]') as HTMLElement;
    expect(alert).toHaveTextContent(
      `Until ${until}: Holiday code freeze. Rollbacks into it are refused until then, unless forced.`,
    );
    expect(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    ).toBeDisabled();
    expect(
      within(dialog).getByTitle(
        `Staging is frozen until ${until}: Holiday code freeze. Roll back after that, or force the rollback.`,
      ),
    ).toBeInTheDocument();
    expect(rollbacks).toEqual([rollbackDryRun]);

    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'Force past the freeze' }),
    );
    expect(
      await within(dialog).findByText(
        'Would roll back fraud-scorer in staging to c0ffee0',
      ),
    ).toBeInTheDocument();
    expect(rollbacks).toEqual([
      rollbackDryRun,
      { ...rollbackDryRun, force: true },
    ]);
    expect(
      within(dialog).getByText(/Forcing the rollback past the freeze\./),
    ).toBeInTheDocument();
    const rollBack = within(dialog).getByRole('button', { name: 'Roll back' });
    await waitFor(() => expect(rollBack).toBeEnabled());

    await userEvent.click(rollBack);
    expect(
      await within(dialog).findByText(
        'Rolled back fraud-scorer in staging to c0ffee0',
      ),
    ).toBeInTheDocument();
    expect(rollbacks[2]).toEqual({
      entityRef: 'component:default/fraud-scorer',
      environment: 'staging',
      to: { promotionId: promoted.id },
      strategy: 'commit',
      force: true,
      dryRun: false,
    });
  });

  it('disables forcing the rollback for users who may not force into the environment', async () => {
    const { rollbacks } = serve({ frozen: freeze, mayForce: false });
    const dialog = await openRollbackDialog(mayNotForceIntoStaging());
    const option = within(dialog).getByRole('checkbox', {
      name: 'Force past the freeze',
    });
    await waitFor(() => expect(option).toBeDisabled());
    expect(
      within(dialog).getByText('You may not force changes into Staging.'),
    ).toBeInTheDocument();
    expect(rollbacks).toEqual([rollbackDryRun]);
    expect(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    ).toBeDisabled();
  });

  it("keeps Roll back disabled when the user may not force, with the backend's answer", async () => {
    const { rollbacks } = serve({ frozen: freeze, mayForce: false });
    const dialog = await openRollbackDialog();
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'Force past the freeze' }),
    );
    expect(await within(dialog).findByText(forbidden)).toBeInTheDocument();
    expect(rollbacks).toEqual([
      rollbackDryRun,
      { ...rollbackDryRun, force: true },
    ]);
    expect(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    ).toBeDisabled();
  });

  it('offers no forcing when the environment is not frozen', async () => {
    const { rollbacks } = serve();
    const dialog = await openRollbackDialog();
    expect(within(dialog).queryByText(/is frozen/)).not.toBeInTheDocument();
    expect(within(dialog).queryByRole('checkbox')).not.toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    ).toBeEnabled();
    expect(rollbacks).toEqual([rollbackDryRun]);
  });
});

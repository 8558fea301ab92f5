import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';
import { pendingPromotion } from '../../__fixtures__/approvals';
import { ModelDeploymentsApi, modelDeploymentsApiRef } from '../../api';
import { useApprovalDialog } from './useApprovalDialog';

const promotion = pendingPromotion();

/** A list with one promotion, as PromotionsList and PendingApprovals use the hook. */
function Harness(props: { reload: () => void }) {
  const { decide, dialog } = useApprovalDialog(props.reload);
  return (
    <>
      <button type="button" onClick={() => decide(promotion, 'approve')}>
        Decide
      </button>
      {dialog}
    </>
  );
}

/** An API whose decisions wait until the test answers them. */
function pendingApi() {
  let settle: {
    resolve: (result: PromotionResult) => void;
    reject: (error: Error) => void;
  };
  const decideApproval = jest.fn(
    () =>
      new Promise<PromotionResult>((resolve, reject) => {
        settle = { resolve, reject };
      }),
  );
  const api: Partial<ModelDeploymentsApi> = { decideApproval };
  return {
    api,
    decideApproval,
    refuse: (error: Error) => settle.reject(error),
  };
}

async function render(api: Partial<ModelDeploymentsApi>, reload = jest.fn()) {
  await renderInTestApp(
    <TestApiProvider apis={[[modelDeploymentsApiRef, api]]}>
      <Harness reload={reload} />
    </TestApiProvider>,
  );
  return reload;
}

async function openDialog() {
  await userEvent.click(screen.getByRole('button', { name: 'Decide' }));
  return screen.findByRole('dialog', { name: 'Approve promotion' });
}

/** MUI closes a dialog on a click on the container around its paper. */
const backdropOf = (dialog: HTMLElement) => dialog.parentElement!;

const closed = () =>
  waitFor(() =>
    expect(
      screen.queryByRole('dialog', { name: 'Approve promotion' }),
    ).not.toBeInTheDocument(),
  );

describe('useApprovalDialog', () => {
  it('closes with Cancel, Escape or the backdrop while idle', async () => {
    const { api, decideApproval } = pendingApi();
    await render(api);

    let dialog = await openDialog();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await closed();

    dialog = await openDialog();
    await userEvent.keyboard('{Escape}');
    await closed();

    dialog = await openDialog();
    await userEvent.click(backdropOf(dialog));
    await closed();
    expect(decideApproval).not.toHaveBeenCalled();
  });

  it('cannot be closed while the decision is sent, then shows the refusal and reloads', async () => {
    const { api, decideApproval, refuse } = pendingApi();
    const reload = await render(api);
    const dialog = await openDialog();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    expect(decideApproval).toHaveBeenCalledWith(promotion.id, {
      decision: 'approve',
    });
    expect(within(dialog).getByRole('progressbar')).toBeInTheDocument();
    const cancel = within(dialog).getByRole('button', { name: 'Cancel' });
    expect(cancel).toBeDisabled();
    expect(
      within(dialog).getByRole('button', { name: 'Approve' }),
    ).toBeDisabled();

    await userEvent.keyboard('{Escape}');
    await userEvent.click(backdropOf(dialog));
    expect(
      screen.getByRole('dialog', { name: 'Approve promotion' }),
    ).toBeInTheDocument();

    act(() =>
      refuse(
        new Error(
          'This promotion is no longer waiting for approval: it is rejected',
        ),
      ),
    );
    expect(
      await within(dialog).findByText(
        'This promotion is no longer waiting for approval: it is rejected',
      ),
    ).toBeInTheDocument();
    // The list behind reloads, as after a success; the dialog stays.
    expect(reload).toHaveBeenCalledTimes(1);
    expect(dialog).toBeInTheDocument();
    await waitFor(() => expect(cancel).toBeEnabled());
    expect(within(dialog).queryByRole('progressbar')).not.toBeInTheDocument();
    await userEvent.click(cancel);
    await closed();
    expect(decideApproval).toHaveBeenCalledTimes(1);
  });
});

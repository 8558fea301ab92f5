import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import {
  PromotionResult,
  PromotionStatus,
} from '@seed-mlops/plugin-model-deployments-common';
import { pendingPromotion } from '../../__fixtures__/approvals';
import { ApprovalChoice } from './ApprovalDialog';
import { ApprovalOutcome } from './ApprovalOutcome';

const promotion = pendingPromotion();

const result = (
  status: PromotionStatus,
  message = `The backend's word on ${status}`,
): PromotionResult => ({
  id: promotion.id,
  kind: 'promotion',
  status,
  entityRef: promotion.entityRef,
  from: promotion.from,
  to: promotion.to,
  strategy: 'commit',
  message,
  files: [],
  diff: '',
  versions: promotion.versions,
});

async function renderOutcome(
  decision: ApprovalChoice,
  answer: PromotionResult,
) {
  await renderInTestApp(
    <ApprovalOutcome
      outcome={{ decision, result: answer }}
      onClose={() => {}}
    />,
  );
  return screen.findByRole('alert');
}

/** MUI's standard alert names its severity in a class. */
const SEVERITY_CLASS = {
  success: 'MuiAlert-standardSuccess',
  info: 'MuiAlert-standardInfo',
  warning: 'MuiAlert-standardWarning',
  error: 'MuiAlert-standardError',
};

describe('ApprovalOutcome', () => {
  it.each<[ApprovalChoice, PromotionStatus, keyof typeof SEVERITY_CLASS]>([
    // What the decision asked for.
    ['approve', 'committed', 'success'],
    ['approve', 'pending-approval', 'success'],
    ['reject', 'rejected', 'success'],
    // Accepted, but the promotion went elsewhere.
    ['approve', 'failed', 'error'],
    ['reject', 'failed', 'error'],
    ['approve', 'expired', 'warning'],
    ['approve', 'rejected', 'warning'],
    ['reject', 'committed', 'warning'],
    ['reject', 'expired', 'warning'],
    // Another approver's request is writing it.
    ['approve', 'running', 'info'],
  ])('says %s answered with %s as %s', async (decision, status, severity) => {
    const alert = await renderOutcome(decision, result(status));
    expect(alert).toHaveTextContent(`The backend's word on ${status}`);
    expect(alert).toHaveClass(SEVERITY_CLASS[severity]);
    const others = Object.entries(SEVERITY_CLASS).filter(
      ([other]) => other !== severity,
    );
    for (const [, className] of others) {
      expect(alert).not.toHaveClass(className);
    }
  });

  it.each<[ApprovalChoice, PromotionStatus, string]>([
    ['approve', 'pending-approval', 'Approved; still waiting'],
    ['approve', 'committed', 'Approved and promoted'],
    ['reject', 'rejected', 'Rejected'],
    ['approve', 'failed', 'The promotion failed'],
    ['approve', 'expired', 'The promotion is expired'],
    ['approve', 'rejected', 'The promotion is rejected'],
    ['reject', 'committed', 'The promotion is committed'],
  ])(
    'without a message, says what %s answered with %s means',
    async (decision, status, text) => {
      const alert = await renderOutcome(decision, result(status, ''));
      expect(alert).toHaveTextContent(text);
    },
  );
});

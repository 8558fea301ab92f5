// The backend plugin's own secret scan, over the responses of the real
// backend the actions are tested against.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { secretScanResults } from '@seed-mlops/plugin-model-deployments-backend/testUtils';

// Every response the actions got from the backend was scanned for the
// cluster token and Git credentials in its config; none may carry one.
afterAll(() => {
  if (secretScanResults.findings.length > 0) {
    throw new Error(
      `Responses carried secrets:\n${secretScanResults.findings.join('\n')}`,
    );
  }
});

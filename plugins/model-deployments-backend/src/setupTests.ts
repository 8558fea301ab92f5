import { secretScanResults } from './testUtils';

// Every response of every test backend in this file was scanned for the
// cluster tokens and Git credentials in its config; none may carry one.
afterAll(() => {
  if (secretScanResults.findings.length > 0) {
    throw new Error(
      `Responses carried secrets:\n${secretScanResults.findings.join('\n')}`,
    );
  }
});

import { secretScanResults } from './testUtils';

// Every response of every test backend in this file was scanned for the
// cluster tokens and Git credentials in its config; none may carry one.
afterAll(() => {
  expect(secretScanResults.findings).toEqual([]);
});

/**
 * Test helpers for backends that run the model-deployments plugin.
 *
 * @packageDocumentation
 */
export {
  scanResponsesForSecrets,
  secretScanResults,
  secretsInConfig,
} from './secretScan';
export type { SecretScanResults } from './secretScan';

/**
 * Frontend plugin showing Seldon and KServe model deployments per environment
 * on entity pages, an overview card and a fleet page.
 *
 * @packageDocumentation
 */

export {
  modelDeploymentsPlugin,
  EntityModelDeploymentsCard,
  EntityModelDeploymentsContent,
  ModelDeploymentsPage,
  ModelEnvironmentPickerFieldExtension,
} from './plugin';
export { rootRouteRef } from './routes';
export { isModelDeploymentsAvailable } from './conditions';
export {
  modelDeploymentsApiRef,
  ModelDeploymentsClient,
  type ModelDeploymentsApi,
} from './api';
export type { EntityModelDeploymentsContentProps } from './components/EntityModelDeploymentsContent';
export type { EntityModelDeploymentsCardProps } from './components/EntityModelDeploymentsCard';
export type { ModelDeploymentsPageProps } from './components/ModelDeploymentsPage';

export { ModelDeploymentsPage } from './ModelDeploymentsPage';
export type { ModelDeploymentsPageProps } from './ModelDeploymentsPage';

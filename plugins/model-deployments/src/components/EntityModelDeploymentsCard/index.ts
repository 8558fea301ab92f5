export { EntityModelDeploymentsCard } from './EntityModelDeploymentsCard';
export type { EntityModelDeploymentsCardProps } from './EntityModelDeploymentsCard';

export * from './ModelDeploymentsHttpClient';

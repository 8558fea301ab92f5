export { DemoDataBanner } from './DemoDataBanner';
export { FleetPage } from './FleetPage';

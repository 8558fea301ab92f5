export { DemoDataBanner } from './DemoDataBanner';

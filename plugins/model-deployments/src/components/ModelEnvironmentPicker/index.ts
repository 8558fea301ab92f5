export { ModelEnvironmentPicker } from './ModelEnvironmentPicker';

export { Age } from './Age';
export { DemoBanner } from './DemoBanner';
export { StatusChip } from './StatusChip';
export { VersionList } from './VersionList';
export { VisuallyHidden } from './VisuallyHidden';

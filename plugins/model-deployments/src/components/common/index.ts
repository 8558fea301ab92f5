export { Age } from './Age';
export { ChangeDiff } from './ChangeDiff';
export { CommitLine } from './CommitLine';
export { FreezeChip, describeFreeze } from './FreezeChip';
export { StatusChip } from './StatusChip';
export { SYNC_STATES, SyncChip } from './SyncChip';
export { VersionList } from './VersionList';
export { VisuallyHidden } from './VisuallyHidden';

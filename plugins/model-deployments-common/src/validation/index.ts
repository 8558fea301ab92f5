export * from './values';
export * from './gitops';
export * from './entityRefs';
export * from './schemas';

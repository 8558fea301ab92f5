export * from './values';
export * from './gitops';
export * from './entityRefs';
export * from './kubernetes';
export * from './schemas';

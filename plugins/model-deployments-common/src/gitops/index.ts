export * from './syncState';
export * from './commits';

export * from './syncState';

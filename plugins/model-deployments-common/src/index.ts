/**
 * Shared types, status normalizers and constants for the model-deployments plugins.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './constants';
export * from './signals';
export * from './normalizers';
export * from './labelSelector';
export * from './gitops';
export * from './permissions';
export * from './validation';
export * from './client';

/**
 * Why an environment (or one resource kind in it) could not be read.
 *
 * @public
 */
export type EnvironmentErrorType =
  | 'UNREACHABLE'
  | 'TIMEOUT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'RESOURCE_TYPE_MISSING'
  | 'UNKNOWN'
  /** The caller's permissions do not cover this environment. */
  | 'NOT_PERMITTED';

/**
 * A typed, per-environment error. It never contains credentials.
 *
 * @public
 */
export interface EnvironmentError {
  type: EnvironmentErrorType;
  message: string;
  /** The resource kind the error concerns, e.g. `serving.kserve.io/v1beta1 InferenceService`. */
  resourceKind?: string;
  /** HTTP status returned by the cluster, when there was one. */
  statusCode?: number;
}

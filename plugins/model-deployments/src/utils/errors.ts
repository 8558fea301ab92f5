import { ResponseError } from '@backstage/errors';
import {
  EnvironmentError,
  EnvironmentErrorType,
} from '@seed-mlops/plugin-model-deployments-common';

/** What to tell the user about one type of environment error. */
export interface EnvironmentErrorInfo {
  title: string;
  hint: string;
}

const ERROR_INFO: Record<EnvironmentErrorType, EnvironmentErrorInfo> = {
  UNREACHABLE: {
    title: 'Cluster unreachable',
    hint: 'Check that the cluster URL in the kubernetes configuration is right and that the Backstage backend can reach it (DNS, VPN, firewall, proxy).',
  },
  TIMEOUT: {
    title: 'Cluster timed out',
    hint: 'The cluster answered too slowly. Check its API server load and the network latency from the Backstage backend.',
  },
  UNAUTHORIZED: {
    title: 'Credentials rejected',
    hint: 'Check the service account token or auth provider configured for this cluster; it may have expired or been rotated.',
  },
  FORBIDDEN: {
    title: 'Access denied',
    hint: 'The identity the backend uses lacks RBAC permission here. Grant it get and list on the model-serving resources in this namespace.',
  },
  RESOURCE_TYPE_MISSING: {
    title: 'Resource types not installed',
    hint: 'The serving CRDs (SeldonDeployment, Seldon Core 2, KServe InferenceService) are not installed in this cluster; install them or stop reading these kinds here.',
  },
  UNKNOWN: {
    title: 'Could not read this environment',
    hint: 'Check the Backstage backend logs for details.',
  },
  NOT_PERMITTED: {
    title: 'Not permitted',
    hint: "Your Backstage permissions do not include this environment's deployments. Ask the model's owners or your platform team if you need them.",
  },
};

/** Title and "what to check" hint for an environment error. */
export function describeError(error: EnvironmentError): EnvironmentErrorInfo {
  return ERROR_INFO[error.type] ?? ERROR_INFO.UNKNOWN;
}

/** The backend's own message (it names the field or reason), else the error's. */
export function messageOf(error: Error): string {
  return (error as ResponseError).body?.error?.message ?? error.message;
}

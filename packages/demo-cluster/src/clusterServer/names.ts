import {
  DemoResourceType,
  NAMESPACES,
  isCustomResource,
} from '../resourceTypes';
import { status } from './statuses';

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * The API server's name validation and its message: a DNS-1123 label for
 * namespaces, a DNS-1123 subdomain for custom resources.
 */
export function nameProblem(type: DemoResourceType, name: string) {
  if (type === NAMESPACES) {
    return DNS_1123_LABEL.test(name)
      ? undefined
      : `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
  }
  if (!isCustomResource(type)) return undefined;
  return DNS_1123_SUBDOMAIN.test(name)
    ? undefined
    : `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
}

/** The 422 `Invalid` Status for a missing or malformed `metadata.name`. */
export function invalidName(
  type: DemoResourceType,
  name: string | undefined,
  problem: string,
) {
  return status(
    422,
    'Invalid',
    `${type.group ? `${type.kind}.${type.group}` : type.kind} "${
      name ?? ''
    }" is invalid: metadata.name: ${problem}`,
    {
      name: name ?? '',
      ...(type.group ? { group: type.group } : {}),
      kind: type.kind,
      causes: [
        {
          reason: problem.startsWith('Required')
            ? 'FieldValueRequired'
            : 'FieldValueInvalid',
          message: problem,
          field: 'metadata.name',
        },
      ],
    },
  );
}

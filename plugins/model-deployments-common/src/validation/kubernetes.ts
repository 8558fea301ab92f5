import {
  CommonValidatorFunctions,
  KubernetesValidatorFunctions,
} from '@backstage/catalog-model';

/*
 * The Kubernetes naming rules the model-deployments plugins check, in one
 * place: Backstage's validators where they are Kubernetes' rules, the
 * Kubernetes rule itself where they are not.
 */

// Kubernetes' IsDNS1123Subdomain: only the whole name is limited (253).
// Not CommonValidatorFunctions.isValidDnsSubdomain, which also limits each
// dot-separated part to 63 characters.
const DNS_1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Whether `value` is a DNS-1123 label, as namespace and environment names
 * must be: lower-case letters, digits and "-", starting and ending with a
 * letter or digit, at most 63 characters.
 *
 * @public
 */
export function isDns1123Label(value: string): boolean {
  return CommonValidatorFunctions.isValidDnsLabel(value);
}

/**
 * Whether `value` is a DNS-1123 subdomain, as the names of most Kubernetes
 * objects must be: DNS-1123 labels joined by ".", at most 253 characters.
 *
 * @public
 */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS_1123_SUBDOMAIN.test(value);
}

/**
 * Whether `value` is a resource kind as manifest file names
 * (`<Kind>-<name>.json`) take it: an upper-case letter, then letters and
 * digits, at most 63 characters.
 *
 * @public
 */
export function isManifestKind(value: string): boolean {
  // isValidKind also takes a lower-case first letter; kinds are UpperCamelCase.
  return (
    KubernetesValidatorFunctions.isValidKind(value) && /^[A-Z]/.test(value)
  );
}

/**
 * Whether `value` is a Kubernetes label key: an optional DNS-1123 subdomain
 * and "/", then a name of at most 63 letters, digits, "-", "_" and ".",
 * starting and ending with a letter or digit.
 *
 * @public
 */
export function isLabelKey(value: string): boolean {
  // Not KubernetesValidatorFunctions.isValidLabelKey: its prefix check limits
  // each dot-separated part to 63 characters, which Kubernetes does not.
  return CommonValidatorFunctions.isValidPrefixAndOrSuffix(
    value,
    '/',
    isDns1123Subdomain,
    KubernetesValidatorFunctions.isValidObjectName,
  );
}

/**
 * Whether `value` is a Kubernetes label value: empty, or at most 63 letters,
 * digits, "-", "_" and ".", starting and ending with a letter or digit.
 *
 * @public
 */
export function isLabelValue(value: string): boolean {
  return KubernetesValidatorFunctions.isValidLabelValue(value);
}

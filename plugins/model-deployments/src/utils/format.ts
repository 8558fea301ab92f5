import { ModelVersion } from '@seed-mlops/plugin-model-deployments-common';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/**
 * Formats a timestamp relative to now, e.g. "3 days ago" or "just now".
 * Returns undefined for a missing or unparsable timestamp.
 */
export function formatAge(
  timestamp: string | undefined,
  now: number = Date.now(),
): string | undefined {
  if (!timestamp) {
    return undefined;
  }
  const time = Date.parse(timestamp);
  if (Number.isNaN(time)) {
    return undefined;
  }
  const seconds = Math.round((time - now) / 1000);
  if (Math.abs(seconds) < 10) {
    return 'just now';
  }
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return relativeFormat.format(Math.trunc(seconds / size), unit);
    }
  }
  return undefined;
}

/** The full, locale-formatted timestamp shown on hover. */
export function formatTimestamp(timestamp: string): string {
  const time = new Date(timestamp);
  return Number.isNaN(time.getTime())
    ? timestamp
    : `${time.toLocaleString()} (${time.toISOString()})`;
}

/**
 * A timestamp in the user's local time, short enough for a chip, e.g.
 * "Dec 24, 2026, 6:00 PM"; the text as given when it cannot be parsed.
 */
export function formatLocalTime(timestamp: string): string {
  const time = new Date(timestamp);
  return Number.isNaN(time.getTime())
    ? timestamp
    : time.toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      });
}

/**
 * Shortens a model URI or image to its last path segments, keeping enough to
 * tell versions apart: `gs://acme-models/fraud/v3` becomes `fraud/v3`.
 */
export function shortenUri(uri: string, segments: number = 2): string {
  const withoutScheme = uri.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const parts = withoutScheme.split('/').filter(Boolean);
  if (parts.length <= segments) {
    return withoutScheme.replace(/\/+$/, '');
  }
  return parts.slice(-segments).join('/');
}

/** The full text of a version: the model URI, else the image. */
export function versionText(version: ModelVersion): string | undefined {
  return version.modelUri ?? version.image;
}

/** The short text of a version, for compact views. */
export function shortVersionText(version: ModelVersion): string | undefined {
  if (version.modelUri) {
    return shortenUri(version.modelUri);
  }
  if (version.image) {
    return shortenUri(version.image, 1);
  }
  return undefined;
}

/**
 * Turns a full entity ref into a short human form: `group:default/risk-ml`
 * becomes `risk-ml`, and other namespaces or kinds are kept.
 */
export function humanizeRef(ref: string, defaultKind = 'group'): string {
  const match = /^(?:([^:]+):)?(?:([^/]+)\/)?(.+)$/.exec(ref);
  if (!match) {
    return ref;
  }
  const [, kind, namespace, name] = match;
  const kindPart =
    kind && kind.toLocaleLowerCase('en-US') !== defaultKind ? `${kind}:` : '';
  const namespacePart =
    namespace && namespace !== 'default' ? `${namespace}/` : '';
  return `${kindPart}${namespacePart}${name}`;
}

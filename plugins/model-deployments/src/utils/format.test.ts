import { formatAge, formatLocalTime, humanizeRef, shortenUri } from './format';
import { describeError } from './errors';

describe('format', () => {
  const now = Date.parse('2026-11-10T12:00:00Z');

  it('formats ages', () => {
    expect(formatAge('2026-11-07T12:00:00Z', now)).toBe('3 days ago');
    expect(formatAge('2026-11-10T11:55:00Z', now)).toBe('5 minutes ago');
    expect(formatAge('2026-11-10T11:59:58Z', now)).toBe('just now');
    expect(formatAge('2026-11-10T10:00:00Z', now)).toBe('2 hours ago');
    expect(formatAge(undefined, now)).toBeUndefined();
    expect(formatAge('not a date', now)).toBeUndefined();
  });

  it('formats end times in local time, keeping what cannot be parsed', () => {
    const until = '2026-12-27T08:00:00Z';
    expect(formatLocalTime(until)).toBe(
      new Date(until).toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      }),
    );
    expect(formatLocalTime(until)).toMatch(/2026/);
    expect(formatLocalTime('not a date')).toBe('not a date');
  });

  it('shortens URIs to their last path segments', () => {
    expect(shortenUri('gs://acme-models/fraud/v3')).toBe('fraud/v3');
    expect(shortenUri('s3://bucket/a/b/c/model/')).toBe('c/model');
    expect(shortenUri('gs://bucket/v1')).toBe('bucket/v1');
    expect(shortenUri('ghcr.io/acme/recommender:1.2.0', 1)).toBe(
      'recommender:1.2.0',
    );
  });

  it('humanizes owner refs', () => {
    expect(humanizeRef('group:default/risk-ml')).toBe('risk-ml');
    expect(humanizeRef('group:finance/risk-ml')).toBe('finance/risk-ml');
    expect(humanizeRef('user:default/jane')).toBe('user:jane');
  });

  it('titles every error type', () => {
    expect(describeError({ type: 'UNREACHABLE', message: '' }).title).toBe(
      'Cluster unreachable',
    );
    expect(describeError({ type: 'TIMEOUT', message: '' }).title).toBe(
      'Cluster timed out',
    );
    expect(describeError({ type: 'UNAUTHORIZED', message: '' }).title).toBe(
      'Credentials rejected',
    );
    expect(describeError({ type: 'FORBIDDEN', message: '' }).title).toBe(
      'Access denied',
    );
    expect(
      describeError({ type: 'RESOURCE_TYPE_MISSING', message: '' }).title,
    ).toBe('Resource types not installed');
    expect(describeError({ type: 'UNKNOWN', message: '' }).title).toBe(
      'Could not read this environment',
    );
  });
});

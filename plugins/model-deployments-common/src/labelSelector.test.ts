import { matchesLabelSelector, parseLabelSelector } from './labelSelector';

describe('parseLabelSelector', () => {
  it.each([
    ['', []],
    ['app=fraud', [{ key: 'app', operator: 'Equals', value: 'fraud' }]],
    // An empty value is valid Kubernetes syntax: it matches the empty string.
    ['app=', [{ key: 'app', operator: 'Equals', value: '' }]],
    ['app==fraud', [{ key: 'app', operator: 'Equals', value: 'fraud' }]],
    ['tier!=canary', [{ key: 'tier', operator: 'NotEquals', value: 'canary' }]],
    [
      'env in (dev, staging),team notin (ops)',
      [
        { key: 'env', operator: 'In', values: ['dev', 'staging'] },
        { key: 'team', operator: 'NotIn', values: ['ops'] },
      ],
    ],
    [
      'seldon.restricted, !example.com/skip',
      [
        { key: 'seldon.restricted', operator: 'Exists' },
        { key: 'example.com/skip', operator: 'DoesNotExist' },
      ],
    ],
    [
      'backstage.io/kubernetes-id=fraud-scorer',
      [
        {
          key: 'backstage.io/kubernetes-id',
          operator: 'Equals',
          value: 'fraud-scorer',
        },
      ],
    ],
  ])('parses %j', (selector, expected) => {
    expect(parseLabelSelector(selector)).toEqual(expected);
  });

  it.each([
    ['a b', "cannot parse 'a b'"],
    ['app=has space', "cannot parse 'app=has space'"],
    ['-bad=x', "invalid label key '-bad'"],
    ['app=x,', 'empty requirement'],
    ['env in (dev,pr@d)', "invalid label value 'pr@d'"],
  ])('rejects %j', (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(message);
  });
});

describe('matchesLabelSelector', () => {
  const labels = { app: 'fraud', env: 'staging' };
  it.each([
    ['app=fraud', true],
    ['app=iris', false],
    ['app!=iris', true],
    ['missing!=x', true],
    ['env in (dev,staging)', true],
    ['env notin (dev,staging)', false],
    ['app', true],
    ['!app', false],
    ['app=fraud,env=prod', false],
    ['', true],
  ])('%j → %s', (selector, expected) => {
    expect(matchesLabelSelector(parseLabelSelector(selector), labels)).toBe(
      expected,
    );
  });
});

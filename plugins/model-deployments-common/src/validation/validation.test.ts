import {
  branchNameProblem,
  checkRequest,
  environmentCreationRequestSchema,
  gitopsTargetsOverlap,
  normalizeGitOpsPath,
  parseCatalogRef,
  promotionRequestSchema,
  quoteValue,
  repoUrlProblem,
} from '.';

/** Table rows titled by a cut copy of their value, so logs stay readable. */
const labelled = <T extends unknown[]>(rows: Array<[string, ...T]>) =>
  rows.map(([value, ...rest]) => [quoteValue(value), value, ...rest] as const);

describe('branchNameProblem', () => {
  // Expectations from `git check-ref-format --branch` (git 2.39).
  it.each(['main', 'release/2026-11', 'feature/a.b', 'x_y', 'v1.0'])(
    'accepts %j',
    branch => {
      expect(branchNameProblem(branch)).toBeUndefined();
    },
  );

  it.each(
    labelled([
      ['', /empty/],
      ['HEAD', /'HEAD' is not a branch name/],
      ['-x', /must not start with "-"/],
      ['main.lock', /not a valid branch name/],
      ['a//b', /not a valid branch name/],
      ['a..b', /not a valid branch name/],
      ['with space', /not a valid branch name/],
      ['x@{1}', /not a valid branch name/],
      ['a:b', /not a valid branch name/],
      ['a\\b', /not a valid branch name/],
      ['/main', /not a valid branch name/],
      ['main/', /not a valid branch name/],
      ['.hidden', /not a valid branch name/],
      ['a\u0000b', /not a valid branch name/],
      ['x'.repeat(201), /at most 200 characters/],
    ] as Array<[string, RegExp]>),
  )('refuses %s', (_label, branch, problem) => {
    expect(branchNameProblem(branch)).toMatch(problem);
  });
});

describe('normalizeGitOpsPath', () => {
  it.each([
    ['production', 'production'],
    ['/envs//production/', 'envs/production'],
    ['./envs/./dev', 'envs/dev'],
    ['', ''],
  ])('normalizes %j to %j', (path, normalized) => {
    expect(normalizeGitOpsPath(path)).toEqual({ path: normalized });
  });

  it.each(
    labelled([
      ['a\u0000b', /control characters/],
      ['a\nb', /control characters/],
      ['.GIT/hooks', /\.git/],
      ['envs/.git', /\.git/],
      ['envs/.Git/x', /\.git/],
      ['..', /inside the repository/],
      ['envs/../../x', /inside the repository/],
      ['envs\\prod', /"\/"/],
      ['x'.repeat(5000), /at most 200 characters/],
    ] as Array<[string, RegExp]>),
  )('refuses %s', (_label, path, problem) => {
    const result = normalizeGitOpsPath(path);
    expect('problem' in result && result.problem).toMatch(problem);
  });
});

describe('repoUrlProblem', () => {
  it.each([
    'https://github.com/acme/gitops',
    'http://127.0.0.1:7091/models.git',
  ])('accepts %j', url => {
    expect(repoUrlProblem(url)).toBeUndefined();
  });

  it.each(
    labelled([
      ['not a url', /is not a URL/],
      ['file:///etc/passwd', /only http\(s\)/],
      ['ssh://git@github.com/a/b', /only http\(s\)/],
      ['https://user:secret@github.com/a/b', /must not contain credentials/],
      ['https://token@github.com/a/b', /must not contain credentials/],
      ['https://github.com/a/b?x=1', /query or fragment/],
      [`https://github.com/${'a'.repeat(3000)}`, /at most 2048 characters/],
    ] as Array<[string, RegExp]>),
  )('refuses %s', (_label, url, problem) => {
    expect(repoUrlProblem(url)).toMatch(problem);
  });

  it('never repeats more than a short part of the value', () => {
    const problem = repoUrlProblem(`x${'y'.repeat(1000)}`)!;
    expect(problem.length).toBeLessThan(150);
  });
});

describe('gitopsTargetsOverlap', () => {
  const dev = {
    repoUrl: 'https://git.example.com/acme/models.git',
    path: 'dev',
  };
  it.each([
    [dev, { ...dev }, true],
    [dev, { ...dev, repoUrl: 'https://GIT.example.com/acme/models' }, true],
    [dev, { ...dev, repoUrl: 'https://git.example.com/acme/models/' }, true],
    [dev, { ...dev, path: 'dev/sub' }, true],
    [dev, { ...dev, path: '/dev/' }, true],
    [dev, { ...dev, path: '' }, true],
    [dev, { ...dev, branch: 'main' }, true],
    [
      dev,
      { ...dev, repoUrl: 'https://git.example.com/acme/mo%64els.git' },
      true,
    ],
    [
      dev,
      { ...dev, repoUrl: 'https://git.example.com//acme/Models.git' },
      true,
    ],
    [dev, { ...dev, path: 'dev2' }, false],
    [dev, { ...dev, path: 'staging' }, false],
    [dev, { ...dev, branch: 'release' }, false],
    [dev, { ...dev, repoUrl: 'https://git.example.com/acme/other.git' }, false],
  ])('%j and %j: %s', (a, b, overlap) => {
    expect(gitopsTargetsOverlap(a, b)).toBe(overlap);
    expect(gitopsTargetsOverlap(b, a)).toBe(overlap);
  });
});

describe('parseCatalogRef', () => {
  it('parses what the catalog accepts', () => {
    expect(parseCatalogRef('component:default/iris-classifier')).toEqual({
      ref: { kind: 'component', namespace: 'default', name: 'iris-classifier' },
    });
    expect(parseCatalogRef('risk-ml', { defaultKind: 'group' })).toEqual({
      ref: { kind: 'group', namespace: 'default', name: 'risk-ml' },
    });
  });

  it.each(
    labelled([
      ['iris', /not an entity ref/],
      ['component:default/a b', /not a valid entity name/],
      ['component:default/../x', /not a valid entity name/],
      ['component:default/a\nb', /not a valid entity name/],
      ['component:de fault/x', /not a valid entity namespace/],
      ['comp onent:default/x', /not a valid entity kind/],
      [`component:default/${'x'.repeat(90_000)}`, /not a valid entity name/],
    ] as Array<[string, RegExp]>),
  )('refuses %s', (_label, value, problem) => {
    const parsed = parseCatalogRef(value);
    expect('problem' in parsed && parsed.problem).toMatch(problem);
    expect('problem' in parsed && parsed.problem.length).toBeLessThan(200);
  });
});

describe('quoteValue', () => {
  it('quotes short values and cuts long ones', () => {
    expect(quoteValue('a\nb')).toBe('"a\\nb"');
    expect(quoteValue('x'.repeat(90_000))).toBe(
      `"${'x'.repeat(80)}"… (90000 characters)`,
    );
  });
});

describe('the request schemas', () => {
  const environment = {
    name: 'qa',
    cluster: 'demo',
    stage: 15,
    gitops: { repoUrl: 'https://github.com/acme/gitops', path: '/envs//qa/' },
  };

  it('normalize the GitOps path', () => {
    expect(checkRequest(environmentCreationRequestSchema, environment)).toEqual(
      {
        data: {
          ...environment,
          gitops: { ...environment.gitops, path: 'envs/qa' },
        },
      },
    );
  });

  it.each([
    [{ ...environment, name: 'QA!' }, /^name: "QA!" is not a DNS-1123 label/],
    [{ ...environment, stage: 'x' }, /^stage: stage must be a number$/],
    [
      { ...environment, gitops: { ...environment.gitops, branch: 'HEAD' } },
      /^gitops\.branch: 'HEAD' is not a branch name$/,
    ],
    [
      { ...environment, gitops: { ...environment.gitops, path: '/' } },
      /^gitops\.path: must be a folder inside the repository/,
    ],
    [
      {
        ...environment,
        ownerGroups: ['group:default/risk-ml', 'user:default/x'],
      },
      /^ownerGroups\.1: "user:default\/x" is not a group ref$/,
    ],
    [{ ...environment, title: 'a\nb' }, /^title: title must be one line/],
    [
      { ...environment, extra: 1, other: 2 },
      /^unknown fields "extra", "other"$/,
    ],
    [
      { ...environment, name: 'x'.repeat(90_000) },
      /^name: "x{80}"… \(90000 characters\) is not a DNS-1123 label/,
    ],
  ])('refuse %# naming the field', (input, problem) => {
    const checked = checkRequest(environmentCreationRequestSchema, input);
    expect('problem' in checked && checked.problem).toMatch(problem);
  });

  it('refuse a promotion with a malformed ref or replicas, naming each field', () => {
    const checked = checkRequest(promotionRequestSchema, {
      entityRef: 'component:default/a b',
      to: 'production',
      overrides: { replicas: 1e9 },
    });
    expect('problem' in checked && checked.problem).toBe(
      'entityRef: "a b" is not a valid entity name (letters, digits, "-", "_" and ".", at most 63); overrides.replicas: replicas must be at most 1000',
    );
  });
});

import { parseManifestFile, parseManifests } from './parseManifests';

describe('parseManifests', () => {
  it('reads several documents and List kinds, and skips what is not a manifest', () => {
    const { manifests, errors } = parseManifests([
      {
        path: 'dev/models.yaml',
        content:
          'apiVersion: mlops.seldon.io/v1alpha1\nkind: Model\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: mlops.seldon.io/v1alpha1\n    kind: Model\n    metadata:\n      name: b\n',
      },
      {
        path: 'dev/kustomization.yaml',
        content: 'resources:\n  - models.yaml\n',
      },
      { path: 'dev/README.md', content: '# dev\n' },
    ]);
    expect(errors).toEqual([]);
    expect(manifests.map(m => m.object.metadata?.name)).toEqual(['a', 'b']);
  });

  it('refuses a YAML alias bomb as a file error instead of expanding it', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'kind: Model',
      'metadata: {name: bomb}',
    ].join('\n');
    const parsed = parseManifestFile({
      path: 'dev/Model-bomb.yaml',
      content: bomb,
    });
    expect(parsed.manifests).toEqual([]);
    expect(parsed.error).toEqual({
      path: 'dev/Model-bomb.yaml',
      message: expect.stringMatching(/alias/i),
    });
  });

  it('reports malformed JSON with the parser message', () => {
    expect(
      parseManifestFile({
        path: 'dev/SeldonDeployment-x.json',
        content: '{"kind": ',
      }),
    ).toEqual({
      manifests: [],
      error: {
        path: 'dev/SeldonDeployment-x.json',
        message: expect.any(String),
      },
    });
  });
});

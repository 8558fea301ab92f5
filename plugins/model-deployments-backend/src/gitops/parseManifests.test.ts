import {
  indexManifests,
  manifestFor,
  parseManifestFile,
  parseManifests,
} from './parseManifests';
import fs from 'fs';
import path from 'path';

const CORPUS = path.resolve(
  __dirname,
  '../../../model-deployments-common/src/normalizers/__fixtures__/corpus',
);

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

  it('reports malformed JSON with the parser message and the line', () => {
    expect(
      parseManifestFile({
        path: 'dev/SeldonDeployment-x.json',
        content: '{"kind": ',
      }),
    ).toEqual({
      manifests: [],
      error: {
        path: 'dev/SeldonDeployment-x.json',
        message: expect.stringMatching(/ \(line 1, column 10\)$/),
        line: 1,
      },
    });
  });

  /** A published file of the corpus, as Git would hold it: without our header lines. */
  const published = (file: string) =>
    fs
      .readFileSync(path.join(CORPUS, file), 'utf8')
      .replace(/^(# [^\n]*\n)+/, '');

  it.each([
    // Two Models joined without `---` (Seldon's k8s-examples.md): the second
    // `apiVersion` at line 10 repeats a key of the first document.
    [
      'model/two-models-no-document-separator.yaml',
      /^Map keys must be unique \(line 10, column 1\)$/,
      10,
    ],
    // KServe's torchserve docs print a trailing comma after the last
    // traffic entry; the `]` on line 18 is where JSON expected a value.
    [
      'inferenceservice/components-only-promoted-trailing-comma.json',
      /\(line 18, column 9\)$/,
      18,
    ],
  ])(
    'names the line of the parse error in published %s',
    (file, message, line) => {
      const parsed = parseManifestFile({
        path: `dev/${path.basename(file)}`,
        content: published(file),
      });
      expect(parsed.manifests).toEqual([]);
      expect(parsed.error).toEqual({
        path: `dev/${path.basename(file)}`,
        message: expect.stringMatching(message),
        line,
      });
      // One clean sentence: no excerpt, no dangling colon.
      expect(parsed.error!.message).not.toMatch(/\n|:$/);
    },
  );
});

describe('manifestFor', () => {
  const manifest = (name: string, namespace?: string) => ({
    path: `${namespace ?? 'none'}/${name}.yaml`,
    object: {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name, ...(namespace ? { namespace } : {}) },
    },
  });
  const live = (name: string, namespace: string) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, namespace },
  });

  it('keeps objects of the same name in two namespaces of a whole-cluster environment apart', () => {
    const index = indexManifests([
      manifest('sklearn', 'default'),
      manifest('sklearn', 'seldon-system'),
    ]);
    const cluster = {};
    expect(manifestFor(index, live('sklearn', 'default'), cluster)?.path).toBe(
      'default/sklearn.yaml',
    );
    expect(
      manifestFor(index, live('sklearn', 'seldon-system'), cluster)?.path,
    ).toBe('seldon-system/sklearn.yaml');
    expect(manifestFor(index, live('sklearn', 'other'), cluster)).toBe(
      undefined,
    );
  });

  it("places a manifest without a namespace in the environment's namespace", () => {
    const index = indexManifests([manifest('sklearn')]);
    expect(
      manifestFor(index, live('sklearn', 'dev'), { namespace: 'dev' })?.path,
    ).toBe('none/sklearn.yaml');
    expect(
      manifestFor(index, live('sklearn', 'staging'), { namespace: 'dev' }),
    ).toBe(undefined);
    // A whole cluster: the API server's default namespace.
    expect(manifestFor(index, live('sklearn', 'default'), {})?.path).toBe(
      'none/sklearn.yaml',
    );
    expect(manifestFor(index, live('sklearn', 'kserve'), {})).toBe(undefined);
  });

  it('tells API groups apart', () => {
    const index = indexManifests([manifest('sklearn', 'dev')]);
    expect(
      manifestFor(
        index,
        {
          apiVersion: 'serving.kubeflow.org/v1beta1',
          kind: 'InferenceService',
          metadata: { name: 'sklearn', namespace: 'dev' },
        },
        { namespace: 'dev' },
      ),
    ).toBe(undefined);
  });
});

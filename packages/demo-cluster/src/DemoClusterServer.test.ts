import { DemoClusterServer } from './DemoClusterServer';

const sdep = (
  name: string,
  namespace: string,
  labels: Record<string, string> = {},
) => ({
  apiVersion: 'machinelearning.seldon.io/v1',
  kind: 'SeldonDeployment',
  metadata: { name, namespace, labels },
  spec: { predictors: [] },
});

/** Reads newline-delimited watch events until `count` arrived. */
async function readEvents(response: Response, count: number) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: any[] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    events.push(
      ...lines.filter(line => line.trim()).map(line => JSON.parse(line)),
    );
  }
  await reader.cancel();
  return events;
}

describe('DemoClusterServer', () => {
  let cluster: DemoClusterServer;
  let url: string;
  const auth = { headers: { Authorization: 'Bearer t0ken' } };
  const path =
    '/apis/machinelearning.seldon.io/v1/namespaces/dev/seldondeployments';

  beforeEach(async () => {
    cluster = new DemoClusterServer({
      token: 't0ken',
      forbiddenNamespaces: ['secret'],
    });
    cluster.apply([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'dev', labels: { 'seldon.restricted': 'false' } },
      },
      sdep('iris', 'dev', { app: 'iris' }),
      sdep('fraud', 'dev', { app: 'fraud' }),
      sdep('iris', 'staging', { app: 'iris' }),
    ]);
    url = await cluster.start();
  });
  afterEach(() => cluster.stop());

  it('listens on loopback only', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lists a namespace with a label selector', async () => {
    const res = await fetch(`${url}${path}?labelSelector=app%3Diris`, auth);
    expect(res.status).toBe(200);
    const list = await res.json();
    expect(list.kind).toBe('SeldonDeploymentList');
    expect(
      list.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`),
    ).toEqual(['dev/iris']);
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('lists across namespaces and gets one object', async () => {
    const all = await (
      await fetch(
        `${url}/apis/machinelearning.seldon.io/v1/seldondeployments`,
        auth,
      )
    ).json();
    expect(all.items).toHaveLength(3);
    const one = await fetch(`${url}${path}/fraud`, auth);
    expect((await one.json()).metadata.labels).toEqual({ app: 'fraud' });
    expect((await fetch(`${url}${path}/nope`, auth)).status).toBe(404);
  });

  it('answers 403 to the anonymous user, 401 for a wrong token, 403 for a forbidden namespace and 404 for a missing CRD', async () => {
    // Without credentials a request is anonymous, and RBAC denies it.
    const anonymous = await fetch(`${url}${path}`);
    expect(anonymous.status).toBe(403);
    expect((await anonymous.json()).message).toContain(
      'User "system:anonymous" cannot list resource "seldondeployments"',
    );
    expect(
      (
        await fetch(`${url}${path}`, {
          headers: { Authorization: 'Bearer wrong' },
        })
      ).status,
    ).toBe(401);
    const forbidden = await fetch(
      `${url}/apis/machinelearning.seldon.io/v1/namespaces/secret/seldondeployments`,
      auth,
    );
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).reason).toBe('Forbidden');
    const missing = await fetch(
      `${url}/apis/argoproj.io/v1alpha1/namespaces/dev/rollouts`,
      auth,
    );
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('404 page not found\n');
    expect(
      (await fetch(`${url}${path}?labelSelector=a%20b`, auth)).status,
    ).toBe(400);
  });

  it('creates namespaces and RoleBindings as an API server would', async () => {
    const post = (target: string, body: unknown) =>
      fetch(`${url}${target}`, {
        method: 'POST',
        headers: { ...auth.headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'qa', labels: { 'seldon.restricted': 'false' } },
    };
    const created = await post('/api/v1/namespaces', namespace);
    expect(created.status).toBe(201);
    expect((await created.json()).metadata).toMatchObject({
      name: 'qa',
      labels: { 'seldon.restricted': 'false' },
      uid: expect.any(String),
    });
    const again = await post('/api/v1/namespaces', namespace);
    expect(again.status).toBe(409);
    expect((await again.json()).reason).toBe('AlreadyExists');

    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'owners' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'edit',
      },
      subjects: [
        {
          kind: 'Group',
          name: 'risk-ml',
          apiGroup: 'rbac.authorization.k8s.io',
        },
      ],
    };
    const rolebindings =
      '/apis/rbac.authorization.k8s.io/v1/namespaces/qa/rolebindings';
    expect((await post(rolebindings, binding)).status).toBe(201);
    const read = await fetch(`${url}${rolebindings}/owners`, auth);
    expect((await read.json()).subjects).toEqual(binding.subjects);

    // A namespace that does not exist, a bad name, a mismatched kind, RBAC.
    expect(
      (
        await post(
          '/apis/rbac.authorization.k8s.io/v1/namespaces/nope/rolebindings',
          binding,
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await post('/api/v1/namespaces', {
          ...namespace,
          metadata: { name: 'Not_A_Label' },
        })
      ).status,
    ).toBe(422);
    expect((await post('/api/v1/namespaces', binding)).status).toBe(400);
    expect(
      (
        await post('/api/v1/namespaces', {
          ...namespace,
          metadata: { name: 'secret' },
        })
      ).status,
    ).toBe(403);
    expect(cluster.requestCounts.create).toBe(2);
  });

  it('streams changes from a resource version and drops objects that stop matching', async () => {
    const list = await (
      await fetch(`${url}${path}?labelSelector=app%3Diris`, auth)
    ).json();
    const watch = await fetch(
      `${url}${path}?watch=true&labelSelector=app%3Diris&resourceVersion=${list.metadata.resourceVersion}`,
      auth,
    );
    cluster.apply([
      sdep('iris', 'dev', { app: 'iris', v: '2' }),
      sdep('fraud', 'dev', { app: 'fraud', v: '2' }),
    ]);
    cluster.apply([sdep('iris', 'dev', { app: 'other' })]);
    const events = await readEvents(watch, 2);
    expect(
      events.map(e => [
        e.type,
        e.object.metadata.name,
        e.object.metadata.labels.v,
      ]),
    ).toEqual([
      ['MODIFIED', 'iris', '2'],
      ['DELETED', 'iris', undefined],
    ]);
  });

  it('answers 410 Gone for a compacted resource version', async () => {
    cluster.store.compact();
    cluster.apply([sdep('late', 'dev')]);
    const watch = await fetch(`${url}${path}?watch=1&resourceVersion=1`, auth);
    const [event] = await readEvents(watch, 1);
    expect(event).toMatchObject({
      type: 'ERROR',
      object: { code: 410, reason: 'Expired' },
    });
  });

  it('sends bookmarks when asked, once the kind changed after the watch began', async () => {
    cluster.options.bookmarkIntervalMs = 20;
    const watch = await fetch(
      `${url}${path}?watch=1&resourceVersion=${cluster.store.currentRevision}&allowWatchBookmarks=true`,
      auth,
    );
    // Another kind: the watched kind's cache does not move, no bookmark.
    cluster.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'later' } },
    ]);
    await new Promise(resolve => setTimeout(resolve, 100));
    // The watched kind, elsewhere: nothing for this watch but a newer
    // resourceVersion, which the bookmark carries.
    cluster.apply([sdep('fraud', 'staging', { app: 'fraud' })]);
    const [event] = await readEvents(watch, 1);
    expect(event.type).toBe('BOOKMARK');
    expect(event.object.metadata.resourceVersion).toBe(
      String(cluster.store.currentRevision),
    );
  });
});

// The report's "How" section: what each phase measures and how, and what the
// run did not measure. Sizes come from the results where they vary.
const PHASES = {
  compare: 'entity view, 1 demo cluster',
  pages: '50 pages open',
  fleet: 'fleet API',
  cache: 'watch cache memory and cold sync',
  clusters2: '2 clusters',
  clusters6: '6 clusters',
  real: 'real kube-apiserver',
  render: 'fleet page in Chromium',
};

export function METHOD(r) {
  const sample = r.compare?.sample ?? r.real?.sample ?? '?';
  const missing = Object.entries(PHASES)
    .filter(([key]) => !r[key])
    .map(([, title]) => title);
  const failed = r.run.failed ?? [];
  return `## How it was measured

All on 127.0.0.1; every process the run starts is stopped at its end. Each
phase has a deadline and stops itself; a phase that fails or runs out of time
is reported as not measured and the others still run.

- **Data** (\`seed.mjs\`): 2,000 models × \`dev\`, \`staging\`, \`production\` =
  6,000 SeldonDeployments, generated round robin from the 11 real
  SeldonDeployments of \`examples/cluster\` (the published Seldon Core v1 shape
  with the status its operator writes), renamed and labelled
  \`backstage.io/kubernetes-id: <model>\` so that both plugins find them. The
  catalog: 2,000 Components (\`spec.type: model\`, annotation
  \`backstage.io/kubernetes-id\`) in a generated file added through
  \`catalog.locations\` (type \`file\`), plus \`examples/org.yaml\` for the users.
- **Cluster**: a standalone \`DemoClusterServer\` (\`packages/demo-cluster\`,
  the server the example backend embeds) in its own process (\`cluster.ts\`),
  so that serving the Kubernetes plugin's lists does not run on the backend's
  event loop, as with a real cluster. It serves only namespaces, RoleBindings
  and the model-serving kinds: the Kubernetes plugin's 13 built-in object types
  (pods, services, deployments, …) are answered \`404 page not found\`, which the
  plugin reports as \`NOT_FOUND\` errors; on the real kube-apiserver they are
  empty lists. The number of requests is the same.
- **Round trip** (\`delay-proxy.mjs\`): every cluster entry's URL is a loopback
  proxy that holds each request half the round trip and each response chunk
  the other half (watch events included), and counts the requests by kind.
  The round trip is switched between 0 and 30 ms on the running backend.
- **Backend**: the example backend (\`packages/backend\`) as a plain process
  with Backstage's transpiling loader, as \`scripts/scale-out\` runs it, on
  \`app-config.yaml\` plus a generated config (\`backend-config.mjs\`): its port,
  a static external-access token (the *service* caller), the catalog file, the
  cluster entries, the environments, no GitOps, the embedded demo cluster and
  namespace discovery off. The \`kubernetes.customResources\` of
  \`app-config.yaml\` (the five model-serving kinds) stay, so the Kubernetes
  plugin's tab fetches what it fetches in the example portal.
  \`NODE_ENV=development\` (the guest sign-in needs it), so the other
  plugins' JSON answers are pretty-printed: their decoded sizes are larger
  than in production, the gzip sizes hardly. This suite's read views are
  compact in every mode. The comparison runs with \`permission.enabled: false\` for both
  plugins, because the example policy denies users the Kubernetes plugin's
  routes; the fleet phase runs with the example policy.
- **Entity view** (\`compare.mjs\`): a warm-up on other entities, then
  ${sample} entities spread over the 2,000; for each entity, at each round
  trip (switched per entity, the order rotating) and for each caller, the
  three routes and the reference one after another (the order rotating), one
  request at a time, each timed from its start to the last byte (keep-alive,
  gzip). Every answer is checked: ours has the model's deployment in all
  three environments, the Kubernetes plugin's has its three
  SeldonDeployments. Cluster requests per view are the proxies' counters read
  before and after each request (the cache's \`/version\` probes left out).
  What the routes do: ours looks the entity up in the catalog with the
  caller's credentials and reads the watch cache; \`/services/:name\` lists
  each of its 13 built-in types and 5 custom resources by label selector,
  cluster-wide, in every cluster; the custom query looks the entity up and
  lists SeldonDeployments in every cluster. The reference is the catalog's
  \`GET /entities/by-name\` for the same entity. The SQLite catalog is kept in
  the work directory, so the 2- and 6-cluster and real backends reuse it.
- **50 pages** (\`pages.mjs\`): 50 clients on 50 models, each refreshing as its
  page does: this suite's tab every 30 s (\`refreshIntervalSeconds\`; with
  signals, as the example portal has, it does not poll at all), the
  Kubernetes plugin's tab every 10 s (the default interval of
  \`useKubernetesObjects\`); the cluster requests per minute at the proxies,
  background included.
- **Fleet API** (\`fleet.mjs\`): 1,000 models × \`dev\`, \`test\`, \`staging\`,
  \`production\` (4,000 SeldonDeployments), the example policy with
  \`production\` restricted and the models owned by the guest's group, so the
  guest reads all four; \`GET /fleet\` after a warm-up, checked to hold every
  model in every environment.
- **Cache** (\`cache-memory.ts\`, \`node --expose-gc\`): the backend's own
  \`ModelResourceCache\` and \`KubernetesProxyClusterClient\` from the workspace
  against a demo cluster of 10,000 SeldonDeployments (2,000 in each of 5
  namespaces; 30 informers for the six kinds), through a delay proxy standing
  in for the Kubernetes plugin's \`/proxy\` (that in-process hop is not in these
  numbers). Memory: heap used after full GCs with everything cached minus the
  same with an empty namespace cached, divided by the objects. Cold sync:
  from \`watch()\` on every environment to every informer's first list done.
- **Multi-cluster**: the same 2,000 models on 2 clusters (dev and staging on
  the first, production on the second) and on 6 (one environment on each of
  the first three; the other three hold 2,000 SeldonDeployments of other
  models), each a demo cluster behind its own proxy.
- **Real kube-apiserver**: etcd 3.6 and kube-apiserver 1.37
  (\`scripts/kube-apiserver.sh\`, built from Go modules and cached) with the
  published CRDs, seeded with the same 6,000 objects through \`seedCluster\`
  (create, then \`/status\`); both plugins use its admin token, since the
  Kubernetes plugin lists cluster-wide.
- **Fleet page** (\`render.mjs\`): the example app built for production into the
  work directory, served with the API on one origin (\`render-server.mjs\`),
  loaded in Debian's Chromium through Playwright; the time from the fleet
  answer's arrival (Resource Timing \`responseEnd\`) to the first animation
  frame in which the count says every model and the table holds its first
  page (50 models, the page's default), over reloads after signing in.

## Not measured

${[
  ...missing.map(
    m =>
      `- ${m}: not in this run${
        failed.length ? ' (see the failed phases below)' : ''
      }.`,
  ),
  ...failed.map(f => `- Failed or timed out: ${f}.`),
  '- The entity view with the example policy at the seeded scale (2,000 × 3): the policy denies users the Kubernetes plugin, so that comparison runs without permissions; this suite alone is measured with the policy at 1,000 × 4 (the fleet backend).',
  "- The backend's own heap per cached resource: it has no route that reports `process.memoryUsage`, so the cache is measured in a process of its own.",
  "- Cold sync through the Kubernetes plugin's proxy inside a backend (the extra in-process hop), and on the real kube-apiserver.",
  '- Page views per second under concurrency (every request here is one at a time, except the 50 pages).',
].join('\n')}
`;
}

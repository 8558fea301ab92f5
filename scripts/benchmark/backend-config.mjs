// Writes the config the benchmark lays over the repository's app-config.yaml
// for the example backend (packages/backend): its port, a static service
// token, the generated catalog, the clusters (each entry's URL is a delay
// proxy), the environments, the permission setup, the embedded demo cluster
// and namespace discovery off.
//
//   node backend-config.mjs OUT.yaml --port P --catalog FILE
//     --clusters name=url,name=url --environments env=cluster[:namespace],...
//     --service-token T [--permission off|policy] [--restricted production]
//     [--work DIR] [--app-origin URL]
//
// --permission off: `permission.enabled: false`, both plugins unchecked.
// --permission policy: the example portal's policy (modelDeploymentsPolicy.ts),
// which denies users the Kubernetes plugin's routes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';

const REPO = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    catalog: { type: 'string' },
    clusters: { type: 'string' },
    environments: { type: 'string' },
    'service-token': { type: 'string' },
    'cluster-token': { type: 'string', default: 'bench-cluster-token' },
    permission: { type: 'string', default: 'off' },
    restricted: { type: 'string', default: '' },
    work: { type: 'string' },
    // The origin the app is served from, when not the backend (render phase).
    'app-origin': { type: 'string' },
  },
});
const [out] = positionals;
const pairs = text =>
  text
    .split(',')
    .filter(Boolean)
    .map(p => p.split('='));
const base = `http://127.0.0.1:${values.port}`;
const appOrigin = values['app-origin'] ?? base;
const restricted = new Set(values.restricted.split(',').filter(Boolean));
const org = path.join(REPO, 'examples/org.yaml');

const config = {
  app: { baseUrl: appOrigin },
  backend: {
    baseUrl: base,
    listen: { host: '127.0.0.1', port: Number(values.port) },
    cors: { origin: appOrigin },
    ...(values.work ? { workingDirectory: values.work } : {}),
    auth: {
      externalAccess: [
        {
          type: 'static',
          options: { token: values['service-token'], subject: 'benchmark' },
        },
      ],
    },
  },
  catalog: {
    locations: [
      { type: 'file', target: path.resolve(values.catalog) },
      // The users and groups: guest signs in as user:default/guest.
      { type: 'file', target: org, rules: [{ allow: ['User', 'Group'] }] },
    ],
  },
  permission: { enabled: values.permission !== 'off' },
  kubernetes: {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: pairs(values.clusters).map(([name, url]) => ({
          name,
          title: `Benchmark cluster ${name}`,
          url,
          authProvider: 'serviceAccount',
          serviceAccountToken: values['cluster-token'],
          skipTLSVerify: true,
          skipMetricsLookup: true,
        })),
      },
    ],
    // customResources as in app-config.yaml (the example portal's five kinds).
  },
  modelDeployments: {
    demoCluster: { enabled: false },
    discovery: { enabled: false },
    gitops: {
      cacheDir: path.join(values.work ?? path.dirname(out), 'gitops'),
    },
    environments: pairs(values.environments).map(([name, where]) => ({
      name,
      cluster: where.split(':')[0],
      namespace: where.split(':')[1] ?? name,
      ...(restricted.has(name) ? { restricted: true } : {}),
    })),
  },
};
fs.writeFileSync(out, stringify(config));

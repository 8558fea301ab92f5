// Generates the benchmark's data from the real SeldonDeployments of
// examples/cluster (the published Seldon Core v1 shape, with the status an
// operator writes): MODELS models, each with one SeldonDeployment in every
// namespace, labelled `backstage.io/kubernetes-id: <model>` so both the
// Kubernetes plugin and ours find them, and the catalog entities.
//
//   node seed.mjs OUT_DIR --models N --namespaces dev,staging,production
//                 [--prefix model] [--owner group:default/ml-platform]
//
// Writes OUT_DIR/objects.json (the namespaces, then the deployments, for
// cluster.ts), OUT_DIR/catalog.yaml (one Component per model, for a
// `catalog.locations` entry of type file) and OUT_DIR/names.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';

const REPO = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    models: { type: 'string', default: '2000' },
    namespaces: { type: 'string', default: 'dev,staging,production' },
    prefix: { type: 'string', default: 'model' },
    owner: { type: 'string', default: 'group:default/ml-platform' },
  },
});
const [out] = positionals;
const models = Number(values.models);
const namespaces = values.namespaces.split(',').filter(Boolean);
if (!out || !(models > 0) || namespaces.length === 0) {
  console.error('usage: seed.mjs OUT_DIR --models N --namespaces a,b,c');
  process.exit(2);
}

/** Every SeldonDeployment of examples/cluster, as published there. */
function realSeldonDeployments() {
  const dir = path.join(REPO, 'examples/cluster');
  const found = [];
  for (const env of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, env, 'seldon-deployments.yaml');
    if (!fs.existsSync(file)) continue;
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const object = doc.toJS();
      if (object?.kind === 'SeldonDeployment') found.push(object);
    }
  }
  if (found.length === 0) throw new Error(`no SeldonDeployment in ${dir}`);
  return found;
}

/** A copy of `template` renamed to `name` in `namespace`, every mention included. */
function renamed(template, name, namespace) {
  const oldName = template.metadata.name;
  const oldNamespace = template.metadata.namespace;
  const text = JSON.stringify(template)
    .split(`${oldName}-`)
    .join(`${name}-`)
    .split(`.${oldNamespace}.svc`)
    .join(`.${namespace}.svc`);
  const object = JSON.parse(text);
  object.metadata = {
    ...object.metadata,
    name,
    namespace,
    labels: {
      ...object.metadata.labels,
      'backstage.io/kubernetes-id': name,
    },
  };
  return object;
}

const templates = realSeldonDeployments();
const names = Array.from(
  { length: models },
  (_, i) => `${values.prefix}-${String(i).padStart(4, '0')}`,
);
const objects = namespaces.map(ns => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: ns, labels: { 'seldon.restricted': 'false' } },
}));
for (const ns of namespaces) {
  names.forEach((name, i) =>
    objects.push(renamed(templates[i % templates.length], name, ns)),
  );
}
const entities = names.map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    description: `Benchmark model ${name}`,
    annotations: { 'backstage.io/kubernetes-id': name },
  },
  spec: { type: 'model', lifecycle: 'production', owner: values.owner },
}));

fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'objects.json'), JSON.stringify(objects));
fs.writeFileSync(
  path.join(out, 'catalog.yaml'),
  entities.map(e => stringify(e)).join('---\n'),
);
fs.writeFileSync(path.join(out, 'names.json'), JSON.stringify(names));
const deployments = objects.length - namespaces.length;
const avgBytes = Math.round(
  objects
    .slice(namespaces.length)
    .reduce((n, o) => n + JSON.stringify(o).length, 0) / deployments,
);
fs.writeFileSync(
  path.join(out, 'seed.json'),
  JSON.stringify({
    models,
    namespaces,
    deployments,
    templates: templates.map(t => `${t.metadata.namespace}/${t.metadata.name}`),
    avgObjectJsonBytes: avgBytes,
  }),
);
console.log(
  `seed: ${models} models × ${namespaces.length} namespaces = ${deployments} SeldonDeployments ` +
    `(from ${templates.length} real ones, ${avgBytes} bytes of JSON each on average)`,
);

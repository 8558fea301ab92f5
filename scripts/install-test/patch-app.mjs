// Applies the suite's install steps to an app made by @backstage/create-app.
// The code comes from the plugins' READMEs (readme.mjs), so the test follows
// the README; each anchor in the app's files is checked, so a template change
// fails here with a clear message instead of producing a silently wrong app.
//
//   node patch-app.mjs yarnrc APP GATE            .yarnrc.yml: age gate, preapproved
//   node patch-app.mjs package APP TARBALLS FLAVOR resolutions + the README's @seed-mlops deps
//   node patch-app.mjs extra-adds FLAVOR           README `yarn add`s of other packages, one per line
//   node patch-app.mjs backend APP                 backend.add lines (backend README, Install and Permissions)
//   node patch-app.mjs copy-files APP              the READMEs' `curl -o` copies (policy, templates), from this repository
//   node patch-app.mjs frontend APP FLAVOR         legacy: README "Legacy frontend system"; nfs: check app.packages
//   node patch-app.mjs config APP PORT DEMO_CONFIG EXAMPLES
//                                                 app-config.local.yaml, with the scaffolder README's template locations
import fs from 'node:fs';
import path from 'node:path';
import {
  REPO_ROOT,
  curlCopies,
  sectionBlocks,
  yarnAddCommands,
} from './readme.mjs';

const BACKEND = 'model-deployments-backend';
const FRONTEND = 'model-deployments';
const SCAFFOLDER = 'scaffolder-backend-module-model-deployments';

function fail(message) {
  console.error(`patch-app: ${message}`);
  process.exit(1);
}
const read = f => fs.readFileSync(f, 'utf8');
function write(f, text) {
  fs.writeFileSync(f, text);
  console.log(`patched ${f}`);
}
function must(cond, message) {
  if (!cond) fail(message);
}

/** Every README `yarn --cwd … add` this flavour of app gets. */
function readmeAdds(flavor) {
  return [
    // plugins/model-deployments-backend/README.md, Install steps 1 and 3
    ...yarnAddCommands(BACKEND, '## Install'),
    // plugins/model-deployments-backend/README.md, Permissions step 1
    ...yarnAddCommands(BACKEND, '## Permissions'),
    // plugins/model-deployments/README.md, Install
    ...yarnAddCommands(FRONTEND, '## Install'),
    // plugins/model-deployments/README.md, Legacy frontend system (scaffolder-react)
    ...(flavor === 'legacy'
      ? yarnAddCommands(FRONTEND, '## Legacy frontend system')
      : []),
  ];
}
const isOurs = pkg => pkg.startsWith('@seed-mlops/');

/** Inserts `text` after the app file's last import statement. */
function addImports(source, text, file) {
  const imports = [...source.matchAll(/^import[^;]*?from '[^']+';\n/gms)];
  must(imports.length, `${file}: no import statements`);
  const last = imports[imports.length - 1];
  const at = last.index + last[0].length;
  return source.slice(0, at) + text + source.slice(at);
}
function importsOf(code) {
  return [...code.matchAll(/^import[^;]*?from '[^']+';\n/gms)]
    .map(m => m[0])
    .join('');
}
function insertBefore(source, anchor, text, file) {
  const at = source.indexOf(anchor);
  must(at >= 0, `${file}: anchor not found: ${anchor.trim()}`);
  return source.slice(0, at) + text + source.slice(at);
}

const [cmd, ...args] = process.argv.slice(2);

if (cmd === 'yarnrc') {
  // The age gate keeps `^` ranges on the Backstage release create-app 0.9.2
  // was made for (its seed yarn.lock cannot be fetched here); isomorphic-git
  // is exempt because the backend needs a release newer than the gate.
  const [app, gate] = args;
  const file = path.join(app, '.yarnrc.yml');
  const out = [];
  let inPreapproved = false;
  for (const line of read(file).split('\n')) {
    if (inPreapproved && /^\s+-/.test(line)) continue;
    inPreapproved = false;
    if (/^npmPreapprovedPackages:/.test(line)) {
      inPreapproved = true;
      continue;
    }
    if (/^npmMinimalAgeGate:/.test(line)) continue;
    out.push(line);
  }
  write(
    file,
    `${out
      .join('\n')
      .trimEnd()}\nnpmMinimalAgeGate: ${gate}\nnpmPreapprovedPackages:\n  - isomorphic-git\n`,
  );
} else if (cmd === 'package') {
  const [app, tarDir, flavor] = args;
  const versions = {};
  const resolutions = {};
  for (const f of fs.readdirSync(tarDir).filter(n => n.endsWith('.tgz'))) {
    const m = f.match(/^seed-mlops-(.+)-(\d+\.\d+\.\d+(?:-[\w.]+)?)\.tgz$/);
    must(m, `unexpected tarball name ${f}`);
    versions[`@seed-mlops/${m[1]}`] = m[2];
    resolutions[`@seed-mlops/${m[1]}`] = `file:${path.resolve(tarDir, f)}`;
  }
  must(Object.keys(versions).length === 5, `expected 5 tarballs in ${tarDir}`);
  const rootFile = path.join(app, 'package.json');
  const root = JSON.parse(read(rootFile));
  root.resolutions = {
    ...root.resolutions,
    // Pins that keep the install working on this machine (see the probe notes).
    '@swc/core': '1.16.18',
    'unrs-resolver': '1.12.2',
    rollup: '4.67.4',
    '@yarnpkg/core': '4.9.1',
    ...resolutions,
  };
  write(rootFile, `${JSON.stringify(root, null, 2)}\n`);
  // The README's `yarn add`s of our packages, written into the manifests
  // (one `yarn install` instead of one per command), with explicit ranges:
  // the packages are not on the registry, the resolutions point at the tarballs.
  for (const { cwd, packages } of readmeAdds(flavor)) {
    const file = path.join(app, cwd, 'package.json');
    const pkg = JSON.parse(read(file));
    for (const name of packages.filter(isOurs)) {
      must(versions[name], `README adds ${name}, which has no tarball`);
      pkg.dependencies[name] = `^${versions[name]}`;
    }
    pkg.dependencies = Object.fromEntries(
      Object.entries(pkg.dependencies).sort(([a], [b]) => a.localeCompare(b)),
    );
    write(file, `${JSON.stringify(pkg, null, 2)}\n`);
  }
} else if (cmd === 'extra-adds') {
  for (const { cwd, packages } of readmeAdds(args[0])) {
    const other = packages.filter(p => !isOurs(p));
    if (other.length) console.log(`${cwd} ${other.join(' ')}`);
  }
} else if (cmd === 'backend') {
  // plugins/model-deployments-backend/README.md, Install steps 2 and 4.
  const file = path.join(args[0], 'packages/backend/src/index.ts');
  let source = read(file);
  let added = '';
  for (const { lang, code } of sectionBlocks(BACKEND, '## Install')) {
    if (lang !== 'ts' || !code.includes('backend.add(')) continue;
    // "Only if packages/backend/src/index.ts does not add it already":
    const optional = code.match(
      /^\/\/ (backend\.add\(import\('([^']+)'\)\);)$/m,
    );
    if (optional && !source.includes(`import('${optional[2]}')`)) {
      added += `${optional[1]}\n`;
    }
    added += code
      .split('\n')
      .filter(l => !l.trim().startsWith('//'))
      .join('\n')
      .trim();
    added += '\n';
  }
  must(
    added.includes('plugin-model-deployments-backend'),
    'backend README: no backend.add',
  );
  must(
    added.includes('plugin-scaffolder-backend-module-model-deployments'),
    'backend README: no backend.add for the scaffolder module',
  );
  source = insertBefore(
    source,
    'backend.start();',
    `// From plugins/model-deployments-backend/README.md, Install\n${added}\n`,
    file,
  );

  // Permissions step 3: the example policy in place of the allow-all one.
  const policy = sectionBlocks(BACKEND, '## Permissions').find(
    b => b.lang === 'ts' && b.code.includes('backend.add('),
  );
  must(policy, 'backend README: no policy backend.add in Permissions');
  const removed = policy.code.match(
    /^\/\/ Remove: backend\.add\(import\('([^']+)'\)\);$/m,
  );
  must(removed, 'backend README: Permissions names no module to remove');
  const removedAdd = new RegExp(
    `^backend\\.add\\(\\s*import\\('${removed[1]}'\\),?\\s*\\);\\n`,
    'm',
  );
  must(removedAdd.test(source), `${file}: no backend.add of ${removed[1]}`);
  const policyAdd = policy.code.match(/^backend\.add\(.*\);$/m);
  must(policyAdd, 'backend README: Permissions has no backend.add line');
  source = source.replace(
    removedAdd,
    `// From plugins/model-deployments-backend/README.md, Permissions\n${policyAdd[0]}\n`,
  );
  write(file, source);
} else if (cmd === 'copy-files') {
  // The READMEs' `curl -o FILE <raw GitHub URL of this repository>` steps,
  // served from this checkout: the files the packed packages were built with.
  const [app] = args;
  const repoUrl = JSON.parse(
    read(path.join(REPO_ROOT, 'plugins', BACKEND, 'package.json')),
  ).repository.url.replace(/^https:\/\/github\.com\/(.*?)(\.git)?$/, '$1');
  const raw = `https://raw.githubusercontent.com/${repoUrl}/main/`;
  const copies = [
    // plugins/model-deployments-backend/README.md, Permissions step 2
    ...curlCopies(BACKEND, '## Permissions'),
    // plugins/scaffolder-backend-module-model-deployments/README.md, Templates
    ...curlCopies(SCAFFOLDER, '## Templates'),
  ];
  must(copies.length >= 3, 'READMEs: expected the policy and two templates');
  for (const { file, url } of copies) {
    must(url.startsWith(raw), `README copies ${url}, not from ${raw}`);
    const from = path.join(REPO_ROOT, url.slice(raw.length));
    must(fs.existsSync(from), `README copies ${url}: no ${from}`);
    fs.mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
    fs.copyFileSync(from, path.join(app, file));
    console.log(`copied ${path.relative(REPO_ROOT, from)} to ${file}`);
  }
} else if (cmd === 'frontend') {
  const [app, flavor] = args;
  if (flavor === 'nfs') {
    // plugins/model-deployments/README.md, New frontend system: create-app
    // 0.9 apps discover the plugin through `app.packages: all`.
    const config = read(path.join(app, 'app-config.yaml'));
    must(
      /^app:\n(?:[ #].*\n|\n)*?  packages: all$/m.test(config),
      'app-config.yaml has no app.packages: all; the README step would need the features list',
    );
    console.log('new frontend system: app.packages: all, nothing to change');
  } else {
    // plugins/model-deployments/README.md, Legacy frontend system.
    const blocks = sectionBlocks(FRONTEND, '## Legacy frontend system').filter(
      b => b.lang === 'tsx',
    );
    const entityBlock = blocks.find(b => b.code.includes('modelEntityPage'));
    const routeBlock = blocks.find(b =>
      b.code.includes('<ModelDeploymentsPage'),
    );
    const sidebarBlock = blocks.find(b => b.code.includes('<SidebarItem'));
    const fieldBlock = blocks.find(b =>
      b.code.includes('ScaffolderFieldExtensions'),
    );
    must(
      entityBlock && routeBlock && sidebarBlock && fieldBlock,
      'README: legacy blocks not found',
    );

    // EntityPage.tsx
    const entityFile = path.join(
      app,
      'packages/app/src/components/catalog/EntityPage.tsx',
    );
    let entity = read(entityFile);
    entity = addImports(entity, importsOf(entityBlock.code), entityFile);
    const card = entityBlock.code.match(
      /^    <EntitySwitch>\n[\s\S]*?^    <\/EntitySwitch>\n/m,
    );
    must(card, 'README: no <EntitySwitch> in overviewContent');
    const overview = entity.indexOf('const overviewContent = (');
    must(overview >= 0, `${entityFile}: no overviewContent`);
    const overviewEnd = entity.indexOf('  </Grid>\n);\n', overview);
    must(overviewEnd >= 0, `${entityFile}: end of overviewContent not found`);
    entity = entity.slice(0, overviewEnd) + card[0] + entity.slice(overviewEnd);
    const modelPage = entityBlock.code.match(
      /^(?:\/\/.*\n)*const modelEntityPage = \([\s\S]*?^\);\n/m,
    );
    must(modelPage, 'README: no modelEntityPage');
    entity = insertBefore(
      entity,
      'const componentPage = (',
      `${modelPage[0]}\n`,
      entityFile,
    );
    const caseLines = entityBlock.code
      .split('\n')
      .filter(l => /^\/\/ {3}/.test(l))
      .map(l => l.replace(/^\/\/ {3}/, '    '));
    must(
      caseLines.some(l => l.includes("isComponentType('model')")),
      'README: no model case',
    );
    const component = entity.indexOf('const componentPage = (');
    const defaultCase =
      '    <EntitySwitch.Case>{defaultEntityPage}</EntitySwitch.Case>';
    const at = entity.indexOf(defaultCase, component);
    must(at >= 0, `${entityFile}: default case of componentPage not found`);
    entity = `${entity.slice(0, at)}${caseLines.join('\n')}\n\n${entity.slice(
      at,
    )}`;
    write(entityFile, entity);

    // App.tsx: the fleet page route and the scaffolder field extension.
    const appFile = path.join(app, 'packages/app/src/App.tsx');
    let appTsx = read(appFile);
    appTsx = addImports(
      appTsx,
      importsOf(routeBlock.code) + importsOf(fieldBlock.code),
      appFile,
    );
    const route = routeBlock.code.match(
      /^\s*(<Route path="\/model-deployments".*\/>)$/m,
    );
    must(route, 'README: no /model-deployments route');
    appTsx = insertBefore(
      appTsx,
      '  </FlatRoutes>',
      `    ${route[1]}\n`,
      appFile,
    );
    const create = fieldBlock.code.match(
      /^<Route path="\/create"[\s\S]*?<\/Route>/m,
    );
    must(create, 'README: no /create route');
    const templateCreate =
      '<Route path="/create" element={<ScaffolderPage />} />';
    must(
      appTsx.includes(templateCreate),
      `${appFile}: ${templateCreate} not found`,
    );
    appTsx = appTsx.replace(templateCreate, create[0].replace(/\n/g, '\n    '));
    write(appFile, appTsx);

    // Root.tsx: the optional sidebar item.
    const rootFile = path.join(
      app,
      'packages/app/src/components/Root/Root.tsx',
    );
    let root = read(rootFile);
    root = addImports(root, importsOf(sidebarBlock.code), rootFile);
    const item = sidebarBlock.code.match(/^(<SidebarItem .*\/>);?$/m);
    must(item, 'README: no SidebarItem');
    const home = root.match(/^( *)<SidebarItem icon=\{HomeIcon\}.*\n/m);
    must(home, `${rootFile}: Home SidebarItem not found`);
    root = root.replace(home[0], `${home[0]}${home[1]}${item[1]}\n`);
    write(rootFile, root);
  }
} else if (cmd === 'config') {
  // app-config.local.yaml: loopback backend on a free port serving the built
  // app, the example entities, and the demo cluster's kubernetes +
  // modelDeployments sections (packages/demo-cluster/README.md, "Trying the
  // plugins in your own app"; the backend README's Install step 5 shape).
  const [app, port, demoConfig, examples] = args;
  const base = `http://127.0.0.1:${port}`;
  const demo = read(demoConfig);
  must(
    /^kubernetes:/m.test(demo) && /^modelDeployments:/m.test(demo),
    `${demoConfig}: not the demo config`,
  );
  // plugins/scaffolder-backend-module-model-deployments/README.md,
  // Templates: its catalog.locations entries, after the ones above (the
  // local file's list replaces app-config.yaml's).
  const locationsBlock = sectionBlocks(SCAFFOLDER, '## Templates').find(
    b => b.lang === 'yaml' && /^ {2}locations:$/m.test(b.code),
  );
  must(locationsBlock, 'scaffolder README: no catalog.locations in Templates');
  const templateLocations = locationsBlock.code.split(/^ {2}locations:\n/m)[1];
  must(
    /^ {4}- type: file$/m.test(templateLocations),
    'scaffolder README: Templates locations are not `- type: file` entries',
  );
  write(
    path.join(app, 'app-config.local.yaml'),
    `app:
  baseUrl: ${base}
backend:
  baseUrl: ${base}
  listen:
    host: 127.0.0.1
    port: ${port}
  cors:
    origin: ${base}
catalog:
  rules:
    - allow: [Component, System, API, Resource, Location, Template]
  locations:
    - type: file
      target: ${path.join(examples, 'entities.yaml')}
    - type: file
      target: ${path.join(examples, 'org.yaml')}
      rules:
        - allow: [User, Group]
    - type: file
      target: ../../examples/template/template.yaml
      rules:
        - allow: [Template]
${templateLocations}
# yarn demo-cluster --config-out
${demo}`,
  );
} else {
  fail(`unknown command ${cmd}`);
}

// Fails when one of the given packages resolves to more than one version in
// an app's yarn.lock, and says who asks for each version.
//
//   node dupes.mjs APP_DIR PKG...
import fs from 'node:fs';
import path from 'node:path';

const [app, ...pkgs] = process.argv.slice(2);
const lock = fs.readFileSync(path.join(app, 'yarn.lock'), 'utf8');
// yarn.lock (v8): blocks separated by blank lines; key line, version, dependencies.
const entries = [];
for (const block of lock.split(/\n\n/)) {
  const lines = block.split('\n');
  if (!lines[0] || lines[0].startsWith('#') || lines[0].startsWith('__'))
    continue;
  const keys = lines[0].replace(/:$/, '').replace(/^"|"$/g, '').split(', ');
  const e = { keys, version: null, deps: {} };
  let inDeps = false;
  for (const l of lines.slice(1)) {
    let m;
    if ((m = l.match(/^  version: (.*)$/))) e.version = m[1];
    else if (/^  dependencies:$/.test(l)) inDeps = true;
    else if (/^  \S/.test(l)) inDeps = false;
    else if (inDeps && (m = l.match(/^    "?([^":]+)"?: "?([^"]+)"?$/)))
      e.deps[m[1]] = m[2];
  }
  entries.push(e);
}
const nameOf = k =>
  k.startsWith('@') ? `@${k.slice(1).split('@')[0]}` : k.split('@')[0];
let duplicated = 0;
for (const pkg of pkgs) {
  const own = entries.filter(e => nameOf(e.keys[0]) === pkg);
  const byKey = {};
  for (const e of own) for (const k of e.keys) byKey[k] = e.version;
  const versions = [...new Set(own.map(e => e.version))];
  if (!versions.length) {
    console.log(`${pkg}: not in yarn.lock   <-- MISSING`);
    duplicated++;
    continue;
  }
  console.log(
    `${pkg}: ${versions.join(', ')}${
      versions.length > 1 ? '   <-- DUPLICATE' : ''
    }`,
  );
  if (versions.length < 2) continue;
  duplicated++;
  for (const v of versions) {
    const who = entries
      .filter(e =>
        Object.entries(e.deps).some(
          ([n, r]) =>
            n === pkg &&
            (byKey[`${pkg}@${r}`] ?? byKey[`${pkg}@npm:${r}`]) === v,
        ),
      )
      .map(e => `${nameOf(e.keys[0])}@${e.version}(${e.deps[pkg]})`);
    console.log(`   ${v} <- ${who.join(' ')}`);
  }
}
if (duplicated) {
  console.error(
    `dupes: ${duplicated} package(s) missing or resolving to more than one version`,
  );
  process.exit(1);
}

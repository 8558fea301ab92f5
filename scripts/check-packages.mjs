#!/usr/bin/env node
// Packs every public package the way `npm publish` would (`yarn pack`, which
// runs backstage-cli's prepack) and checks each tarball: what it must hold,
// what it must not, and that its package.json points at built files. Prints
// each tarball's size and file count. Run after `backstage-cli repo build`.
//
//   node scripts/check-packages.mjs [--out DIR]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const yarn = process.env.MODEL_DEPLOYMENTS_YARN_CJS;
if (!yarn) {
  console.error('check-packages: source scripts/toolchain.sh first');
  process.exit(2);
}
const outIndex = process.argv.indexOf('--out');
const out =
  outIndex > 0
    ? path.resolve(process.argv[outIndex + 1])
    : fs.mkdtempSync(path.join(os.tmpdir(), 'model-deployments-packs-'));
fs.mkdirSync(out, { recursive: true });

/** Paths no published package should carry. */
const FORBIDDEN = [
  /^src\//,
  /\.test\.[cm]?[jt]sx?$/,
  /__fixtures__|__testUtils__|__mocks__/,
  /setupTests/,
  /^(bench|e2e-tests|dev)\//,
  /\.tsbuildinfo$/,
];

const publicPackages = fs
  .readdirSync(path.join(root, 'plugins'))
  .map(dir => path.join(root, 'plugins', dir))
  .filter(dir => fs.existsSync(path.join(dir, 'package.json')))
  .map(dir => ({
    dir,
    pkg: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')),
  }))
  .filter(({ pkg }) => !pkg.private);

const problems = [];
const rows = [];
for (const { dir, pkg } of publicPackages) {
  const tarball = path.join(
    out,
    `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz`,
  );
  execFileSync(process.execPath, [yarn, 'pack', '--out', tarball], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map(f => f.replace(/^package\//, ''));
  const packed = JSON.parse(
    execFileSync('tar', ['xzf', tarball, '-O', 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
  const say = message => problems.push(`${pkg.name}: ${message}`);

  const required = ['package.json', 'README.md', 'CHANGELOG.md'];
  if (fs.existsSync(path.join(dir, 'config.d.ts'))) {
    // backstage-cli's prepack turns config.d.ts into this.
    required.push('config.schema.json');
  }
  if (fs.existsSync(path.join(dir, 'migrations'))) {
    for (const migration of fs.readdirSync(path.join(dir, 'migrations'))) {
      required.push(`migrations/${migration}`);
    }
  }
  for (const file of required) {
    if (!files.includes(file)) say(`${file} is missing`);
  }
  for (const file of files) {
    if (FORBIDDEN.some(pattern => pattern.test(file))) say(`${file} is packed`);
  }

  // Every entry point names files that are in the tarball.
  const targets = [packed.main, packed.types, packed.module];
  for (const entry of Object.values(packed.exports ?? {})) {
    if (typeof entry === 'string') targets.push(entry);
    else {
      // The `backstage` condition names the feature type, not a file.
      const { backstage: _featureType, ...conditions } = entry;
      targets.push(...Object.values(conditions));
    }
  }
  for (const target of targets.filter(t => typeof t === 'string')) {
    const file = target.replace(/^\.\//, '');
    if (file === 'package.json') continue;
    if (!file.startsWith('dist/')) say(`an entry point is ${target}`);
    else if (!files.includes(file)) say(`${target} is not in the tarball`);
  }
  for (const [name, range] of Object.entries({
    ...packed.dependencies,
    ...packed.peerDependencies,
  })) {
    if (String(range).startsWith('workspace:')) {
      say(`dependency ${name} is still ${range}`);
    }
  }
  rows.push({
    name: pkg.name,
    version: pkg.version,
    bytes: fs.statSync(tarball).size,
    files: files.length,
    tarball,
  });
}

// The built declarations themselves must type-check. Only errors in them
// count: third-party typings in node_modules have their own.
const declarations = publicPackages.flatMap(({ dir }) =>
  fs
    .readdirSync(path.join(dir, 'dist'))
    .filter(f => f.endsWith('.d.ts'))
    .map(f => path.join(dir, 'dist', f)),
);
let tscOutput = '';
try {
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/typescript/bin/tsc'),
      '--noEmit',
      '--skipLibCheck',
      'false',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--jsx',
      'react-jsx',
      '--target',
      'es2022',
      ...declarations,
    ],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
} catch (error) {
  tscOutput = String(error.stdout ?? '');
}
for (const line of tscOutput.split('\n')) {
  if (/^plugins\/[^/]+\/dist\//.test(line)) problems.push(line);
}
console.log(`type-checked ${declarations.length} declaration entry points`);

const width = Math.max(...rows.map(r => r.name.length));
for (const row of rows) {
  console.log(
    `${row.name.padEnd(width)}  ${row.version}  ${String(row.bytes).padStart(
      7,
    )} bytes  ${String(row.files).padStart(3)} files`,
  );
}
console.log(`tarballs in ${out}`);
if (problems.length) {
  console.error(`\n${problems.length} problem(s):`);
  for (const problem of problems) console.error(`- ${problem}`);
  process.exit(1);
}

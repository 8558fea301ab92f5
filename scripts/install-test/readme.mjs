// Reads the code blocks of a section of a plugin README, so the install test
// applies exactly what the README tells users to do.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);

/** README of plugins/<dir>. */
export function readmePath(pluginDir) {
  return path.join(REPO_ROOT, 'plugins', pluginDir, 'README.md');
}

/**
 * The fenced code blocks ({ lang, code }) under the heading `heading`
 * (e.g. '## Install') up to the next heading of the same or a higher level.
 * Blocks indented inside list items are dedented.
 */
export function sectionBlocks(pluginDir, heading) {
  const file = readmePath(pluginDir);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const level = heading.match(/^#+/)[0].length;
  const start = lines.findIndex(l => l.trim() === heading);
  if (start < 0) {
    throw new Error(
      `${path.relative(REPO_ROOT, file)}: no section "${heading}"`,
    );
  }
  const blocks = [];
  let block = null;
  for (const line of lines.slice(start + 1)) {
    const fence = line.match(/^(\s*)```(\w*)\s*$/);
    if (!block) {
      const h = line.match(/^(#+)\s/);
      if (h && h[1].length <= level) break;
      if (fence) block = { indent: fence[1].length, lang: fence[2], lines: [] };
    } else if (fence) {
      blocks.push({ lang: block.lang, code: block.lines.join('\n') + '\n' });
      block = null;
    } else {
      block.lines.push(line.slice(Math.min(block.indent, line.search(/\S|$/))));
    }
  }
  if (!blocks.length) {
    throw new Error(
      `${path.relative(REPO_ROOT, file)}: no code in "${heading}"`,
    );
  }
  return blocks;
}

/** `yarn --cwd <dir> add <pkg>...` commands of a section: [{ cwd, packages }]. */
export function yarnAddCommands(pluginDir, heading) {
  const commands = [];
  for (const { lang, code } of sectionBlocks(pluginDir, heading)) {
    if (lang !== 'sh') continue;
    for (const m of code.matchAll(/^yarn --cwd (\S+) add (.+)$/gm)) {
      commands.push({ cwd: m[1], packages: m[2].trim().split(/\s+/) });
    }
  }
  return commands;
}

/** `curl -fsSL -o <file> <url>` commands of a section: [{ file, url }]. */
export function curlCopies(pluginDir, heading) {
  const copies = [];
  for (const { lang, code } of sectionBlocks(pluginDir, heading)) {
    if (lang !== 'sh') continue;
    for (const m of code.matchAll(/^curl -fsSL -o (\S+) (\S+)$/gm)) {
      copies.push({ file: m[1], url: m[2] });
    }
  }
  return copies;
}

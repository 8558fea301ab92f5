import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';

/**
 * Reads one `.yaml`, `.yml` or `.json` file as Kubernetes manifests
 * (several YAML documents allowed); empty documents are left out.
 */
export function readManifestsFromFile(
  file: string,
): Array<Record<string, any>> {
  const text = fs.readFileSync(file, 'utf8');
  const objects: Array<Record<string, any>> = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) {
      throw new Error(`${file}: ${doc.errors[0].message}`);
    }
    const value = doc.toJS();
    if (value && typeof value === 'object') {
      objects.push(value);
    }
  }
  return objects;
}

/**
 * Reads every `.yaml`, `.yml` and `.json` file below a folder, in path order,
 * as Kubernetes manifests (several YAML documents per file allowed).
 */
export function readManifestsFromDirectory(
  directory: string,
): Array<Record<string, any>> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (/\.(ya?ml|json)$/.test(entry.name)) {
        files.push(full);
      }
    }
  };
  walk(directory);
  files.sort();
  return files.flatMap(file => readManifestsFromFile(file));
}

/** Reads a manifest file, or every manifest below a folder. */
export function readManifests(fileOrDirectory: string) {
  return fs.statSync(fileOrDirectory).isDirectory()
    ? readManifestsFromDirectory(fileOrDirectory)
    : readManifestsFromFile(fileOrDirectory);
}

import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';

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
  const objects: Array<Record<string, any>> = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length) {
        throw new Error(`${file}: ${doc.errors[0].message}`);
      }
      const value = doc.toJS();
      if (value && typeof value === 'object') {
        objects.push(value);
      }
    }
  }
  return objects;
}

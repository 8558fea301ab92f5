import {
  CompoundEntityRef,
  makeValidator,
  parseEntityRef,
} from '@backstage/catalog-model';
import { quoteValue } from './values';

const validator = makeValidator();

/**
 * Parses an entity ref the way the catalog will accept it, so a malformed
 * ref is refused here, naming the field, instead of by the catalog with a
 * bare "400 Bad Request".
 *
 * @public
 */
export function parseCatalogRef(
  value: string,
  options?: { defaultKind?: string; defaultNamespace?: string },
): { ref: CompoundEntityRef } | { problem: string } {
  let ref: CompoundEntityRef;
  try {
    ref = parseEntityRef(value, {
      defaultNamespace: options?.defaultNamespace ?? 'default',
      ...(options?.defaultKind ? { defaultKind: options.defaultKind } : {}),
    });
  } catch {
    return {
      problem: `${quoteValue(
        value,
      )} is not an entity ref (kind:namespace/name)`,
    };
  }
  if (!validator.isValidKind(ref.kind)) {
    return { problem: `${quoteValue(ref.kind)} is not a valid entity kind` };
  }
  if (!validator.isValidNamespace(ref.namespace)) {
    return {
      problem: `${quoteValue(ref.namespace)} is not a valid entity namespace`,
    };
  }
  if (!validator.isValidEntityName(ref.name)) {
    return {
      problem: `${quoteValue(
        ref.name,
      )} is not a valid entity name (letters, digits, "-", "_" and ".", at most 63)`,
    };
  }
  return { ref };
}

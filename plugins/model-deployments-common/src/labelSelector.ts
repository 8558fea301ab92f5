import { isLabelKey, isLabelValue } from './validation/kubernetes';

/**
 * One requirement of a Kubernetes label selector.
 *
 * @public
 */
export type LabelRequirement =
  | { key: string; operator: 'Equals' | 'NotEquals'; value: string }
  | { key: string; operator: 'In' | 'NotIn'; values: string[] }
  | { key: string; operator: 'Exists' | 'DoesNotExist' };

function checkKey(key: string, selector: string) {
  if (!isLabelKey(key)) {
    throw new Error(`invalid label key '${key}' in selector '${selector}'`);
  }
}

function checkValue(value: string, selector: string) {
  if (!isLabelValue(value)) {
    throw new Error(`invalid label value '${value}' in selector '${selector}'`);
  }
}

/** Splits on commas that are not inside a `(…)` value set. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim());
}

/**
 * Parses a label selector in the syntax of `kubectl -l`: `a=b`, `a==b`,
 * `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, joined by commas.
 *
 * @throws Error naming the part that is not valid.
 * @public
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const trimmed = selector.trim();
  if (!trimmed) {
    return [];
  }
  return splitTopLevel(trimmed).map(part => {
    if (!part) {
      throw new Error(`empty requirement in selector '${selector}'`);
    }
    const set = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part);
    if (set) {
      const [, key, op, list] = set;
      checkKey(key, selector);
      const values = list.split(',').map(v => v.trim());
      values.forEach(v => checkValue(v, selector));
      return { key, operator: op === 'in' ? 'In' : 'NotIn', values };
    }
    const equality = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (equality) {
      const [, key, op, value] = equality;
      checkKey(key, selector);
      checkValue(value, selector);
      return { key, operator: op === '!=' ? 'NotEquals' : 'Equals', value };
    }
    const exists = /^(!?)\s*([^=!\s()]+)$/.exec(part);
    if (exists) {
      const [, bang, key] = exists;
      checkKey(key, selector);
      return { key, operator: bang ? 'DoesNotExist' : 'Exists' };
    }
    throw new Error(`cannot parse '${part}' in selector '${selector}'`);
  });
}

/**
 * Whether labels satisfy every requirement.
 *
 * @public
 */
export function matchesLabelSelector(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.operator) {
      case 'Equals':
        return has && l[r.key] === r.value;
      case 'NotEquals':
        return !has || l[r.key] !== r.value;
      case 'In':
        return has && r.values.includes(l[r.key]);
      case 'NotIn':
        return !has || !r.values.includes(l[r.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

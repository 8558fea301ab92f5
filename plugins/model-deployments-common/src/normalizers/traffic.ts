import { TrafficTarget } from '../types';

/**
 * What is wrong with a traffic split as published: live shares (main and
 * canary) that do not add up to 100, or a share outside 0–100. The split
 * itself is shown as stated; these say why it cannot be what it claims.
 */
export function splitWarnings(traffic: TrafficTarget[]): string[] {
  const warnings: string[] = [];
  for (const target of traffic) {
    if (target.percent < 0 || target.percent > 100) {
      warnings.push(
        `${target.name} has a traffic share of ${target.percent} %, outside 0–100 %`,
      );
    }
  }
  const live = traffic.filter(t => t.role === 'main' || t.role === 'canary');
  if (live.length > 0) {
    const sum = live.reduce((total, t) => total + t.percent, 0);
    // Shares are whole numbers in every CRD read here; allow rounding of weights.
    if (Math.abs(sum - 100) > 0.01) {
      warnings.push(
        `The traffic shares (${live
          .map(t => `${t.name} ${t.percent} %`)
          .join(', ')}) add up to ${sum} %, not 100 %`,
      );
    }
  }
  return warnings;
}

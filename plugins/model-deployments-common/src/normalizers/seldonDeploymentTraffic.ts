import { TrafficTarget } from '../types';
import { asNumber } from './kubernetesObject';
import { Predictor } from './seldonDeploymentPredictors';

/**
 * Seldon Enterprise Platform marks a canary predictor with this annotation.
 *
 * @public
 */
export const SELDON_CANARY_ANNOTATION = 'seldon.io/canary';

/**
 * The traffic split as the predictors' `traffic` and `shadow` fields and
 * the canary annotation state it, with what is wrong with it in `warnings`.
 */
export function trafficOf(predictors: Predictor[]): {
  traffic: TrafficTarget[];
  warnings: string[];
} {
  const live = predictors.filter(p => p.shadow !== true);
  const shadows = predictors.filter(p => p.shadow === true);
  const traffic: TrafficTarget[] = [];
  const warnings: string[] = [];
  if (live.length === 1) {
    // The operator sends everything to a single live predictor; a stated
    // share other than 100 is kept, and flagged, never rewritten.
    traffic.push({
      name: live[0].name ?? 'default',
      percent: asNumber(live[0].traffic) ?? 100,
      role: 'main',
    });
  } else if (live.length > 1) {
    // Only Seldon Enterprise Platform's annotation makes a predictor a
    // canary; two predictors without it are peers (an A/B test), whatever
    // their names or shares.
    const unstated = live.filter(p => asNumber(p.traffic) === undefined);
    if (unstated.length > 0) {
      warnings.push(
        `${unstated.map(p => p.name ?? 'default').join(', ')} state${
          unstated.length === 1 ? 's' : ''
        } no traffic share; ${
          live.length
        } live predictors need shares that add up to 100 %`,
      );
    }
    for (const p of live) {
      const percent = asNumber(p.traffic);
      if (percent === undefined) continue;
      traffic.push({
        name: p.name ?? 'default',
        percent,
        role:
          p.annotations?.[SELDON_CANARY_ANNOTATION] === 'true'
            ? 'canary'
            : 'main',
      });
    }
  }
  for (const p of shadows) {
    // A shadow gets a copy of every request; its `traffic` is not a share.
    traffic.push({ name: p.name ?? 'shadow', percent: 100, role: 'shadow' });
  }
  return { traffic, warnings };
}

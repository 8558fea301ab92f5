import {
  DeploymentPhase,
  FleetModel,
  FleetDeployment,
  SyncState,
} from '@seed-mlops/plugin-model-deployments-common';
import { humanizeRef, versionText } from '../../utils/format';

/** The filters of the fleet page; empty values match everything. */
export interface FleetFilters {
  /** Free text over title, name, owner, resource names and versions. */
  text: string;
  /** A full owner ref, e.g. `group:default/risk-ml`. */
  owner: string;
  /** Environments whose columns are shown; empty shows all. */
  environments: string[];
  /** Keep rows with at least one deployment in this phase. */
  status: DeploymentPhase | '';
  /** Keep rows with at least one deployment of this resource kind. */
  kind: string;
  /** Keep rows with at least one deployment in this Git sync state. */
  sync: SyncState | '';
}

export const emptyFilters: FleetFilters = {
  text: '',
  owner: '',
  environments: [],
  status: '',
  kind: '',
  sync: '',
};

/** A fleet model with what filtering and rendering need, computed once. */
export interface IndexedModel {
  model: FleetModel;
  /** Lower-case text searched by the free-text filter. */
  haystack: string;
  /** Deployments by environment name. */
  byEnvironment: Map<string, FleetDeployment[]>;
}

/** Precomputes search text and per-environment deployments. */
export function indexModels(models: FleetModel[]): IndexedModel[] {
  return models.map(model => {
    const byEnvironment = new Map<string, FleetDeployment[]>();
    const parts: string[] = [model.title, model.entityRef];
    if (model.owner) {
      parts.push(model.owner, humanizeRef(model.owner));
    }
    for (const deployment of model.deployments) {
      const list = byEnvironment.get(deployment.environment) ?? [];
      list.push(deployment);
      byEnvironment.set(deployment.environment, list);
      parts.push(deployment.name, deployment.kind);
      for (const version of deployment.versions) {
        const text = versionText(version);
        if (text) {
          parts.push(text);
        }
      }
    }
    return {
      model,
      haystack: parts.join('\n').toLocaleLowerCase('en-US'),
      byEnvironment,
    };
  });
}

/**
 * Keeps the models matching every filter. Status and kind look only at
 * deployments in the environments shown.
 */
export function filterModels(
  models: IndexedModel[],
  filters: FleetFilters,
  shownEnvironments: string[],
): IndexedModel[] {
  const terms = filters.text
    .toLocaleLowerCase('en-US')
    .split(/\s+/)
    .filter(Boolean);
  const shown = new Set(shownEnvironments);
  return models.filter(item => {
    if (filters.owner && item.model.owner !== filters.owner) {
      return false;
    }
    if (terms.length > 0 && !terms.every(t => item.haystack.includes(t))) {
      return false;
    }
    if (filters.status || filters.kind || filters.sync) {
      const inScope = item.model.deployments.filter(d =>
        shown.has(d.environment),
      );
      if (filters.status && !inScope.some(d => d.phase === filters.status)) {
        return false;
      }
      if (filters.kind && !inScope.some(d => d.kind === filters.kind)) {
        return false;
      }
      if (filters.sync && !inScope.some(d => d.sync?.state === filters.sync)) {
        return false;
      }
    }
    return true;
  });
}

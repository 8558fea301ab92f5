import { Grid } from '@material-ui/core';
import {
  EntityConsumedApisCard,
  EntityProvidedApisCard,
} from '@backstage/plugin-api-docs';
import {
  EntityAboutCard,
  EntityLayout,
  EntityLinksCard,
} from '@backstage/plugin-catalog';
import { EntityCatalogGraphCard } from '@backstage/plugin-catalog-graph';
import {
  EntityModelDeploymentsCard,
  EntityModelDeploymentsContent,
  isModelDeploymentsAvailable,
} from '@seed-mlops/plugin-model-deployments';
import { DemoDataBanner } from '../demo';
import { entityWarningContent } from './entityWarningContent';

/** A model: its deployments across environments come first. */
export const modelEntityPage = (
  <EntityLayout>
    <EntityLayout.Route path="/" title="Overview">
      <Grid container spacing={3} alignItems="stretch">
        {entityWarningContent}
        <Grid item md={6}>
          <EntityAboutCard />
        </Grid>
        <Grid item md={6} xs={12}>
          <EntityModelDeploymentsCard />
        </Grid>
        <Grid item md={6} xs={12}>
          <EntityCatalogGraphCard height={300} />
        </Grid>
        <Grid item md={6} xs={12}>
          <EntityLinksCard />
        </Grid>
      </Grid>
    </EntityLayout.Route>

    <EntityLayout.Route
      path="/model-deployments"
      title="Deployments"
      if={isModelDeploymentsAvailable}
    >
      <>
        <DemoDataBanner />
        <EntityModelDeploymentsContent />
      </>
    </EntityLayout.Route>

    {/*
      No Kubernetes tab: the Deployments tab replaces it. The portal's policy
      denies users the Kubernetes plugin's proxy and resource routes, which
      would otherwise read restricted namespaces around the per-environment
      permissions, so that tab would only show errors.
    */}

    <EntityLayout.Route path="/api" title="API">
      <Grid container spacing={3} alignItems="stretch">
        <Grid item md={6}>
          <EntityProvidedApisCard />
        </Grid>
        <Grid item md={6}>
          <EntityConsumedApisCard />
        </Grid>
      </Grid>
    </EntityLayout.Route>
  </EntityLayout>
);

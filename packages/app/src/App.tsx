import { Navigate, Route } from 'react-router-dom';
import { createApp } from '@backstage/app-defaults';
import { AppRouter, FlatRoutes } from '@backstage/core-app-api';
import { AlertDisplay, OAuthRequestDialog } from '@backstage/core-components';
import {
  CatalogEntityPage,
  CatalogIndexPage,
  catalogPlugin,
} from '@backstage/plugin-catalog';
import { CatalogGraphPage } from '@backstage/plugin-catalog-graph';
import { ApiExplorerPage } from '@backstage/plugin-api-docs';
import { orgPlugin } from '@backstage/plugin-org';
import { ScaffolderPage, scaffolderPlugin } from '@backstage/plugin-scaffolder';
import { SearchPage } from '@backstage/plugin-search';
import { signalsPlugin } from '@backstage/plugin-signals';
import { NotificationsPage } from '@backstage/plugin-notifications';
import { UserSettingsPage } from '@backstage/plugin-user-settings';
import {
  ModelDeploymentsPage,
  ModelEnvironmentPickerFieldExtension,
} from '@seed-mlops/plugin-model-deployments';
import { ScaffolderFieldExtensions } from '@backstage/plugin-scaffolder-react';
import { apis } from './apis';
import { entityPage } from './components/catalog/EntityPage';
import { DemoDataBanner } from './components/demo';
import { Root } from './components/Root';
import { DemoSignInPage } from './components/SignIn';
import { searchPage } from './components/search/SearchPage';

const app = createApp({
  apis,
  // Signals: the model-deployments pages update live instead of polling.
  plugins: [signalsPlugin],
  bindRoutes({ bind }) {
    bind(catalogPlugin.externalRoutes, {
      createComponent: scaffolderPlugin.routes.root,
    });
    bind(scaffolderPlugin.externalRoutes, {
      registerComponent: catalogPlugin.routes.catalogIndex,
    });
    bind(orgPlugin.externalRoutes, {
      catalogIndex: catalogPlugin.routes.catalogIndex,
    });
  },
  components: {
    // Demo users from app.demoSignIn (a picker for the demo sign-in
    // provider), or guest sign-in when that section is absent.
    SignInPage: DemoSignInPage,
  },
});

const routes = (
  <FlatRoutes>
    <Route path="/" element={<Navigate to="model-deployments" />} />
    <Route path="/catalog" element={<CatalogIndexPage />} />
    <Route
      path="/catalog/:namespace/:kind/:name"
      element={<CatalogEntityPage />}
    >
      {entityPage}
    </Route>
    <Route path="/model-deployments" element={<ModelDeploymentsPage />}>
      <DemoDataBanner />
    </Route>
    <Route path="/create" element={<ScaffolderPage />}>
      <ScaffolderFieldExtensions>
        <ModelEnvironmentPickerFieldExtension />
      </ScaffolderFieldExtensions>
    </Route>
    <Route path="/api-docs" element={<ApiExplorerPage />} />
    <Route path="/search" element={<SearchPage />}>
      {searchPage}
    </Route>
    <Route path="/settings" element={<UserSettingsPage />} />
    <Route path="/notifications" element={<NotificationsPage />} />
    <Route path="/catalog-graph" element={<CatalogGraphPage />} />
  </FlatRoutes>
);

export default app.createRoot(
  <>
    <AlertDisplay />
    <OAuthRequestDialog />
    <AppRouter>
      <Root>{routes}</Root>
    </AppRouter>
  </>,
);

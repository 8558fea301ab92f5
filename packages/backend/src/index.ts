/*
 * The example portal's backend: the catalog, scaffolder, search, Kubernetes
 * and permission plugins, plus the model-deployments suite. With the default
 * app-config.yaml it also starts the demo cluster, so the portal shows model
 * deployments without any real cluster or account.
 */

import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: guest, plus the demo users of examples/org.yaml. The demo
// provider trusts a request header and is only registered when
// auth.providers.demo is configured; it exists for the demo alone.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('./modules/demoUsersAuthProvider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@seed-mlops/plugin-scaffolder-backend-module-model-deployments'),
);

// Per-environment permissions for model deployments; see the module.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/modelDeploymentsPolicy'));

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-kubernetes-backend'));

backend.add(import('@backstage/plugin-user-settings-backend'));

// The event bus: on PostgreSQL it carries the model-deployments plugin's
// events (Git pushes, promotions, new environments) between replicas.
backend.add(import('@backstage/plugin-events-backend'));

// Signals: the model-deployments pages update live instead of polling.
backend.add(import('@backstage/plugin-signals-backend'));

// Notifications: promotions and rollbacks tell their requesters and the
// models' owners how they ended.
backend.add(import('@backstage/plugin-notifications-backend'));

// The model-deployments suite, and the demo cluster it reads by default.
backend.add(import('@seed-mlops/plugin-model-deployments-backend'));
backend.add(import('@seed-mlops/demo-cluster'));

backend.start();

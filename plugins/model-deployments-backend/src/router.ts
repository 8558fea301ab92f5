import {
  AuditorService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  deploymentsQuerySchema,
  historyQuerySchema,
  modelDeploymentsReadPermission,
  promotionsQuerySchema,
  refreshRequestSchema,
} from '@seed-mlops/plugin-model-deployments-common';
import {
  ModelDeploymentsService,
  ModelEnvironmentCreationService,
  ModelPromotionService,
} from '@seed-mlops/plugin-model-deployments-node';
import express from 'express';
import Router from 'express-promise-router';
import { addChangeRoutes } from './changeRoutes';
import { hideUnexpectedErrors } from './http/errors';
import { strictJsonBody } from './http/jsonBody';
import { sendView } from './http/sendView';
import { parseInput } from './http/requests';
import { EnvironmentAccess } from './permissions/EnvironmentAccess';

/**
 * The HTTP API: each route parses its input with the common package's
 * schemas, decides permissions, and calls one service method.
 */
export async function createRouter(deps: {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  access: EnvironmentAccess;
  auditor: AuditorService;
  deployments: ModelDeploymentsService;
  promotions: ModelPromotionService;
  environmentCreator: ModelEnvironmentCreationService;
}): Promise<express.Router> {
  const { httpAuth, access, deployments, promotions } = deps;
  const router = Router();
  router.use(strictJsonBody());

  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /** The caller's credentials and their read check, decided once per request. */
  const reader = async (req: express.Request) => {
    const credentials = await credentialsOf(req);
    const [canRead] = await access.check(
      [modelDeploymentsReadPermission],
      credentials,
      { reuse: true },
    );
    return { credentials, canRead };
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // The pipeline itself (names, order, where each environment lives) is
  // shown to every signed-in user; what runs in it is guarded below.
  router.get('/environments', async (req, res) => {
    await credentialsOf(req);
    sendView(res, deployments.listEnvironments());
  });

  router.get('/fleet', async (req, res) => {
    const { credentials, canRead } = await reader(req);
    sendView(res, await deployments.getFleet(credentials, canRead));
  });

  router.get('/deployments', async (req, res) => {
    const { credentials, canRead } = await reader(req);
    const query = parseInput(deploymentsQuerySchema, req.query, 'query');
    sendView(
      res,
      await deployments.getEntityDeployments(
        parseEntityRef(query.entityRef),
        credentials,
        canRead,
      ),
    );
  });

  router.get('/history', async (req, res) => {
    const { credentials, canRead } = await reader(req);
    const query = parseInput(historyQuerySchema, req.query, 'query');
    sendView(
      res,
      await deployments.getHistory(
        { ...query, entityRef: parseEntityRef(query.entityRef) },
        credentials,
        canRead,
      ),
    );
  });

  // Fetches GitOps repositories now, e.g. right after a merge, instead of
  // at the next scheduled refresh. Only environments the caller may read
  // (seen through `entityRef` when given) are fetched and reported.
  router.post('/refresh', async (req, res) => {
    const { credentials, canRead } = await reader(req);
    const body = parseInput(refreshRequestSchema, req.body, 'request body');
    const environments = await deployments.refreshGit(
      {
        environment: body.environment,
        entityRef: body.entityRef ? parseEntityRef(body.entityRef) : undefined,
      },
      credentials,
      canRead,
    );
    res.json({ environments });
  });

  router.get('/promotions', async (req, res) => {
    const { credentials, canRead } = await reader(req);
    const query = parseInput(promotionsQuerySchema, req.query, 'query');
    sendView(
      res,
      await promotions.listPromotions(
        { entityRef: parseEntityRef(query.entityRef), limit: query.limit },
        credentials,
        canRead,
      ),
    );
  });

  router.get('/approvals', async (req, res) => {
    const { credentials, canRead } = await reader(req);
    sendView(res, await promotions.listPendingApprovals(credentials, canRead));
  });

  addChangeRoutes(router, { ...deps, credentialsOf });

  router.use(hideUnexpectedErrors(deps.logger));
  return router;
}

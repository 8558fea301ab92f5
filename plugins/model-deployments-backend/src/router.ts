import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DeploymentsService } from './service/DeploymentsService';

const deploymentsQuery = z.object({
  entityRef: z
    .string({ required_error: 'entityRef is required' })
    .min(1, 'entityRef is required'),
});

export async function createRouter(deps: {
  httpAuth: HttpAuthService;
  deployments: DeploymentsService;
}): Promise<express.Router> {
  const { httpAuth, deployments } = deps;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/environments', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(deployments.listEnvironments());
  });

  router.get('/fleet', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await deployments.getFleet(credentials));
  });

  router.get('/deployments', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const parsed = deploymentsQuery.safeParse(req.query);
    if (!parsed.success) {
      throw new InputError(
        `Invalid query: ${parsed.error.issues
          .map(i => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
      );
    }
    let entityRef;
    try {
      entityRef = parseEntityRef(parsed.data.entityRef);
    } catch (e) {
      throw new InputError(
        `Invalid entityRef '${parsed.data.entityRef}': ${
          (e as Error).message
        }; expected kind:namespace/name`,
      );
    }
    res.json(await deployments.getEntityDeployments(entityRef, credentials));
  });

  return router;
}

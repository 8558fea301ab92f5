import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  RollbackRequest,
  approvalDecisionRequestSchema,
  environmentCreationRequestSchema,
  modelDeploymentsEnvironmentCreatePermission,
  modelDeploymentsReadPermission,
  promotionIdSchema,
  promotionRequestSchema,
  rollbackRequestSchema,
} from '@seed-mlops/plugin-model-deployments-common';
import {
  ModelEnvironmentCreationService,
  ModelPromotionService,
} from '@seed-mlops/plugin-model-deployments-node';
import express from 'express';
import { auditedWrites } from './http/audited';
import { changeOutcome } from './http/changeAudit';
import { actorRef, idempotencyKeyOf, parseInput } from './http/requests';
import { EnvironmentAccess } from './permissions/EnvironmentAccess';
import { promotionActor } from './permissions/promotionActor';

/** Outcomes of a write that changed something. */
const CREATED = [
  'committed',
  'branch-pushed',
  'pull-request-opened',
  'pending-approval',
  'created',
];

/**
 * The API's writes: promotions, their approvals, rollbacks and new
 * environments. Each parses its input, is audited, decides permissions
 * afresh and calls one service method.
 */
export function addChangeRoutes(
  router: express.Router,
  deps: {
    credentialsOf: (req: express.Request) => Promise<BackstageCredentials>;
    access: EnvironmentAccess;
    auditor: AuditorService;
    promotions: ModelPromotionService;
    environmentCreator: ModelEnvironmentCreationService;
  },
): void {
  const { credentialsOf, access, promotions, environmentCreator } = deps;
  const audited = auditedWrites(deps.auditor);

  router.post('/promotions', async (req, res) => {
    const credentials = await credentialsOf(req);
    const body = parseInput(promotionRequestSchema, req.body, 'request body');
    const idempotencyKey = idempotencyKeyOf(req);
    const result = await audited(
      req,
      {
        eventId: 'promotion',
        severityLevel: body.dryRun ? 'low' : 'medium',
        meta: {
          actor: actorRef(credentials),
          entityRef: body.entityRef,
          to: body.to,
          ...(body.from ? { from: body.from } : {}),
          ...(body.strategy ? { strategy: body.strategy } : {}),
          dryRun: body.dryRun ?? false,
          force: body.force ?? false,
          ...(idempotencyKey ? { idempotencyKey } : {}),
        },
      },
      async () =>
        promotions.promote(
          body,
          await promotionActor(body, credentials, access),
          { idempotencyKey },
        ),
      changeOutcome,
    );
    res.status(CREATED.includes(result.status) ? 201 : 200).json(result);
  });

  router.post('/rollbacks', async (req, res) => {
    const credentials = await credentialsOf(req);
    const body = parseInput(rollbackRequestSchema, req.body, 'request body');
    const idempotencyKey = idempotencyKeyOf(req);
    const result = await audited(
      req,
      {
        eventId: 'rollback',
        severityLevel: body.dryRun ? 'low' : 'medium',
        meta: {
          actor: actorRef(credentials),
          entityRef: body.entityRef,
          environment: body.environment,
          to: body.to,
          ...(body.strategy ? { strategy: body.strategy } : {}),
          dryRun: body.dryRun ?? false,
          force: body.force ?? false,
          ...(idempotencyKey ? { idempotencyKey } : {}),
        },
      },
      async () =>
        promotions.rollback(
          // The schema's refinement leaves `to` one of its two forms.
          body as RollbackRequest,
          await promotionActor(body, credentials, access),
          { idempotencyKey },
        ),
      changeOutcome,
    );
    res.status(CREATED.includes(result.status) ? 201 : 200).json(result);
  });

  router.post('/environments', async (req, res) => {
    const credentials = await credentialsOf(req);
    const body = parseInput(
      environmentCreationRequestSchema,
      req.body,
      'request body',
    );
    const result = await audited(
      req,
      {
        eventId: 'environment-create',
        severityLevel: body.dryRun ? 'low' : 'high',
        meta: {
          actor: actorRef(credentials),
          name: body.name,
          cluster: body.cluster,
          namespace: body.namespace ?? body.name,
          dryRun: body.dryRun ?? false,
        },
      },
      async () => {
        await access.require(
          modelDeploymentsEnvironmentCreatePermission,
          credentials,
          'You may not create environments',
        );
        return environmentCreator.create(body, credentials);
      },
      created => ({
        status: created.status,
        ...(created.commit ? { commit: created.commit.sha } : {}),
      }),
    );
    res.status(CREATED.includes(result.status) ? 201 : 200).json(result);
  });

  router.post('/promotions/:id/decisions', async (req, res) => {
    const credentials = await credentialsOf(req);
    const id = parseInput(promotionIdSchema, req.params.id, 'path');
    const body = parseInput(
      approvalDecisionRequestSchema,
      req.body,
      'request body',
    );
    const result = await audited(
      req,
      {
        eventId: 'promotion-approval',
        severityLevel: 'medium',
        meta: {
          actor: actorRef(credentials),
          promotionId: id,
          decision: body.decision,
        },
      },
      async () => {
        const [canRead] = await access.check(
          [modelDeploymentsReadPermission],
          credentials,
        );
        return promotions.decideApproval(id, body, credentials, canRead);
      },
      changeOutcome,
    );
    // The promotion as it is now: still waiting, rejected, or written.
    res.json(result);
  });
}

import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import {
  EnvironmentCreationRequest,
  PromotionRequest,
  deploymentsQuerySchema,
  checkRequest,
  environmentCreationRequestSchema,
  historyQuerySchema,
  promotionRequestSchema,
  promotionsQuerySchema,
  refreshRequestSchema,
  IDEMPOTENCY_KEY_HEADER,
  idempotencyKeySchema,
  modelDeploymentsEnvironmentCreatePermission,
  modelDeploymentsForcePromotePermission,
  modelDeploymentsPromotePermission,
  modelDeploymentsReadPermission,
} from '@seed-mlops/plugin-model-deployments-common';
import express from 'express';
import Router from 'express-promise-router';
import { hideUnexpectedErrors } from './http/errors';
import { strictJsonBody } from './http/jsonBody';
import { EnvironmentCreator } from './environments/EnvironmentCreator';
import { EnvironmentAccess } from './permissions/EnvironmentAccess';
import { PromotionService } from './promotion/PromotionService';
import { PromotionStore } from './promotion/PromotionStore';
import { DeploymentsService } from './service/DeploymentsService';

/** Who asked, as an entity ref for users or the subject for services. */
function actorRef(credentials: BackstageCredentials) {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}

/** Validates a query or body, naming each offending field in the 400. */
function parse<T>(checked: { data: T } | { problem: string }, what: string): T {
  if ('problem' in checked) {
    throw new InputError(`Invalid ${what}: ${checked.problem}`);
  }
  return checked.data;
}

/** A ref the schema has already checked. */
const parseRef = (value: string) => parseEntityRef(value);

export async function createRouter(deps: {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  access: EnvironmentAccess;
  auditor: AuditorService;
  deployments: DeploymentsService;
  promotions: PromotionService;
  promotionStore: PromotionStore;
  environmentCreator: EnvironmentCreator;
}): Promise<express.Router> {
  const {
    logger,
    httpAuth,
    permissions,
    access,
    auditor,
    deployments,
    promotions,
    promotionStore,
    environmentCreator,
  } = deps;
  const router = Router();
  router.use(strictJsonBody());

  /** Throws NotAllowedError with `message` unless the credentials may. */
  const requirePermission = async (
    request: AuthorizePermissionRequest,
    credentials: BackstageCredentials,
    message: string,
  ) => {
    const [decision] = await permissions.authorize([request], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(message);
    }
  };

  /** Runs a write as an audit event that succeeds or fails with it. */
  const audited = async <T>(
    req: express.Request,
    event: {
      eventId: string;
      severityLevel: 'low' | 'medium' | 'high';
      meta: JsonObject;
    },
    work: () => Promise<T>,
    outcome: (result: T) => JsonObject,
  ): Promise<T> => {
    const audit = await auditor.createEvent({ ...event, request: req });
    try {
      const result = await work();
      await audit.success({ meta: outcome(result) });
      return result;
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // The pipeline itself (names, order, where each environment lives) is
  // shown to every signed-in user; what runs in it is guarded below.
  router.get('/environments', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(deployments.listEnvironments());
  });

  /** The caller's credentials and their read check, decided once per request. */
  const reader = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    return {
      credentials,
      canRead: (
        await access.check([modelDeploymentsReadPermission], credentials)
      )[0],
    };
  };

  router.get('/fleet', async (req, res) => {
    const { credentials, canRead } = await reader(req);
    res.json(await deployments.getFleet(credentials, canRead));
  });

  router.get('/deployments', async (req, res) => {
    const { credentials, canRead } = await reader(req);
    const query = parse(
      checkRequest(deploymentsQuerySchema, req.query),
      'query',
    );
    res.json(
      await deployments.getEntityDeployments(
        parseRef(query.entityRef),
        credentials,
        canRead,
      ),
    );
  });

  router.get('/history', async (req, res) => {
    const { credentials, canRead } = await reader(req);
    const query = parse(checkRequest(historyQuerySchema, req.query), 'query');
    res.json(
      await deployments.getHistory(
        { ...query, entityRef: parseRef(query.entityRef) },
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
    const body = parse(
      checkRequest(refreshRequestSchema, req.body),
      'request body',
    );
    res.json({
      environments: await deployments.refreshGit(
        {
          environment: body.environment,
          entityRef: body.entityRef ? parseRef(body.entityRef) : undefined,
        },
        credentials,
        canRead,
      ),
    });
  });

  router.get('/promotions', async (req, res) => {
    const { credentials, canRead } = await reader(req);
    const query = parse(
      checkRequest(promotionsQuerySchema, req.query),
      'query',
    );
    const entityRef = parseRef(query.entityRef);
    const readable = await deployments.readableEnvironments(
      entityRef,
      credentials,
      canRead,
    );
    res.json({
      entityRef: stringifyEntityRef(entityRef),
      promotions: await promotionStore.list(
        stringifyEntityRef(entityRef),
        query.limit,
        readable,
      ),
    });
  });

  router.post('/promotions', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body: PromotionRequest = parse(
      checkRequest(promotionRequestSchema, req.body),
      'request body',
    );
    const header = req.header(IDEMPOTENCY_KEY_HEADER);
    const idempotencyKey =
      header === undefined
        ? undefined
        : parse(
            checkRequest(idempotencyKeySchema, header),
            `${IDEMPOTENCY_KEY_HEADER} header`,
          );
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
      async () => {
        const [canRead, canPromote, canForce] = await access.check(
          [
            modelDeploymentsReadPermission,
            modelDeploymentsPromotePermission,
            ...(body.force ? [modelDeploymentsForcePromotePermission] : []),
          ],
          credentials,
        );
        return promotions.promote(
          body,
          {
            ref: actorRef(credentials),
            credentials,
            async authorize({ entity, from, to }) {
              const model = stringifyEntityRef(entity);
              // What is copied must be visible to the one who copies it.
              if (!canRead({ environment: from, entity })) {
                throw new NotAllowedError(
                  `You may not see ${model} in environment '${from.name}'`,
                );
              }
              const target = { environment: to, entity };
              // A dry run needs the right to read the target or to promote
              // into it, a real one the latter; the target's manifests are
              // only shown to those who may read them (mayReadTarget).
              if (
                body.dryRun
                  ? !canRead(target) && !canPromote(target)
                  : !canPromote(target)
              ) {
                throw new NotAllowedError(
                  `You may not promote ${model} into environment '${to.name}'`,
                );
              }
              if (canForce && !canForce(target)) {
                throw new NotAllowedError(
                  `You may not force a promotion into environment '${to.name}'; promote a source that is Ready and in sync instead`,
                );
              }
              return { mayReadTarget: canRead(target) };
            },
          },
          { idempotencyKey },
        );
      },
      promotion => ({
        status: promotion.status,
        from: promotion.from,
        ...(promotion.commit ? { commit: promotion.commit.sha } : {}),
        ...(promotion.branch ? { branch: promotion.branch } : {}),
        ...(promotion.replayed ? { replayed: true } : {}),
      }),
    );
    res
      .status(
        ['committed', 'branch-pushed', 'pull-request-opened'].includes(
          result.status,
        )
          ? 201
          : 200,
      )
      .json(result);
  });

  router.post('/environments', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const body: EnvironmentCreationRequest = parse(
      checkRequest(environmentCreationRequestSchema, req.body),
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
        await requirePermission(
          { permission: modelDeploymentsEnvironmentCreatePermission },
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
    res.status(result.status === 'created' ? 201 : 200).json(result);
  });

  router.use(hideUnexpectedErrors(logger));
  return router;
}

import { z } from 'zod/v3';
import { entityRef, environmentName } from './schemaFields';

/*
 * The schemas of the requests that pick which deployments to read: the
 * queries of the GET routes, and the body of `POST /refresh`.
 */

/**
 * Most results one page of a paged route returns.
 *
 * @public
 */
export const MAX_PAGE_SIZE = 100;

const limit = z.coerce
  .number({ invalid_type_error: 'limit must be a number' })
  .int('limit must be a whole number')
  .min(1, 'limit must be at least 1')
  .max(MAX_PAGE_SIZE, `limit must be at most ${MAX_PAGE_SIZE}`)
  .default(20);

/** `GET /deployments` query. @public */
export const deploymentsQuerySchema = z.object({
  entityRef: entityRef('entityRef'),
});

/** `GET /history` query. @public */
export const historyQuerySchema = z.object({
  entityRef: entityRef('entityRef'),
  environment: environmentName('environment'),
  limit,
  offset: z.coerce
    .number({ invalid_type_error: 'offset must be a number' })
    .int('offset must be a whole number')
    .min(0, 'offset must be 0 or more')
    .max(100_000, 'offset must be at most 100000')
    .default(0),
});

/** `GET /promotions` query. @public */
export const promotionsQuerySchema = z.object({
  entityRef: entityRef('entityRef'),
  limit,
});

/** `POST /refresh` body. @public */
export const refreshRequestSchema = z
  .object({
    environment: environmentName('environment').optional(),
    entityRef: entityRef('entityRef').optional(),
  })
  .strict();

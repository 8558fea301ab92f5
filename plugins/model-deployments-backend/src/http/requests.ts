import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  IDEMPOTENCY_KEY_HEADER,
  checkRequest,
  idempotencyKeySchema,
} from '@seed-mlops/plugin-model-deployments-common';
import express from 'express';

/**
 * Validates a query, body or header with a schema of the common package,
 * naming each offending field in the 400.
 */
export function parseInput<Schema extends Parameters<typeof checkRequest>[0]>(
  schema: Schema,
  input: unknown,
  what: string,
) {
  const checked = checkRequest(schema, input);
  if ('problem' in checked) {
    throw new InputError(`Invalid ${what}: ${checked.problem}`);
  }
  return checked.data;
}

/** Who asked, as an entity ref for users or the subject for services. */
export function actorRef(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}

/** The request's Idempotency-Key header, checked, when it has one. */
export function idempotencyKeyOf(req: express.Request): string | undefined {
  const header = req.header(IDEMPOTENCY_KEY_HEADER);
  return header === undefined
    ? undefined
    : parseInput(
        idempotencyKeySchema,
        header,
        `${IDEMPOTENCY_KEY_HEADER} header`,
      );
}

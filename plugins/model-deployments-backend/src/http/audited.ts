import { AuditorService } from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import express from 'express';

/** An audit event of the auditor service, as a write describes it. */
export interface AuditedWrite {
  eventId: string;
  severityLevel: 'low' | 'medium' | 'high';
  meta: JsonObject;
}

/**
 * Runs writes as audit events that succeed or fail with them; `outcome`
 * says what the success event records of the result.
 */
export function auditedWrites(auditor: AuditorService) {
  return async function audited<T>(
    req: express.Request,
    event: AuditedWrite,
    work: () => Promise<T>,
    outcome: (result: T) => JsonObject,
  ): Promise<T> {
    const audit = await auditor.createEvent({ ...event, request: req });
    try {
      const result = await work();
      await audit.success({ meta: outcome(result) });
      return result;
    } catch (error) {
      await audit.fail({ error: toError(error) });
      throw error;
    }
  };
}

import { mockServices } from '@backstage/backend-test-utils';

/** One audit event as the plugin reported it. */
export interface RecordedAuditEvent {
  eventId: string;
  meta?: unknown;
  outcome?: 'success' | 'fail';
  /** The error's name when the event failed, e.g. NotAllowedError. */
  error?: string;
  /** What the success said of the outcome. */
  success?: unknown;
}

/** An auditor that keeps every event in `events`; add `factory` to a test backend. */
export function recordingAuditor() {
  const events: RecordedAuditEvent[] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async options => {
      const event: RecordedAuditEvent = {
        eventId: options.eventId,
        meta: options.meta,
      };
      events.push(event);
      return {
        success: async outcome => {
          event.outcome = 'success';
          if (outcome?.meta) event.success = outcome.meta;
        },
        fail: async ({ error }) => {
          event.outcome = 'fail';
          event.error = error.name;
        },
      };
    },
  });
  return { events, factory: auditor.factory };
}

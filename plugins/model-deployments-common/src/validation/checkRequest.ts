import { z } from 'zod/v3';
import { describeIssues } from './describeIssues';

/**
 * Validates `input` against one of the request schemas: the parsed value,
 * or the problems as one line naming each field.
 *
 * @public
 */
export function checkRequest<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
): { data: z.output<T> } | { problem: string } {
  const parsed = schema.safeParse(input ?? {});
  return parsed.success
    ? { data: parsed.data }
    : { problem: describeIssues(parsed.error) };
}

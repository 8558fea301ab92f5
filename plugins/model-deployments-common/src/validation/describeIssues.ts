import { z } from 'zod/v3';
import { quoteValue } from './values';

/**
 * The issues of a failed parse as one line: `field: problem; …`.
 *
 * @public
 */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map(issue => {
      const field = issue.path.join('.');
      if (issue.code === z.ZodIssueCode.unrecognized_keys) {
        return `${field ? `${field}: ` : ''}unknown field${
          issue.keys.length > 1 ? 's' : ''
        } ${issue.keys.map(k => quoteValue(k)).join(', ')}`;
      }
      return field ? `${field}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

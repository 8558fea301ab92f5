import { z } from 'zod/v3';
import { parseCatalogRef } from './entityRefs';
import { isDns1123Label } from './kubernetes';
import { quoteValue } from './values';

/*
 * The field schemas the request schemas share. Each issue names its field
 * (zod's path) and never repeats more than a short part of the value.
 */

/** Longest entity ref accepted: kind, namespace and name at their limits. */
const MAX_ENTITY_REF_LENGTH = 300;

/** Messages for a string field that is missing or of another type. */
export const required = (field: string) => ({
  required_error: `${field} is required`,
  invalid_type_error: `${field} must be a string`,
});

/** A catalog entity ref, e.g. `component:default/fraud-model`. */
export const entityRef = (field: string) =>
  z
    .string(required(field))
    .min(1, `${field} is required`)
    .max(
      MAX_ENTITY_REF_LENGTH,
      `${field} must be at most ${MAX_ENTITY_REF_LENGTH} characters`,
    )
    .superRefine((value, ctx) => {
      const parsed = parseCatalogRef(value);
      if ('problem' in parsed) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.problem });
      }
    });

/** A name Kubernetes accepts as a label: namespaces and environment names. */
export const dnsLabel = (field: string) =>
  z.string(required(field)).refine(
    value => isDns1123Label(value),
    value => ({
      message: `${quoteValue(
        value,
      )} is not a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters)`,
    }),
  );

/** The name of a configured environment, as requests refer to it. */
export const environmentName = (field: string) =>
  z
    .string(required(field))
    .min(1, `${field} must not be empty`)
    .max(63, `${field} must be at most 63 characters`);

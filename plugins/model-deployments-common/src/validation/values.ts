/**
 * Longest part of a user's value that an error message repeats.
 *
 * @public
 */
export const MAX_QUOTED_CHARACTERS = 80;

/**
 * A value as error messages quote it: JSON-quoted, so control characters
 * show as escapes, and cut after {@link MAX_QUOTED_CHARACTERS} characters,
 * so a 90 KB value is never echoed back whole.
 *
 * @public
 */
export function quoteValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return String(value);
  if (text.length <= MAX_QUOTED_CHARACTERS) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, MAX_QUOTED_CHARACTERS))}… (${
    text.length
  } characters)`;
}

/** Never let a credential into a message that reaches logs or the browser. */
export function redact(message: string) {
  return message.replace(/\/\/[^/@\s]+@/g, '//***@');
}

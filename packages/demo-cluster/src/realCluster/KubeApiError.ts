/** An answer other than the one expected, with the server's own message. */
export class KubeApiError extends Error {
  constructor(
    readonly action: string,
    readonly status: number,
    readonly body: any,
  ) {
    const reason = typeof body === 'object' && body ? body.reason : undefined;
    const message =
      typeof body === 'object' && body
        ? body.message ?? JSON.stringify(body)
        : String(body ?? '').trim();
    super(
      `${action}: the API server answered ${status}${
        reason ? ` ${reason}` : ''
      }: ${message}`,
    );
    this.name = 'KubeApiError';
  }
}

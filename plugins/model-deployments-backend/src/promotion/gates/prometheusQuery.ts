/**
 * An instant query of the Prometheus HTTP API (`GET /api/v1/query`): the
 * first sample's value, or undefined when the result holds none. Throws
 * with Prometheus's own error, or on a timeout.
 */
export async function prometheusInstantQuery(
  server: { baseUrl: string; timeoutMs: number },
  query: string,
): Promise<number | undefined> {
  const url = `${server.baseUrl}/api/v1/query?${new URLSearchParams({
    query,
  })}`;
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(server.timeoutMs),
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    const reason =
      (error as Error)?.name === 'TimeoutError'
        ? `no answer within ${server.timeoutMs} ms`
        : String((error as Error)?.message ?? error);
    throw new Error(`Prometheus at ${server.baseUrl}: ${reason}`);
  }
  const body = (await response.json().catch(() => undefined)) as
    | {
        status?: string;
        error?: string;
        data?: { resultType?: string; result?: unknown };
      }
    | undefined;
  if (!response.ok || body?.status !== 'success') {
    throw new Error(
      `Prometheus at ${server.baseUrl} answered ${response.status}: ${
        body?.error ?? response.statusText
      }`,
    );
  }
  const { resultType, result } = body.data ?? {};
  // https://prometheus.io/docs/prometheus/latest/querying/api/#expression-query-result-formats
  let sample: unknown;
  if (resultType === 'vector' && Array.isArray(result)) {
    sample = (result[0] as { value?: [number, string] } | undefined)
      ?.value?.[1];
  } else if (resultType === 'scalar' && Array.isArray(result)) {
    sample = result[1];
  } else {
    throw new Error(
      `Prometheus answered a ${resultType} for "${query}"; a gate needs an instant vector or scalar`,
    );
  }
  if (sample === undefined) return undefined;
  const value = Number(sample);
  return Number.isNaN(value) ? undefined : value;
}

// The report's list of the numbers outside the comparison table: the fleet
// API, the entity view with the example policy, the watch cache, the 50
// pages, connection retries and the fleet page in Chromium.
export const format = {
  ms: x => (Number.isFinite(x) ? (x < 10 ? x.toFixed(1) : x.toFixed(0)) : '–'),
  kb: x => (Number.isFinite(x) ? (x / 1024).toFixed(1) : '–'),
  req: x => (Number.isFinite(x) ? x.toFixed(x % 1 ? 2 : 0) : '–'),
};
const { ms, kb, req } = format;

function fleetLines(r) {
  if (!r.fleet) return '';
  const f = r.fleet.fleet;
  const e = r.fleet.entityView;
  return [
    `- **Fleet API** \`GET /api/model-deployments/fleet\`, ${r.fleet.models} models × ${r.fleet.environments} environments, ` +
      `${r.fleet.permissionNote}, signed-in user: p50 ${ms(f.p50)} ms, p95 ${ms(
        f.p95,
      )} ms, p99 ${ms(f.p99)} ms ` +
      `(n ${f.n}${f.failures ? `, ${f.failures} failed` : ''}); ${kb(
        f.jsonBytes,
      )} KB of JSON ` +
      `(${kb(f.perModelJsonBytes)} KB per model), ${kb(
        f.wireBytes,
      )} KB gzip; ${req(f.clusterRequests)} cluster requests per call.`,
    `- **Entity view with the example policy** (same backend): p50 ${ms(
      e.p50,
    )} ms, p95 ${ms(e.p95)} ms, ` +
      `p99 ${ms(e.p99)} ms (n ${e.n}); ${kb(e.jsonBytes)} KB; ${req(
        e.clusterRequests,
      )} cluster requests per view.`,
  ].join('\n');
}

export function otherNumbers(r) {
  const lines = [fleetLines(r)].filter(Boolean);
  if (r.cache) {
    const c = r.cache;
    const median = list =>
      [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
    lines.push(
      `- **Watch cache memory**: ${(c.bytesPerResource / 1024).toFixed(
        2,
      )} KiB of heap per cached resource ` +
        `(${c.objects} SeldonDeployments in ${
          c.informers
        } informers: heap used +${(
          (c.heapLoadedBytes - c.heapBaseBytes) /
          1048576
        ).toFixed(1)} MiB after full GCs; RSS +${(
          c.rssDeltaBytes / 1048576
        ).toFixed(1)} MiB).`,
      `- **Cold sync of ${c.objects} resources**: ${c.firstSyncSeconds.toFixed(
        2,
      )} s in a fresh process; ` +
        c.syncs
          .map(
            s =>
              `median ${median(s.seconds).toFixed(2)} s (${
                s.seconds.length
              } fresh caches) at ${s.delayMs} ms round trip`,
          )
          .join(', ') +
        '.',
    );
  }
  if (r.pages) {
    for (const p of r.pages.results) {
      lines.push(
        `- **${p.pages} pages open, ${p.title}** (each refreshing every ${p.intervalSeconds} s, ${p.windowSeconds} s window): ` +
          `${p.clusterRequestsPerMinute.toFixed(
            0,
          )} cluster requests per minute ` +
          `(${p.apiRequests} API calls, p50 ${ms(p.p50)} ms; ${p.note}).`,
      );
    }
  }
  const retries = [
    'compare',
    'clusters2',
    'clusters6',
    'real',
    'fleet',
    'pages',
  ]
    .filter(k => r[k]?.connectionRetries)
    .map(k => `${r[k].connectionRetries} in ${k}`);
  if (retries.length) {
    lines.push(
      `- **Connections refused or reset and retried** by the load generator: ${retries.join(
        ', ',
      )} (each retried at once; the answer that followed is the one measured).`,
    );
  }
  if (r.render) {
    lines.push(
      `- **Fleet page in Chromium** (production build, ${r.render.models} models × ${r.render.environments} environments): ` +
        `the count and the first page (${
          r.render.pageRows ?? r.render.models
        } rows) rendered ${ms(r.render.p50)} ms (p50 of ${
          r.render.n
        } loads; max ${ms(r.render.max)} ms) after its data arrived.`,
    );
  }
  return lines.join('\n');
}

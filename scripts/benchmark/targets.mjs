// The targets of issue 17 and the verdict on each from the measured results:
// met, missed, or not measured (no result, or a phase that failed).
const NOT = 'not measured';
const verdict = ok => (ok ? 'met' : 'missed');
const f1 = x => x.toFixed(1);

export function targets(r) {
  const out = [];
  const rows = r.compare?.results ?? [];
  const find = (delay, caller, endpoint) =>
    rows.find(
      x =>
        x.delayMs === delay && x.caller === caller && x.endpoint === endpoint,
    );
  const delays = [...new Set(rows.map(x => x.delayMs))];

  const oursUser = delays.map(d => find(d, 'user', 'ours')).filter(Boolean);
  out.push({
    target: 'Entity view p50 ≤ 5 ms for a signed-in user',
    measured: oursUser.length
      ? oursUser
          .map(x => `${f1(x.p50)} ms at ${x.delayMs} ms round trip`)
          .join(', ') +
        (r.fleet
          ? `; ${f1(r.fleet.entityView.p50)} ms with ${
              r.fleet.permissionNote
            } (${r.fleet.models} × ${r.fleet.environments})`
          : '')
      : NOT,
    verdict: oursUser.length ? verdict(oursUser.every(x => x.p50 <= 5)) : NOT,
  });

  const ratios = delays.flatMap(d =>
    ['services', 'custom'].flatMap(endpoint => {
      const ours = find(d, 'user', 'ours');
      const theirs = find(d, 'user', endpoint);
      return ours && theirs
        ? [{ d, endpoint, ratio: theirs.p50 / ours.p50 }]
        : [];
    }),
  );
  out.push({
    target:
      '≥ 20× faster than the Kubernetes plugin at the seeded scale (p50, signed-in user)',
    measured: ratios.length
      ? ratios
          .map(x => `${f1(x.ratio)}× vs ${x.endpoint} at ${x.d} ms`)
          .join(', ')
      : NOT,
    verdict: ratios.length ? verdict(ratios.every(x => x.ratio >= 20)) : NOT,
  });

  const fleet = r.fleet?.fleet;
  const fleetScale =
    r.fleet && r.fleet.models === 1000 && r.fleet.environments === 4;
  out.push({
    target: 'Fleet API p50 ≤ 30 ms at 1,000 models × 4 environments',
    measured: fleet
      ? `p50 ${f1(fleet.p50)} ms, p95 ${f1(fleet.p95)} ms at ${
          r.fleet.models
        } × ${r.fleet.environments}`
      : NOT,
    verdict:
      fleet && fleetScale && !fleet.failures ? verdict(fleet.p50 <= 30) : NOT,
  });

  const oursAll = rows.filter(x => x.endpoint === 'ours');
  const perModel = [
    ...oursAll.map(x => x.jsonBytes),
    ...(fleet ? [fleet.perModelJsonBytes] : []),
  ];
  out.push({
    target: '≤ 20 KB per model per response',
    measured: perModel.length
      ? `entity view ${
          oursAll.length
            ? (Math.max(...oursAll.map(x => x.jsonBytes)) / 1024).toFixed(1)
            : '–'
        } KB` +
        (fleet
          ? `, fleet ${(fleet.perModelJsonBytes / 1024).toFixed(
              1,
            )} KB per model`
          : '') +
        ' (decoded JSON)'
      : NOT,
    verdict: perModel.length
      ? verdict(perModel.every(b => b <= 20 * 1024))
      : NOT,
  });

  const views = [
    ...oursAll,
    ...(r.fleet ? [r.fleet.entityView, r.fleet.fleet] : []),
    ...(r.clusters2?.results ?? []).filter(x => x.endpoint === 'ours'),
    ...(r.clusters6?.results ?? []).filter(x => x.endpoint === 'ours'),
    ...(r.real?.results ?? []).filter(x => x.endpoint === 'ours'),
  ];
  const calls = views.reduce((n, x) => n + x.clusterRequests * x.n, 0);
  const count = views.reduce((n, x) => n + x.n, 0);
  out.push({
    target: 'No cluster request per page view',
    measured: count
      ? `${Math.round(
          calls,
        )} cluster requests in ${count} views and fleet calls`
      : NOT,
    verdict: count ? verdict(calls === 0) : NOT,
  });

  const c = r.cache;
  out.push({
    target: '≤ 3 KB memory per cached resource',
    measured: c
      ? `${(c.bytesPerResource / 1024).toFixed(2)} KiB (heap, ${
          c.objects
        } resources)`
      : NOT,
    verdict: c ? verdict(c.bytesPerResource <= 3 * 1024) : NOT,
  });
  const worstSync = c
    ? Math.max(c.firstSyncSeconds, ...c.syncs.flatMap(s => s.seconds))
    : NaN;
  out.push({
    target: 'Cold sync of 10,000 resources ≤ 5 s',
    measured: c
      ? `${c.firstSyncSeconds.toFixed(
          2,
        )} s first, slowest of all ${worstSync.toFixed(2)} s (${
          c.objects
        } resources)`
      : NOT,
    verdict: c && c.objects >= 10000 ? verdict(worstSync <= 5) : NOT,
  });

  const g = r.render;
  out.push({
    target: 'Fleet page rendered ≤ 300 ms after its data arrives',
    measured: g
      ? `p50 ${g.p50.toFixed(0)} ms, max ${g.max.toFixed(0)} ms (${
          g.models
        } × ${g.environments}, first page of ${
          g.pageRows ?? g.models
        } rows, Chromium)`
      : NOT,
    verdict: g ? verdict(g.p50 <= 300) : NOT,
  });
  return out;
}

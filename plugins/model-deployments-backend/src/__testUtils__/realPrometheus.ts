import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import http from 'http';
import { AddressInfo } from 'net';
import os from 'os';
import path from 'path';

/** Debian's package, installed by `ensure_prometheus` (scripts/toolchain.sh). */
const PROMETHEUS = process.env.PROMETHEUS_PATH ?? '/usr/bin/prometheus';

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/**
 * A real Prometheus (Debian's) scraping a loopback metrics endpoint whose
 * values the test sets, every 200 ms. Metric gates are tested against its
 * HTTP API, PromQL and all. `start` in beforeAll, `stop` in afterAll.
 */
export function realPrometheus() {
  const samples = new Map<string, number>();
  const exporter = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/plain; version=0.0.4');
    res.end(
      [...samples].map(([series, value]) => `${series} ${value}\n`).join(''),
    );
  });
  let prometheus: ChildProcess | undefined;
  let dir: string | undefined;
  let log = '';
  const state = { url: '' };

  return {
    /** The HTTP API's base URL, e.g. `http://127.0.0.1:39123`. */
    get url() {
      return state.url;
    },

    /** Sets one series the exporter serves, e.g. `model_errors{name="x"}`. */
    set(series: string, value: number) {
      samples.set(series, value);
    },

    async start() {
      if (!fs.existsSync(PROMETHEUS)) {
        throw new Error(
          `Prometheus not found at ${PROMETHEUS}: run \`source scripts/toolchain.sh && ensure_prometheus\` (Debian's package), or set PROMETHEUS_PATH`,
        );
      }
      await new Promise<void>(resolve =>
        exporter.listen(0, '127.0.0.1', resolve),
      );
      const exporterPort = (exporter.address() as AddressInfo).port;
      const port = await freePort();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-test-'));
      fs.writeFileSync(
        path.join(dir, 'prometheus.yml'),
        [
          'global:',
          '  scrape_interval: 200ms',
          '  evaluation_interval: 200ms',
          'scrape_configs:',
          '  - job_name: models',
          '    static_configs:',
          `      - targets: ['127.0.0.1:${exporterPort}']`,
          '',
        ].join('\n'),
      );
      prometheus = spawn(
        PROMETHEUS,
        [
          `--config.file=${path.join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${path.join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      prometheus.stderr?.on('data', chunk => {
        log = (log + String(chunk)).slice(-4000);
      });
      state.url = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 30_000;
      for (;;) {
        const ready = await fetch(`${state.url}/-/ready`)
          .then(r => r.ok)
          .catch(() => false);
        if (ready) return;
        if (prometheus.exitCode !== null || Date.now() > deadline) {
          throw new Error(`Prometheus did not start: ${log}`);
        }
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    },

    /**
     * Waits until an instant query returns `value` (a scrape took the last
     * `set`), for at most 20 s.
     */
    async waitForValue(query: string, value: number) {
      const deadline = Date.now() + 20_000;
      let last: unknown;
      while (Date.now() < deadline) {
        const body = await fetch(
          `${state.url}/api/v1/query?${new URLSearchParams({ query })}`,
        ).then(r => r.json());
        last = body?.data?.result?.[0]?.value?.[1];
        if (Number(last) === value) return;
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      throw new Error(`${query} is ${String(last)}, not ${value}, after 20 s`);
    },

    async stop() {
      if (prometheus && prometheus.exitCode === null) {
        const exited = new Promise(resolve =>
          prometheus!.once('exit', resolve),
        );
        prometheus.kill('SIGTERM');
        await exited;
      }
      await new Promise(resolve => exporter.close(resolve));
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

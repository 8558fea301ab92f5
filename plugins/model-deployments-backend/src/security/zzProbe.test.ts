import fs from 'fs';
import request from 'supertest';
import { startSecurityBackend, SecurityBackend } from '../__testUtils__/securityBackend';

describe('probe', () => {
  let s: SecurityBackend;
  const env = process.env.NODE_ENV;
  beforeAll(async () => { process.env.NODE_ENV = 'production'; try { s = await startSecurityBackend(); } finally { process.env.NODE_ENV = env; } }, 60000);
  afterAll(async () => { await s?.stop(); });
  it('probes', async () => {
    const out: string[] = [];
    const log = (label: string, res: any) => out.push(`${label} -> ${res.status} ${JSON.stringify(res.body).slice(0, 600)}`);
    log('no header', await request(s.backend.server).get('/api/model-deployments/fleet'));
    log('no header post', await request(s.backend.server).post('/api/model-deployments/refresh').send({}));
    log('502', await s.post('allow-all', '/environments', { name: 'qa', cluster: 'demo', stage: 15, dryRun: true, gitops: { repoUrl: `${s.gitServer.url}/nope.git` } }));
    log('404', await s.get('allow-all', '/deployments?entityRef=component:default/nope'));
    fs.writeFileSync('/tmp/probe.txt', out.join('\n\n') + '\nNODE_ENV=' + process.env.NODE_ENV);
  }, 60000);
});

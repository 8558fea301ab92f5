import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import Router from 'express-promise-router';
import request from 'supertest';
import {
  SecretScanResults,
  scanResponsesForSecrets,
  secretsInConfig,
} from './secretScan';

describe('secretsInConfig', () => {
  it('finds tokens, passwords and passwords in URLs, and nothing else', () => {
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'c',
                url: 'https://k8s',
                serviceAccountToken: 'sa-token-1',
              },
            ],
          },
        ],
      },
      integrations: {
        github: [{ host: 'github.com', token: 'ghp_abcdef' }],
        bitbucketServer: [{ host: 'b', username: 'me', password: 'pa55word' }],
      },
      modelDeployments: {
        environments: [
          {
            name: 'dev',
            gitops: { repoUrl: 'https://bot:url-secret@git.example.com/r.git' },
          },
        ],
      },
      app: { title: 'Portal with a long title' },
      short: { token: 'abc' },
    });
    expect(secretsInConfig(config).sort()).toEqual(
      ['ghp_abcdef', 'pa55word', 'sa-token-1', 'url-secret'].sort(),
    );
  });
});

describe('scanResponsesForSecrets', () => {
  it('records a response that carries a secret in its body or headers', async () => {
    const results: SecretScanResults = { scanned: 0, findings: [] };
    const leaky = createBackendPlugin({
      pluginId: 'leaky',
      register(env) {
        env.registerInit({
          deps: { httpRouter: coreServices.httpRouter },
          async init({ httpRouter }) {
            const router = Router();
            router.get('/body', (_req, res) => {
              res.json({ token: 'leaked-sa-token' });
            });
            router.get('/header', (_req, res) => {
              res.setHeader('x-debug', 'leaked-sa-token');
              res.send('ok');
            });
            router.get('/clean', (_req, res) => {
              res.json({ fine: true });
            });
            httpRouter.use(router);
            httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [leaky],
    });
    const config = new ConfigReader({
      cluster: { serviceAccountToken: 'leaked-sa-token' },
    });
    scanResponsesForSecrets(server, secretsInConfig(config), results);
    await request(server).get('/api/leaky/body').expect(200);
    await request(server).get('/api/leaky/header').expect(200);
    await request(server).get('/api/leaky/clean').expect(200);
    expect(results.scanned).toBe(3);
    expect(results.findings).toEqual([
      'GET /api/leaky/body -> 200 carried 1 secret(s)',
      'GET /api/leaky/header -> 200 carried 1 secret(s)',
    ]);
  });
});

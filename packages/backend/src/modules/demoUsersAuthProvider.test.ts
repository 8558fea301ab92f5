import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import authPlugin from '@backstage/plugin-auth-backend';
import request from 'supertest';
import { authModuleDemoUsersProvider } from './demoUsersAuthProvider';

const user = (name: string, displayName: string, memberOf: string[]) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { profile: { displayName, email: `${name}@example.com` }, memberOf },
  relations: memberOf.map(group => ({
    type: 'memberOf',
    targetRef: `group:default/${group}`,
  })),
});

const entities = [
  user('priya', 'Priya Raman', ['ml-platform', 'release-managers']),
  user('tomas', 'Tomás Ortega', ['risk-ml']),
  user('amara', 'Amara Okafor', ['growth-ml']),
];

function start(auth: object) {
  return startTestBackend({
    features: [
      authPlugin,
      authModuleDemoUsersProvider,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: { baseUrl: 'http://localhost:7007' },
          auth,
        },
      }),
    ],
  });
}

const refresh = (server: Parameters<typeof request>[0], userName?: string) => {
  const req = request(server)
    .get('/api/auth/demo/refresh')
    .set('X-Requested-With', 'XMLHttpRequest');
  return userName === undefined ? req : req.set('x-demo-user', userName);
};

describe('the demo sign-in provider', () => {
  const demo = { providers: { demo: { users: ['priya', 'tomas', 'kenji'] } } };
  const nodeEnv = process.env.NODE_ENV;
  beforeEach(() => {
    // The demo runs with `yarn start`, i.e. in development.
    process.env.NODE_ENV = 'development';
  });
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('signs in as a listed catalog user with the groups of its memberOf', async () => {
    const { server } = await start(demo);
    const res = await refresh(server, 'priya');
    expect(res.status).toBe(200);
    expect(res.body.profile).toEqual({
      displayName: 'Priya Raman',
      email: 'priya@example.com',
    });
    expect(res.body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/priya',
      ownershipEntityRefs: expect.arrayContaining([
        'user:default/priya',
        'group:default/ml-platform',
        'group:default/release-managers',
      ]),
    });
    expect(
      res.body.backstageIdentity.identity.ownershipEntityRefs,
    ).toHaveLength(3);
    expect(res.body.backstageIdentity.token).toEqual(expect.any(String));
  });

  it('answers 401 without the header', async () => {
    const { server } = await start(demo);
    const res = await refresh(server);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({
      name: 'AuthenticationError',
      message: expect.stringContaining('x-demo-user'),
    });
  });

  it('answers 403 for a user that is in the catalog but not listed', async () => {
    const { server } = await start(demo);
    const res = await refresh(server, 'amara');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(/"amara".*not a demo user/),
    });
  });

  it('answers 404 naming a listed user that is missing from the catalog', async () => {
    const { server } = await start(demo);
    const res = await refresh(server, 'kenji');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('user:default/kenji');
  });

  it('refuses outside development unless explicitly allowed', async () => {
    process.env.NODE_ENV = 'production';
    const { server } = await start(demo);
    const res = await refresh(server, 'priya');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/only works in development/);

    const allowed = await start({
      providers: {
        demo: {
          ...demo.providers.demo,
          dangerouslyAllowOutsideDevelopment: true,
        },
      },
    });
    expect((await refresh(allowed.server, 'priya')).status).toBe(200);
  });

  it('registers nothing without auth.providers.demo', async () => {
    const { server } = await start({ providers: {} });
    const res = await refresh(server, 'priya');
    expect(res.status).toBe(404);
  });

  it('refuses entity refs in place of names in the config', async () => {
    await expect(
      start({ providers: { demo: { users: ['user:default/priya'] } } }),
    ).rejects.toThrow(/user entity names such as "guest"/);
  });
});

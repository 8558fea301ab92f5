import {
  configApiRef,
  discoveryApiRef,
  IdentityApi,
} from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DEMO_USER_STORAGE_KEY, DemoSignInPage } from './DemoSignInPage';

const AUTH = 'http://localhost:7007/api/auth';

const demoSignIn = {
  users: [
    { name: 'guest', title: 'Guest', description: 'ML platform, admin.' },
    { name: 'priya', title: 'Priya Raman', description: 'Release manager.' },
    { name: 'tomas', title: 'Tomás Ortega' },
  ],
};

function session(name: string) {
  return {
    profile: { displayName: name },
    backstageIdentity: {
      token: 'a.e30.c',
      identity: {
        type: 'user',
        userEntityRef: `user:default/${name}`,
        ownershipEntityRefs: [`user:default/${name}`],
      },
    },
  };
}

function render(app: object, onSignInSuccess = jest.fn()) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          configApiRef,
          mockApis.config({ data: { app: { title: 'Demo', ...app } } }),
        ],
        [discoveryApiRef, { getBaseUrl: async () => AUTH }],
      ]}
    >
      <DemoSignInPage onSignInSuccess={onSignInSuccess} />
    </TestApiProvider>,
  );
}

/** The x-demo-user header of each refresh request. */
function mockRefresh(status = 200) {
  return jest.spyOn(window, 'fetch').mockImplementation(async (url, init) => {
    const user = new Headers(init?.headers).get('x-demo-user') ?? '';
    expect(url).toBe(`${AUTH}/demo/refresh`);
    if (status !== 200) {
      return new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: `"${user}" is not allowed`,
          },
          response: { statusCode: status },
        }),
        { status, headers: { 'content-type': 'application/json' } },
      );
    }
    return new Response(JSON.stringify(session(user)), {
      headers: { 'content-type': 'application/json' },
    });
  });
}

const sentUsers = (fetch: jest.SpyInstance) =>
  fetch.mock.calls.map(([, init]) =>
    new Headers(init?.headers).get('x-demo-user'),
  );

describe('DemoSignInPage', () => {
  beforeEach(() => window.localStorage.clear());
  afterEach(() => jest.restoreAllMocks());

  it('signs in as the chosen demo user and forgets the choice on sign-out', async () => {
    const fetch = mockRefresh();
    const onSignInSuccess = jest.fn();
    await render({ demoSignIn }, onSignInSuccess);

    expect(screen.getByText(/This is a demo portal/)).toBeInTheDocument();
    expect(screen.getByText('Release manager.')).toBeInTheDocument();
    expect(
      screen
        .getAllByRole('button', { name: /^Sign in as / })
        .map(b => b.textContent),
    ).toEqual([
      'Sign in as Guest',
      'Sign in as Priya Raman',
      'Sign in as Tomás Ortega',
    ]);

    await userEvent.click(
      screen.getByRole('button', { name: 'Sign in as Priya Raman' }),
    );
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalledTimes(1));
    expect(sentUsers(fetch)).toEqual(['priya']);
    expect(window.localStorage.getItem(DEMO_USER_STORAGE_KEY)).toBe('priya');

    const identity: IdentityApi = onSignInSuccess.mock.calls[0][0];
    expect(await identity.getBackstageIdentity()).toMatchObject({
      userEntityRef: 'user:default/priya',
    });
    await identity.signOut();
    expect(window.localStorage.getItem(DEMO_USER_STORAGE_KEY)).toBeNull();
  });

  it('signs in as the stored user without asking', async () => {
    window.localStorage.setItem(DEMO_USER_STORAGE_KEY, 'tomas');
    const fetch = mockRefresh();
    const onSignInSuccess = jest.fn();
    await render({ demoSignIn }, onSignInSuccess);
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalledTimes(1));
    expect(sentUsers(fetch)).toEqual(['tomas']);
    expect(screen.queryByRole('button', { name: /^Sign in as / })).toBeNull();
  });

  it('ignores a stored user the config no longer lists', async () => {
    window.localStorage.setItem(DEMO_USER_STORAGE_KEY, 'amara');
    const fetch = mockRefresh();
    await render({ demoSignIn });
    expect(
      screen.getByRole('button', { name: 'Sign in as Guest' }),
    ).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('shows why sign-in failed and offers the users again', async () => {
    mockRefresh(403);
    const onSignInSuccess = jest.fn();
    await render({ demoSignIn }, onSignInSuccess);
    await userEvent.click(
      screen.getByRole('button', { name: 'Sign in as Tomás Ortega' }),
    );
    expect(
      await screen.findByText(/Could not sign in as tomas/),
    ).toBeInTheDocument();
    expect(screen.getByText(/"tomas" is not allowed/)).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Choose another user' }),
    );
    expect(
      screen.getByRole('button', { name: 'Sign in as Guest' }),
    ).toBeInTheDocument();
    expect(window.localStorage.getItem(DEMO_USER_STORAGE_KEY)).toBeNull();
    expect(onSignInSuccess).not.toHaveBeenCalled();
  });

  it('is the guest sign-in page without app.demoSignIn', async () => {
    await render({});
    expect(screen.getByRole('button', { name: 'Enter' })).toBeInTheDocument();
    expect(screen.queryByText(/This is a demo portal/)).toBeNull();
  });
});

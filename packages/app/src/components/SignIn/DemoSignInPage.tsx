import {
  Content,
  ErrorPanel,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
  SignInPage,
} from '@backstage/core-components';
import {
  configApiRef,
  IdentityApi,
  ProfileInfo,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useCallback, useMemo, useState } from 'react';

/*
 * The example portal's sign-in page: pick one of the demo users of
 * examples/org.yaml and sign in as them through the backend's `demo`
 * provider, which trusts the x-demo-user header. Demo only; without
 * app.demoSignIn in the config this is the plain guest sign-in page.
 */

/** Where the chosen demo user is kept between page loads. */
export const DEMO_USER_STORAGE_KEY = 'model-deployments-demo:sign-in-user';

/** A user the page offers, from `app.demoSignIn.users`. */
export interface DemoUser {
  /** User entity name, sent in the x-demo-user header. */
  name: string;
  /** Display name. */
  title: string;
  description?: string;
}

function readStoredUser(): string | undefined {
  try {
    return window.localStorage.getItem(DEMO_USER_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function storeUser(name: string | undefined) {
  try {
    if (name) {
      window.localStorage.setItem(DEMO_USER_STORAGE_KEY, name);
    } else {
      window.localStorage.removeItem(DEMO_USER_STORAGE_KEY);
    }
  } catch {
    // Storage unavailable: the choice lasts until the page reloads.
  }
}

type LegacyIdentityApi = IdentityApi & {
  getUserId?(): string;
  getProfile?(): ProfileInfo;
  getIdToken?(): Promise<string | undefined>;
};

/**
 * The demo provider's identity, except that signing out also forgets the
 * chosen user, so the app (which reloads after sign-out) shows the picker
 * again. The proxied identity's own signOut only stops its requests.
 */
function forgetChoiceOnSignOut(identity: LegacyIdentityApi): IdentityApi {
  const wrapped: LegacyIdentityApi = {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      storeUser(undefined);
      await identity.signOut();
    },
  };
  // Older callers still use these through the app's identity proxy.
  if (identity.getUserId) wrapped.getUserId = () => identity.getUserId!();
  if (identity.getProfile) wrapped.getProfile = () => identity.getProfile!();
  if (identity.getIdToken) wrapped.getIdToken = () => identity.getIdToken!();
  return wrapped;
}

function DemoUserPicker(props: {
  appTitle: string;
  users: DemoUser[];
  onChoose(name: string): void;
}) {
  const { appTitle, users, onChoose } = props;
  return (
    <Page themeId="home">
      <Header title={appTitle} subtitle="Demo sign-in" />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <Typography variant="body1">
              This is a demo portal: pick a user from the example organisation
              to see what they own and may do. There are no passwords; the demo
              sign-in provider trusts the choice and is never used outside a
              demo. Sign out from Settings to choose someone else.
            </Typography>
          </Grid>
          {users.map(user => (
            <Grid item xs={12} sm={6} md={4} key={user.name}>
              <InfoCard
                title={user.title}
                subheader={`user:default/${user.name}`}
              >
                {user.description && (
                  <Typography variant="body2" paragraph>
                    {user.description}
                  </Typography>
                )}
                <Button
                  variant="contained"
                  color="primary"
                  onClick={() => onChoose(user.name)}
                >
                  Sign in as {user.title}
                </Button>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}

/**
 * Signs in as the stored demo user, or lets the visitor pick one. An error
 * (say the backend no longer lists that user) offers the picker again.
 */
function DemoSignInError(props: {
  appTitle: string;
  user: string;
  error?: Error;
  onChooseAgain(): void;
}) {
  const { appTitle, user, error, onChooseAgain } = props;
  // The backend's reason, e.g. that the user is not a demo user, is the
  // cause of the ResponseError the sign-in request fails with.
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const reason = cause instanceof Error ? cause.message : error?.message;
  return (
    <Page themeId="home">
      <Header title={appTitle} subtitle="Demo sign-in" />
      <Content>
        <ErrorPanel
          title={`Could not sign in as ${user}${reason ? `: ${reason}` : ''}`}
          error={error ?? new Error('Unknown error')}
        />
        <Box mt={2}>
          <Button variant="contained" color="primary" onClick={onChooseAgain}>
            Choose another user
          </Button>
        </Box>
      </Content>
    </Page>
  );
}

function DemoUsersSignIn(
  props: SignInPageProps & { appTitle: string; users: DemoUser[] },
) {
  const { appTitle, users, onSignInSuccess, ...rest } = props;
  const [chosen, setChosen] = useState<string | undefined>(() => {
    const stored = readStoredUser();
    return users.some(user => user.name === stored) ? stored : undefined;
  });
  const ErrorComponent = useCallback(
    ({ error }: { error?: Error }) => (
      <DemoSignInError
        appTitle={appTitle}
        user={chosen ?? ''}
        error={error}
        onChooseAgain={() => {
          storeUser(undefined);
          setChosen(undefined);
        }}
      />
    ),
    [appTitle, chosen],
  );

  if (!chosen) {
    return (
      <DemoUserPicker
        appTitle={appTitle}
        users={users}
        onChoose={name => {
          storeUser(name);
          setChosen(name);
        }}
      />
    );
  }
  return (
    <ProxiedSignInPage
      {...rest}
      key={chosen}
      provider="demo"
      headers={{ 'x-demo-user': chosen }}
      onSignInSuccess={identity =>
        onSignInSuccess(forgetChoiceOnSignOut(identity))
      }
      ErrorComponent={ErrorComponent}
    />
  );
}

/** Reads `app.demoSignIn.users`; undefined when the section is absent. */
export function useDemoUsers(): DemoUser[] | undefined {
  const config = useApi(configApiRef);
  return useMemo(
    () =>
      config.getOptionalConfigArray('app.demoSignIn.users')?.map(user => ({
        name: user.getString('name'),
        title: user.getString('title'),
        description: user.getOptionalString('description'),
      })),
    [config],
  );
}

/**
 * The app's sign-in page: the demo user picker when `app.demoSignIn.users`
 * is configured, guest sign-in otherwise.
 */
export function DemoSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const users = useDemoUsers();
  if (!users?.length) {
    return <SignInPage {...props} auto providers={['guest']} />;
  }
  return (
    <DemoUsersSignIn
      {...props}
      appTitle={config.getOptionalString('app.title') ?? 'Backstage'}
      users={users}
    />
  );
}

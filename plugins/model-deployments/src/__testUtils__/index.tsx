import {
  configApiRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { MockFetchApi, mockApis, TestApiProvider } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import { ModelDeploymentsClient, modelDeploymentsApiRef } from '../api';

type ConfigData = NonNullable<Parameters<typeof mockApis.config>[0]>['data'];

/** Where the mocked discovery API places the model-deployments backend. */
export const BASE_URL = 'http://example.com/api/model-deployments';

/** A real client over the global fetch, which msw intercepts. */
export function createTestClient() {
  return new ModelDeploymentsClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi(),
  });
}

/** A signal's message: a JSON object. */
type JsonObject = Parameters<Parameters<SignalApi['subscribe']>[1]>[0];

/** One subscription made through {@link TestSignalApi}. */
export interface TestSignalSubscription {
  channel: string;
  /** False once the subscriber unsubscribed. */
  active: boolean;
}

/**
 * A signal API for tests: records the subscriptions and delivers messages to
 * the active subscribers of a channel, as the signals plugin's client does.
 */
export class TestSignalApi implements SignalApi {
  readonly subscriptions: TestSignalSubscription[] = [];
  private readonly listeners = new Map<
    TestSignalSubscription,
    (message: JsonObject) => void
  >();

  subscribe<TMessage extends JsonObject = JsonObject>(
    channel: string,
    onMessage: (message: TMessage) => void,
  ) {
    const subscription: TestSignalSubscription = { channel, active: true };
    this.subscriptions.push(subscription);
    this.listeners.set(
      subscription,
      onMessage as (message: JsonObject) => void,
    );
    return {
      unsubscribe: () => {
        subscription.active = false;
        this.listeners.delete(subscription);
      },
    };
  }

  /** The channels with an active subscriber, one entry per subscription. */
  activeChannels(): string[] {
    return this.subscriptions.filter(s => s.active).map(s => s.channel);
  }

  /** Delivers `message` to the active subscribers of `channel`. */
  publish(channel: string, message: JsonObject) {
    for (const [subscription, onMessage] of [...this.listeners]) {
      if (subscription.channel === channel) {
        onMessage(message);
      }
    }
  }
}

/** Provides the real client and a config to the component under test. */
export function TestApis(props: {
  children: ReactNode;
  config?: ConfigData;
  permissionApi?: ReturnType<typeof mockApis.permission>;
  /** The app's signal API; without it the app has no signals, and polls. */
  signalApi?: SignalApi;
}) {
  const discoveryApi = mockApis.discovery();
  const fetchApi = new MockFetchApi();
  return (
    <TestApiProvider
      apis={[
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
        [configApiRef, mockApis.config({ data: props.config ?? {} })],
        [permissionApiRef, props.permissionApi ?? mockApis.permission()],
        [
          modelDeploymentsApiRef,
          new ModelDeploymentsClient({ discoveryApi, fetchApi }),
        ],
        ...(props.signalApi ? [[signalApiRef, props.signalApi] as const] : []),
      ]}
    >
      {/*
       * usePermission keeps its answers in SWR's module-wide cache; a cache
       * per render keeps one test's permission decisions out of the next.
       */}
      <SWRConfig value={{ provider: () => new Map() }}>
        {props.children}
      </SWRConfig>
    </TestApiProvider>
  );
}

/** msw handlers every entity-page test needs: an empty promotions history. */
export const defaultHandlers = [
  http.get(`${BASE_URL}/promotions`, ({ request }) =>
    HttpResponse.json({
      entityRef: new URL(request.url).searchParams.get('entityRef'),
      promotions: [],
    }),
  ),
];

/** msw handlers every fleet-page test needs: no promotions waiting for approval. */
export const fleetPageHandlers = [
  http.get(`${BASE_URL}/approvals`, () =>
    HttpResponse.json({ promotions: [] }),
  ),
];

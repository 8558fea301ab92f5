import {
  configApiRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { MockFetchApi, mockApis, TestApiProvider } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { ReactNode } from 'react';
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

/** Provides the real client and a config to the component under test. */
export function TestApis(props: {
  children: ReactNode;
  config?: ConfigData;
  permissionApi?: ReturnType<typeof mockApis.permission>;
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
      ]}
    >
      {props.children}
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

import {
  configApiRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { MockFetchApi, mockApis, TestApiProvider } from '@backstage/test-utils';
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
export function TestApis(props: { children: ReactNode; config?: ConfigData }) {
  const discoveryApi = mockApis.discovery();
  const fetchApi = new MockFetchApi();
  return (
    <TestApiProvider
      apis={[
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
        [configApiRef, mockApis.config({ data: props.config ?? {} })],
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

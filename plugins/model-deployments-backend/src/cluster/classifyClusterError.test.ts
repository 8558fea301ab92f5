import { classifyResponse } from './classifyClusterError';

const SDEP_PATH =
  '/apis/machinelearning.seldon.io/v1/namespaces/dev/seldondeployments';

describe('classifyResponse', () => {
  it('reads the plain-text 404 of a real API server as a missing CRD, naming it', () => {
    // kube-apiserver answers an unknown resource type with "404 page not
    // found" as text/plain, which is no JSON body at all.
    const error = classifyResponse('demo', 404, undefined, SDEP_PATH);
    expect(error.detail).toEqual({
      type: 'RESOURCE_TYPE_MISSING',
      message:
        "Cluster 'demo' does not serve seldondeployments.machinelearning.seldon.io: the CustomResourceDefinition seldondeployments.machinelearning.seldon.io is not installed.",
      statusCode: 404,
    });
  });

  it('names a cluster-scoped resource type too', () => {
    const error = classifyResponse(
      'demo',
      404,
      undefined,
      '/apis/serving.kserve.io/v1beta1/inferenceservices',
    );
    expect(error.detail.message).toContain(
      'inferenceservices.serving.kserve.io',
    );
  });

  it.each([
    { error: { name: 'NotFoundError', message: "Cluster 'demo' not found" } },
    { error: { name: 'NotFoundError', message: 'No Clusters configured' } },
  ])(
    "reads the Kubernetes plugin's own 404 as a cluster missing from config",
    body => {
      const error = classifyResponse('demo', 404, body, SDEP_PATH);
      expect(error.detail.type).toBe('UNKNOWN');
      expect(error.detail.message).toMatch(
        /^Cluster 'demo' is not configured in the kubernetes section of app-config/,
      );
    },
  );

  it('reads a Status 404 from the cluster as a missing resource type', () => {
    const error = classifyResponse(
      'demo',
      404,
      {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: 'the server could not find the requested resource',
        reason: 'NotFound',
        code: 404,
      },
      SDEP_PATH,
    );
    expect(error.detail.type).toBe('RESOURCE_TYPE_MISSING');
  });
});

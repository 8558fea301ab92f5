import {
  IRIS,
  SecurityBackend,
  startSecurityBackend,
} from '../__testUtils__/securityBackend';
import { secretScanResults } from '../testUtils';

/*
 * Security regression suite, part 3: request bodies in other formats,
 * invalid or ambiguous JSON, oversized values, and injection through entity
 * refs, environment names and overrides, on every route that takes them.
 * Every caller is allow-all and every promotion forced, so a request that
 * got through would write; each row asserts status, message and that
 * nothing was written.
 */

const KB = 1024;
const HUGE = 'a'.repeat(90 * KB);
const LONG = 'a'.repeat(60_000);
const MARKER = 'MARKER-3f9a1c77';

/** A body each POST route would act on: fetch, commit (forced) or create. */
const ROUTES = {
  '/refresh': { environment: 'dev' },
  '/promotions': { entityRef: IRIS, to: 'staging', force: true },
  '/environments': { name: 'sec-body', cluster: 'demo', stage: 15 },
} as const;
type PostRoute = keyof typeof ROUTES;
const POST_ROUTES = Object.keys(ROUTES) as PostRoute[];

/** The field of each route that a long value is put in, and the message for 60,000 characters. */
const LONG_FIELD: Record<PostRoute, [string, RegExp]> = {
  '/refresh': ['environment', /environment: environment must be at most 63/],
  '/promotions': ['entityRef', /entityRef: entityRef must be at most 300/],
  '/environments': ['name', /name: "a{80}"… \(60000 characters\)/],
};

describe('security: body formats and injection', () => {
  let s: SecurityBackend;

  beforeAll(async () => {
    s = await startSecurityBackend();
  }, 60_000);

  afterAll(async () => {
    await s?.stop();
  });

  describe('body formats', () => {
    type Row = [
      route: PostRoute,
      label: string,
      contentType: string,
      body: (route: PostRoute) => string,
      status: number,
      message: RegExp,
    ];
    const json = 'application/json';
    const rows: Row[] = POST_ROUTES.flatMap((route): Row[] => [
      [
        route,
        'text/plain with a JSON body',
        'text/plain',
        r => JSON.stringify(ROUTES[r]),
        415,
        /^Request body must be JSON \(Content-Type: application\/json\), not "text\/plain"$/,
      ],
      [
        route,
        'a form',
        'application/x-www-form-urlencoded',
        () => 'dryRun=false&force=true',
        415,
        /not "application\/x-www-form-urlencoded"$/,
      ],
      [
        route,
        'JSON in latin1',
        'application/json; charset=latin1',
        r => JSON.stringify(ROUTES[r]),
        415,
        /^Request body must be JSON in UTF-8$/,
      ],
      [
        route,
        'invalid JSON',
        json,
        () => `{"entityRef": "${MARKER}", "to": staging`,
        400,
        /^Invalid request body: not valid JSON$/,
      ],
      [
        route,
        'a duplicate key',
        json,
        r => {
          const text = JSON.stringify(ROUTES[r]).slice(0, -1);
          return r === '/refresh'
            ? `${text},"environment":"production"}`
            : `${text},"dryRun":true,"dryRun":false}`;
        },
        400,
        route === '/refresh'
          ? /^Invalid request body: "environment" appears more than once$/
          : /^Invalid request body: "dryRun" appears more than once$/,
      ],
      [
        route,
        'a value of 90 KB (over the body limit)',
        json,
        r => JSON.stringify({ ...ROUTES[r], [LONG_FIELD[r][0]]: HUGE }),
        413,
        /^Request body is larger than 64kb$/,
      ],
      [
        route,
        'a value of 60,000 characters',
        json,
        r => JSON.stringify({ ...ROUTES[r], [LONG_FIELD[r][0]]: LONG }),
        400,
        LONG_FIELD[route][1],
      ],
    ]);
    rows.push(
      [
        '/promotions',
        'a duplicate nested key',
        json,
        () =>
          `{"entityRef":"${IRIS}","to":"staging","force":true,"overrides":{"replicas":1,"replicas":2}}`,
        400,
        /^Invalid request body: "overrides\.replicas" appears more than once$/,
      ],
      [
        '/environments',
        'a duplicate nested key',
        json,
        () =>
          '{"name":"sec-nested","cluster":"demo","stage":15,"gitops":{"repoUrl":"http://example.invalid/x.git","path":"a","path":"../production"}}',
        400,
        /^Invalid request body: "gitops\.path" appears more than once$/,
      ],
    );

    it.each(rows)(
      'POST %s with %s (Content-Type: %s)',
      async (route, _label, contentType, body, status, message) => {
        const before = await s.snapshot();
        const sent = body(route);
        const res = await s.postRaw('allow-all', route, contentType, sent);
        expect({
          ...(await s.outcome(res, sent)),
          marker: res.text.includes(MARKER),
        }).toEqual({
          ...s.refusal({ status, message, before }),
          marker: false,
        });
      },
    );
  });

  describe('entity refs', () => {
    const refs: Array<[string, string]> = [
      ['../', 'component:default/../production'],
      ['%2e%2e', 'component:default/%2e%2e'],
      ['a newline', `${IRIS}\n`],
      ['NUL', `${IRIS}\u0000`],
      ['a space', 'component:default/a b'],
      ['10,000 characters', `component:default/${'a'.repeat(10_000)}`],
      ['90 KB', `component:default/${HUGE}`],
    ];
    type Place = 'GET /deployments' | 'GET /history' | 'GET /promotions';
    const queries: Record<Place, (ref: string) => string> = {
      'GET /deployments': ref => `/deployments?entityRef=${ref}`,
      'GET /history': ref => `/history?entityRef=${ref}&environment=dev`,
      'GET /promotions': ref => `/promotions?entityRef=${ref}`,
    };
    const bodies = {
      'POST /promotions': (ref: string) => ({
        entityRef: ref,
        to: 'staging',
        force: true,
      }),
      'POST /refresh': (ref: string) => ({ entityRef: ref }),
    };
    const rows = refs.flatMap(([label, ref]) => [
      ...Object.keys(queries).map(place => [place, label, ref] as const),
      ...Object.keys(bodies).map(place => [place, label, ref] as const),
    ]);
    /*
     * Over the size limits a request is refused before any route: a query
     * of 90 KB by Node's 16 KB header limit (431), a body by the 64 KB
     * body limit (413).
     */
    const expected = (place: string, ref: string): [number, RegExp] => {
      if (ref.length > 64 * KB) {
        return place.startsWith('GET')
          ? [431, /^$/]
          : [413, /^Request body is larger than 64kb$/];
      }
      return [
        400,
        place.startsWith('GET')
          ? /^Invalid query: entityRef: /
          : /^Invalid request body: entityRef: /,
      ];
    };

    it.each(rows)(
      '%s with an entity ref with %s',
      async (place, _label, ref) => {
        const before = await s.snapshot();
        const res = place.startsWith('GET')
          ? await s.get(
              'allow-all',
              queries[place as Place](encodeURIComponent(ref)),
            )
          : await s.post(
              'allow-all',
              place.slice('POST '.length),
              bodies[place as keyof typeof bodies](ref),
            );
        const [status, message] = expected(place, ref);
        // Backstage's error handler repeats the request's URL (and so a
        // query's value) in `request.url`; a body's value is not repeated.
        const echoed =
          place.startsWith('POST') &&
          ref.length > 100 &&
          res.text.includes(ref.slice(-100));
        expect({ ...(await s.outcome(res, ref)), echoed }).toEqual({
          ...s.refusal({ status, message, before }),
          echoed: false,
        });
      },
    );

    it.each(Object.keys(queries) as Place[])(
      '%s with %2e%2e left for the server to decode',
      async place => {
        const before = await s.snapshot();
        const res = await s.get(
          'allow-all',
          queries[place]('component:default/%2e%2e'),
        );
        expect(await s.outcome(res)).toEqual(
          s.refusal({
            status: 400,
            message:
              /^Invalid query: entityRef: "\.\." is not a valid entity name/,
            before,
          }),
        );
      },
    );
  });

  describe('environment names', () => {
    const names = [
      '../production',
      'production\n',
      'dev;rm -rf /',
      'production\u0000',
      'Production',
    ];
    const places: Record<
      string,
      [(name: string) => Promise<import('supertest').Response>, RegExp]
    > = {
      'GET /history environment': [
        name =>
          s.get(
            'allow-all',
            `/history?entityRef=${IRIS}&environment=${encodeURIComponent(
              name,
            )}`,
          ),
        /^Invalid environment "/,
      ],
      'POST /refresh environment': [
        name => s.post('allow-all', '/refresh', { environment: name }),
        /^Invalid environment "/,
      ],
      'POST /promotions to': [
        name =>
          s.post('allow-all', '/promotions', {
            entityRef: IRIS,
            to: name,
            force: true,
          }),
        /^to: '.*' is not a DNS-1123 label/s,
      ],
      'POST /promotions from': [
        name =>
          s.post('allow-all', '/promotions', {
            entityRef: IRIS,
            from: name,
            to: 'production',
            force: true,
          }),
        /^from: '.*' is not a DNS-1123 label/s,
      ],
    };
    it.each(
      Object.keys(places).flatMap(place =>
        names.map(name => [place, name] as const),
      ),
    )('%s %j answers 400 naming it', async (place, name) => {
      const before = await s.snapshot();
      const [send, message] = places[place];
      const res = await send(name);
      expect(await s.outcome(res)).toEqual(
        s.refusal({ status: 400, message, before }),
      );
    });
  });

  describe('overrides.replicas', () => {
    it.each([
      ['a string', '3', /Expected number, received string/],
      ['negative', -1, /replicas must be 0 or more/],
      ['1e9', 1e9, /replicas must be at most 1000/],
      ['a fraction', 2.5, /replicas must be a whole number/],
      ['null', null, /Expected number, received null/],
      ['a boolean', true, /Expected number, received boolean/],
      ['an object', { $gt: 0 }, /Expected number, received object/],
    ])(
      '%s answers 400 naming overrides.replicas',
      async (_label, replicas, message) => {
        const before = await s.snapshot();
        const res = await s.post('allow-all', '/promotions', {
          entityRef: IRIS,
          to: 'staging',
          force: true,
          overrides: { replicas },
        });
        expect(await s.outcome(res)).toEqual(
          s.refusal({
            status: 400,
            message: new RegExp(
              `^Invalid request body: overrides\\.replicas: ${message.source}`,
            ),
            before,
          }),
        );
      },
    );
  });

  it('no response above carried the cluster token or a URL password', () => {
    expect(secretScanResults.scanned).toBeGreaterThan(80);
    expect(secretScanResults.findings).toEqual([]);
  });
});

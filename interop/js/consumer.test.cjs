// Consumer test for the demo user service, written with @pact-foundation/pact
// (Rust core via pact_ffi). The same interactions are written as a V4 pact
// (PactV4) and a V3 pact (PactV3). Usage: node consumer.test.cjs OUTPUT_DIR
const { test } = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { PactV3, PactV4, MatchersV3: M } = require('@pact-foundation/pact');

const out = process.argv[2];
const DATETIME = "yyyy-MM-dd'T'HH:mm:ss";
const JSON_HEADERS = { 'Content-Type': 'application/json' };

const user = (name, id, admin) => ({
  name: M.string(name),
  id: M.uuid(id),
  created_on: M.datetime(DATETIME, '2016-12-15T20:16:01'),
  admin: M.boolean(admin),
});

// Each interaction: provider state, description, request, response and the
// client call that exercises it against the mock server.
const interactions = [
  {
    state: ['UserA exists and is not an administrator'],
    description: 'a request for UserA',
    request: { method: 'GET', path: '/users/UserA', headers: { Accept: M.regex('^application/json', 'application/json') } },
    response: { status: 200, headers: JSON_HEADERS, body: user('UserA', 'fc763eba-0905-41c5-a27f-3934ab26786c', false) },
    call: (url) => fetch(`${url}/users/UserA`, { headers: { Accept: 'application/json' } }),
    expect: 200,
  },
  {
    state: ['a user exists', { name: 'UserB', admin: true }],
    description: 'a request for a user created by a parameterised provider state',
    // Path and id are injected from the provider state (params / setup result).
    request: { method: 'GET', path: M.fromProviderState('/users/${name}', '/users/UserB') },
    response: {
      status: 200,
      headers: JSON_HEADERS,
      body: { ...user('UserB', '5b3c2bbd-7c47-4ba6-a0c4-6ad1d4c4a0a1', true),
              id: M.fromProviderState('${id}', '5b3c2bbd-7c47-4ba6-a0c4-6ad1d4c4a0a1') },
    },
    call: (url) => fetch(`${url}/users/UserB`),
    expect: 200,
  },
  {
    state: ['UserA does not exist'],
    description: 'a request for UserA when UserA does not exist',
    request: { method: 'GET', path: '/users/UserA' },
    response: { status: 404 },
    call: (url) => fetch(`${url}/users/UserA`),
    expect: 404,
  },
  {
    state: ['there are users'],
    description: 'a request for at most 10 non-admin users',
    request: {
      method: 'GET',
      path: '/users',
      query: { admin: M.regex('^(true|false)$', 'false'), limit: M.integer(10) },
      headers: { Accept: 'application/json' },
    },
    response: {
      status: 200,
      headers: { ...JSON_HEADERS, 'X-Request-Id': M.uuid('4a2e2e5f-1c3b-4b7e-9d7a-0e6f3c9b1a2d') },
      body: {
        users: M.eachLike(user('UserA', 'fc763eba-0905-41c5-a27f-3934ab26786c', false), 1),
        count: M.integer(1),
        admin_ratio: M.decimal(0.5),
        generated_at: M.datetime(DATETIME, '2016-12-15T20:16:01'),
        service: M.includes('user-service'),
      },
    },
    call: (url) => fetch(`${url}/users?admin=false&limit=10`, { headers: { Accept: 'application/json' } }),
    expect: 200,
  },
  {
    state: ['no user named UserB exists'],
    description: 'a request to create UserB',
    request: {
      method: 'POST',
      path: '/users',
      headers: JSON_HEADERS,
      body: { name: M.string('UserB'), admin: M.boolean(true) },
    },
    response: {
      status: 201,
      headers: { ...JSON_HEADERS, Location: M.regex('^/users/[^/]+$', '/users/UserB') },
      body: user('UserB', '5b3c2bbd-7c47-4ba6-a0c4-6ad1d4c4a0a1', true),
    },
    call: (url) => fetch(`${url}/users`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ name: 'UserB', admin: true }) }),
    expect: 201,
  },
];

const v4 = new PactV4({ consumer: 'PactJsClient', provider: 'UserService', dir: path.join(out, 'v4'), logLevel: 'warn' });
const v3 = new PactV3({ consumer: 'PactJsClient', provider: 'UserService', dir: path.join(out, 'v3'), logLevel: 'warn' });

for (const i of interactions) {
  test(`V4: ${i.description}`, () =>
    v4.addInteraction()
      .given(...i.state)
      .uponReceiving(i.description)
      .comment('written by pact-js for the pact-rs interop tests')
      .withRequest(i.request.method, i.request.path, (b) => {
        if (i.request.query) b.query(i.request.query);
        if (i.request.headers) b.headers(i.request.headers);
        if (i.request.body) b.jsonBody(i.request.body);
      })
      .willRespondWith(i.response.status, (b) => {
        if (i.response.headers) b.headers(i.response.headers);
        if (i.response.body) b.jsonBody(i.response.body);
      })
      .executeTest(async (server) => assert.strictEqual((await i.call(server.url)).status, i.expect)));

  test(`V3: ${i.description}`, () =>
    v3.given(...i.state)
      .uponReceiving(i.description)
      .withRequest(i.request)
      .willRespondWith(i.response)
      .executeTest(async (server) => assert.strictEqual((await i.call(server.url)).status, i.expect)));
}

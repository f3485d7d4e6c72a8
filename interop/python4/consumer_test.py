"""Consumer test for the demo user service, written with pact-python 4.x.

pact-python 4.x drives the Rust core (pact_ffi). The same interactions are
written twice: as a V4 pact and as a V3 pact.
Usage: python consumer_test.py OUTPUT_DIR  (writes OUTPUT_DIR/v4 and OUTPUT_DIR/v3)
"""
import sys
from pathlib import Path

import requests
from pact import Pact, generate, match

DATETIME_FORMAT = '%Y-%m-%dT%H:%M:%S'  # converted by pact-python to yyyy-MM-dd'T'HH:mm:ss


def user(name, uuid, admin):
    return {
        'name': match.str(name),
        'id': match.uuid(uuid, format='lowercase'),
        'created_on': match.datetime('2016-12-15T20:16:01', format=DATETIME_FORMAT),
        'admin': admin,
    }


def test_get_user(pact):
    (pact.upon_receiving('a request for UserA')
     .given('UserA exists and is not an administrator')
     .with_request('GET', '/users/UserA')
     .with_header('Accept', match.regex('application/json', regex=r'^application/json(;.*)?$'))
     .will_respond_with(200)
     .with_header('Content-Type', 'application/json')
     .with_body(user('UserA', 'fc763eba-0905-41c5-a27f-3934ab26786c', False), 'application/json'))
    with pact.serve() as srv:
        r = requests.get(f'{srv.url}/users/UserA', headers={'Accept': 'application/json'})
        assert r.status_code == 200 and r.json()['name'] == 'UserA'


def test_get_user_from_provider_state(pact):
    (pact.upon_receiving('a request for a user created by a parameterised provider state')
     .given('a user exists', name='UserB', admin=True)
     # Path injected from the provider state's "name" parameter.
     .with_request('GET', match.type('/users/UserB',
                                     generator=generate.provider_state('/users/${name}')))
     .will_respond_with(200)
     .with_header('Content-Type', 'application/json')
     .with_body(user('UserB', '5b3c2bbd-7c47-4ba6-a0c4-6ad1d4c4a0a1', match.bool(True)),
                'application/json'))
    with pact.serve() as srv:
        r = requests.get(f'{srv.url}/users/UserB')
        assert r.status_code == 200 and r.json()['admin'] is True


def test_get_missing_user(pact):
    (pact.upon_receiving('a request for UserA when UserA does not exist')
     .given('UserA does not exist')
     .with_request('GET', '/users/UserA')
     .will_respond_with(404))
    with pact.serve() as srv:
        assert requests.get(f'{srv.url}/users/UserA').status_code == 404


def test_list_users(pact):
    (pact.upon_receiving('a request for admin users')
     .given('there are users')
     .with_request('GET', '/users')
     .with_query_parameter('admin', match.regex('true', regex=r'^(true|false)$'))
     .with_query_parameter('limit', match.int(10))
     .with_header('Accept', 'application/json')
     .will_respond_with(200)
     .with_header('Content-Type', 'application/json')
     .with_header('X-Request-Id', match.uuid('4a2e2e5f-1c3b-4b7e-9d7a-0e6f3c9b1a2d', format='lowercase'))
     .with_body({
         'users': match.each_like(user('AdminA', '9e0b4d5c-3f2a-4c1b-8e7d-6a5b4c3d2e1f', True), min=1),
         'count': match.int(1),
         'admin_ratio': match.decimal(0.5),
         'generated_at': match.datetime('2016-12-15T20:16:01', format=DATETIME_FORMAT),
         'service': match.includes('user-service'),
     }, 'application/json'))
    with pact.serve() as srv:
        r = requests.get(f'{srv.url}/users', params={'admin': 'true', 'limit': '10'},
                         headers={'Accept': 'application/json'})
        assert r.status_code == 200 and r.json()['count'] == 1


def test_create_user(pact):
    (pact.upon_receiving('a request to create UserB')
     .given('no user named UserB exists')
     .with_request('POST', '/users')
     .with_header('Content-Type', 'application/json')
     .with_body({'name': match.str('UserB'), 'admin': match.bool(True)}, 'application/json')
     .will_respond_with(201)
     .with_header('Content-Type', 'application/json')
     .with_header('Location', match.regex('/users/UserB', regex=r'^/users/[^/]+$'))
     .with_body(user('UserB', '5b3c2bbd-7c47-4ba6-a0c4-6ad1d4c4a0a1', True), 'application/json'))
    with pact.serve() as srv:
        r = requests.post(f'{srv.url}/users', json={'name': 'UserB', 'admin': True})
        assert r.status_code == 201 and r.headers['Location'] == '/users/UserB'


TESTS = [test_get_user, test_get_user_from_provider_state, test_get_missing_user,
         test_list_users, test_create_user]


def main(out_dir):
    # One Pact (and mock server) per test, as in a pytest suite; write_file
    # merges each test's interaction into the pact file of its directory.
    for spec in ('V4', 'V3'):
        for test in TESTS:
            pact = Pact('PythonV4Client', 'UserService').with_specification(spec)
            test(pact)
            pact.write_file(Path(out_dir) / spec.lower())


if __name__ == '__main__':
    main(sys.argv[1])

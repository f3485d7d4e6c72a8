"""Consumer test for the demo user service, written with pact-python 2.x.

pact-python 2.x drives the Ruby mock service bundled in its wheel and writes a
V2 pact. Usage: python consumer_test.py OUTPUT_DIR
"""
import socket
import sys

import requests
from pact import Consumer, EachLike, Like, Provider, Term

# Regexes as Python users write them: anchored with \A / ^ and ending in \Z.
UUID = r'^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\Z'
DATETIME = r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\Z'


def user(name, uuid, admin):
    return {
        'name': name,
        'id': Term(UUID, uuid),
        'created_on': Term(DATETIME, '2016-12-15T20:16:01'),
        'admin': admin,
    }


def free_port():
    with socket.socket() as s:
        s.bind(('localhost', 0))
        return s.getsockname()[1]


def main(out_dir):
    pact = Consumer('PythonV2Client').has_pact_with(
        Provider('UserService'), host_name='localhost', port=free_port(),
        pact_dir=out_dir, log_dir=out_dir)
    pact.start_service()
    try:
        (pact.given('UserA exists and is not an administrator')
         .upon_receiving('a request for UserA')
         .with_request('get', '/users/UserA',
                       headers={'Accept': Term(r'^application/json', 'application/json')})
         .will_respond_with(200, headers={'Content-Type': 'application/json'},
                            body=Like(user('UserA', 'fc763eba-0905-41c5-a27f-3934ab26786c', False))))
        with pact:
            r = requests.get(pact.uri + '/users/UserA', headers={'Accept': 'application/json'})
            assert r.status_code == 200 and r.json()['name'] == 'UserA'

        (pact.given('UserA does not exist')
         .upon_receiving('a request for UserA when UserA does not exist')
         .with_request('get', '/users/UserA')
         .will_respond_with(404))
        with pact:
            assert requests.get(pact.uri + '/users/UserA').status_code == 404

        (pact.given('there are users')
         .upon_receiving('a request for non-admin users')
         .with_request('get', '/users',
                       query={'admin': ['false'], 'limit': [Term(r'^\d+\Z', '10')]},
                       headers={'Accept': 'application/json'})
         .will_respond_with(
             200,
             headers={'Content-Type': 'application/json',
                      'X-Request-Id': Term(UUID, '4a2e2e5f-1c3b-4b7e-9d7a-0e6f3c9b1a2d')},
             body={
                 'users': EachLike(user('UserA', 'fc763eba-0905-41c5-a27f-3934ab26786c', False),
                                   minimum=1),
                 'count': Like(1),
                 'admin_ratio': Like(0.5),
                 'generated_at': Term(DATETIME, '2016-12-15T20:16:01'),
                 'service': Term(r'\Ademo-user-service \S+\Z', 'demo-user-service 0.1.0'),
             }))
        with pact:
            r = requests.get(pact.uri + '/users?admin=false&limit=10',
                             headers={'Accept': 'application/json'})
            assert r.status_code == 200 and r.json()['count'] == 1

        (pact.given('no user named UserB exists')
         .upon_receiving('a request to create UserB')
         .with_request('post', '/users',
                       headers={'Content-Type': 'application/json'},
                       body={'name': Like('UserB'), 'admin': True})
         .will_respond_with(
             201,
             headers={'Content-Type': 'application/json', 'Location': '/users/UserB'},
             body=Like(user('UserB', '5b3c2bbd-7c47-4ba6-a0c4-6ad1d4c4a0a1', True))))
        with pact:
            r = requests.post(pact.uri + '/users', json={'name': 'UserB', 'admin': True})
            # WEBrick (under the Ruby mock service) makes Location absolute.
            assert r.status_code == 201 and r.headers['Location'].endswith('/users/UserB')
    finally:
        pact.stop_service()


if __name__ == '__main__':
    main(sys.argv[1])

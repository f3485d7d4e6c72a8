"""Message consumer test for the demo's UserCreated event, written with pact-python 4.x.

pact-python 4.x drives the Rust core (pact_ffi). The same message is written twice: as a V4 pact
(Asynchronous/Messages) and as a V3 pact (messages).
Usage: python message_test.py OUTPUT_DIR  (writes OUTPUT_DIR/v4 and OUTPUT_DIR/v3)
"""
import json
import sys
from pathlib import Path

from pact import Pact, match

DATETIME_FORMAT = '%Y-%m-%dT%H:%M:%S'  # converted by pact-python to yyyy-MM-dd'T'HH:mm:ss


def handle_user_created(body, metadata):
    """The consumer's handler: a UserCreated event from the user-events topic."""
    event = json.loads(body)
    assert metadata.get('topic') == 'user-events', metadata
    assert event['type'] == 'UserCreated' and event['user']['name'], event


def declare(pact):
    (pact.upon_receiving('a UserCreated event', 'Async')
     .given('a user exists', name='UserD', admin=True)
     .with_body({
         'type': 'UserCreated',
         'user': {
             'name': match.str('UserD'),
             'id': match.uuid('fc763eba-0905-41c5-a27f-3934ab26786c', format='lowercase'),
             'created_on': match.datetime('2016-12-15T20:16:01', format=DATETIME_FORMAT),
             'admin': match.bool(True),
         },
     }, 'application/json')
     .with_metadata(topic='user-events', key=match.str('UserD')))


def main(out_dir):
    for spec in ('V4', 'V3'):
        pact = Pact('PythonV4EventsClient', 'UserService').with_specification(spec)
        declare(pact)
        pact.verify(handle_user_created, 'Async')
        pact.write_file(Path(out_dir) / spec.lower())


if __name__ == '__main__':
    main(sys.argv[1])

"""Closing a download in a test as a WSGI server would.

A FileResponse keeps its file open until it is closed, and closing it sends request_finished,
whose handler closes the database connection. Django's test client disconnects that handler
around its own close; a test that closes a response itself must too, or on PostgreSQL the
test's connection (holding its transaction) is closed under it.
"""

from django.core import signals
from django.db import close_old_connections


def close_download(response) -> None:
    signals.request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        signals.request_finished.connect(close_old_connections)

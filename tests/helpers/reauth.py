"""A session that re-authenticated a moment ago (accounts.reauth), for the tests of what comes
after; tests/test_reauth.py walks the pages themselves."""

import time

from accounts.reauth import REAUTH_UNTIL_KEY, REAUTH_WINDOW


def reauthenticated(client):
    session = client.session
    session[REAUTH_UNTIL_KEY] = time.time() + REAUTH_WINDOW.total_seconds()
    session.save()
    return client

"""What every page's pinned query count starts from."""

# Every request reads the session and the user, counts unread notifications for
# the menu, and runs in a transaction (in tests, a savepoint under the test's
# own and its release). The session is written at most once a minute
# (tests/access/test_sessions.py), so not on these requests.
REQUEST_OVERHEAD = 5
# Who the person is to the data: one query (access/policy/facts.py).
FACTS = 1

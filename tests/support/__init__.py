"""What tests share, in one place.

conftest.py files hold fixtures only; a helper that two test files use lives here, and nothing
imports a conftest or a test module (tests/test_support.py checks it). The modules:

- db: the engines a run covers (SQLite always, PostgreSQL with TEST_DATABASE_URL), a test app's
  settings, migrating and seeding a database;
- api: `Api` (logs demo users in through the real WeChat login) and `error` (the 4xx shape);
- demo: lookups of demo rows by the names a user knows them by (`demo_ids`, `grid_id`, …);
- world / stats_world: small worlds of their own, built in the test's transaction, for figures that
  are computed by hand and must not depend on what the demo holds;
- clock: `set_now`, `sh` (moments in Asia/Shanghai);
- statements: `Statements`, the SQL an engine runs meanwhile (query-count guards);
- wishes, issues, visits, ledgers, sheets: payloads and checks of one domain each;
- notify: the fake WeChat's records, subscription taps, outbox seeding, worker processes;
- live: servers on loopback ports (threads or `python -m backend`) on databases of their own.
"""

"""The organisation tree and role grants. Importing the package registers the session events that
bump user.grants_version on every grant change (backend/org/grant_versions.py)."""

from backend.org import grant_versions as _grant_versions  # noqa: F401  (registers the events)

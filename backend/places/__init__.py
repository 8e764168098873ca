"""Places: the HTTP surface of the organisation tree (backend/org holds the tree itself)."""

"""The people directory: the user table and read-only lookups (users by id, holders of a role,
member compounds, a user's building) and the masking rules. Everything above org may read it."""

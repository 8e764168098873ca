"""Grid issues (网格问题): hazards and disputes found in the grid. The escalation feature (网格吹哨、
街社报到) extends this package: departments, response and disposal, the issue lifecycle."""

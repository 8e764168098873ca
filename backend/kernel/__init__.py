"""The kernel: database, errors, clock, settings, pagination, validation, rate limits, the lifecycle kit.
Everything else may import it; it imports nothing of the project above it."""

"""Read side of the app: read-only database access and named queries over the sql/ files."""

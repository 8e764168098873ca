"""Quarterly airing (晾晒): frozen public snapshots of the wishes Party members fulfilled."""

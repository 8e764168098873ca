"""Demo data: a believable street, loaded into an empty database in dev mode (`make run`).

`core` builds the tree, people and wishes; `visits` the household register and visits; `issues`
the working calendar, grid issues and an airing. Nothing in the product imports this package."""

from backend.demo.core import load, load_if_empty

__all__ = ["load", "load_if_empty"]

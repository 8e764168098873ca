"""The promise every figure makes (backend/stats/figures.py), checked wherever a figure appears."""

from __future__ import annotations


def figures_in(obj, path: str = ""):
    """Every figure (a dict with buckets and numerator_buckets) anywhere in a response, with its path."""
    if isinstance(obj, dict):
        if "buckets" in obj and "numerator_buckets" in obj:
            yield path, obj
        for k, v in obj.items():
            yield from figures_in(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from figures_in(v, f"{path}[{i}]")


def check(path: str, f: dict) -> None:
    sizes = {k: len(v) for k, v in f["buckets"].items()}
    assert sum(sizes.values()) == f["denominator"], f"{path}: buckets {sizes} vs denominator {f['denominator']}"
    assert sum(sizes[k] for k in f["numerator_buckets"]) == f["numerator"], f"{path}: numerator"
    every = [i for v in f["buckets"].values() for i in v]
    assert len(every) == len(set(every)), f"{path}: an item in two buckets"
    for name in f.get("excluded", {}):
        assert not set(f["excluded"][name]) & set(every), f"{path}: {name} both excluded and counted"
    expected = round(f["numerator"] / f["denominator"], 4) if f["denominator"] else None
    assert f["rate"] == expected, path
    assert f["definition"] and f["unit"], path


def check_all(obj) -> int:
    n = 0
    for path, f in figures_in(obj):
        check(path, f)
        n += 1
    return n

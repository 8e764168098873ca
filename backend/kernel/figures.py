"""The one shape of every figure: the items behind it, bucket by bucket.

A figure is `{label, unit, numerator, denominator, rate, buckets, numerator_buckets, definition}`:
the buckets partition the denominator (every item in exactly one bucket), and the numerator is the
sum of the sizes of `numerator_buckets`. Items a figure leaves out on purpose (an auto-confirmed
issue is never a rating) are listed apart under `excluded`, never in a bucket.
"""

from __future__ import annotations

from collections.abc import Iterable


def rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def figure(
    label: str,
    unit: str,
    buckets: dict[str, list[int]],
    good: Iterable[str],
    definition: str,
    excluded: dict[str, list[int]] | None = None,
) -> dict:
    """Build a figure from its buckets; raises if an item sits in two buckets (a bug, never data)."""
    good = tuple(good)
    sorted_buckets = {k: sorted(v) for k, v in buckets.items()}
    seen: set[int] = set()
    for ids in sorted_buckets.values():
        if seen & set(ids) or len(set(ids)) != len(ids):
            raise ValueError(f"{label}: an item is in two buckets")
        seen |= set(ids)
    denominator = sum(len(v) for v in sorted_buckets.values())
    numerator = sum(len(sorted_buckets[k]) for k in good)
    out = {
        "label": label,
        "unit": unit,
        "numerator": numerator,
        "denominator": denominator,
        "rate": rate(numerator, denominator),
        "buckets": sorted_buckets,
        "numerator_buckets": list(good),
        "definition": definition,
    }
    if excluded is not None:
        out["excluded"] = {k: sorted(v) for k, v in excluded.items()}
    return out

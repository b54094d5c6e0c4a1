"""Reference values for the profile tests, computed with numpy.

Run with a Python that has numpy: python3 make_fixtures.py (writes profiles.json next to this file).
The data is written out too, so the tests need no Python.
"""
import json
import os

import numpy as np


def numeric_case(name, reference, current):
    """Sturges edges from the reference's non-missing values; the current values' statistics on those edges."""
    ref = reference[~np.isnan(reference)]
    edges = np.histogram_bin_edges(ref, bins="sturges")
    cur = current[~np.isnan(current)]
    counts, _ = np.histogram(cur[(cur >= edges[0]) & (cur <= edges[-1])], bins=edges)
    return {
        "name": name,
        "reference": [float(v) if not np.isnan(v) else None for v in reference],
        "current": [float(v) if not np.isnan(v) else None for v in current],
        "referenceEdges": [float(e) for e in edges],
        "referenceUnique": int(np.unique(ref).size),
        "count": int(cur.size),
        "missing": int(np.isnan(current).sum()),
        "mean": float(np.mean(cur)) if cur.size else None,
        "variance": float(np.var(cur)) if cur.size else None,
        "sampleVariance": float(np.var(cur, ddof=1)) if cur.size > 1 else None,
        "min": float(np.min(cur)) if cur.size else None,
        "max": float(np.max(cur)) if cur.size else None,
        "binCounts": [int(c) for c in counts],
        "below": int((cur < edges[0]).sum()),
        "above": int((cur > edges[-1]).sum()),
    }


def with_missing(rng, values, share):
    values = values.copy()
    values[rng.random(values.size) < share] = np.nan
    return values


def main():
    rng = np.random.default_rng(20240605)
    cases = []

    reference = with_missing(rng, rng.normal(10.0, 3.0, 3000), 0.02)
    current = with_missing(rng, rng.normal(11.0, 3.5, 2500), 0.05)
    cases.append(numeric_case("normal", reference, current))

    # Values far from zero with a tiny spread: naive sum-of-squares variance loses every digit here.
    reference = 1e9 + rng.normal(0.0, 1e-3, 2000)
    current = 1e9 + rng.normal(0.0, 1e-3, 2000)
    cases.append(numeric_case("large-offset", reference, current))

    # Integers with few distinct values: many values sit exactly on edges, the last edge included.
    reference = rng.integers(0, 7, 1500).astype(float)
    current = rng.integers(-2, 10, 1200).astype(float)
    cases.append(numeric_case("integers", reference, current))

    # One distinct value: numpy widens the range by 0.5 on each side and makes one bin.
    reference = np.full(50, 3.25)
    current = np.array([3.25, 2.0, 3.75, 3.76, np.nan])
    cases.append(numeric_case("constant", reference, current))

    # Skewed (log-normal), with exact Sturges counts on a larger sample.
    reference = rng.lognormal(0.0, 1.0, 4000)
    current = rng.lognormal(0.2, 1.1, 4000)
    cases.append(numeric_case("lognormal", reference, current))

    categories = ["a", "b", "c", "d", "e"]
    values = rng.choice(categories, size=3000, p=[0.4, 0.3, 0.15, 0.1, 0.05]).astype(object)
    values[rng.random(values.size) < 0.03] = None
    present = np.array([v for v in values if v is not None])
    names, counts = np.unique(present, return_counts=True)
    categorical = {
        "values": list(values),
        "categories": [str(n) for n in names],
        "counts": [int(c) for c in counts],
        "missing": int(sum(v is None for v in values)),
    }

    out = {"numeric": cases, "categorical": categorical}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "profiles.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()

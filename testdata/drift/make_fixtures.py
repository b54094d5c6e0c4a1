"""Reference values for Slipway's drift statistics, computed by scipy and numpy.

Evidently's formulas are restated here on top of the scipy/numpy calls Evidently itself makes (chisquare, norm.cdf,
ks_2samp, wasserstein_distance, distance.jensenshannon, np.histogram_bin_edges(..., 'sturges')), so the fixtures do not
need Evidently installed. Run with a Python that has numpy and scipy (scipy 1.10) and commit fixtures.json.
"""
import json
import math
import os

import numpy as np
from scipy import stats
from scipy.spatial import distance

rng = np.random.default_rng(20240605)


def shares(counts):
    counts = np.asarray(counts, dtype=float)
    return counts / counts.sum()


def evidently_chisquare(ref_counts, cur_counts):
    ref_counts = np.asarray(ref_counts, dtype=float)
    cur_counts = np.asarray(cur_counts, dtype=float)
    k_norm = cur_counts.sum() / ref_counts.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(stats.chisquare(cur_counts, ref_counts * k_norm)[1])


def evidently_z(n1, hits1, n2, hits2):
    if (hits1 == 0 and hits2 == 0) or (hits1 == n1 and hits2 == n2):
        return 1.0
    p1 = hits1 / n1
    p2 = hits2 / n2
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2))
    return float(2 * (1 - stats.norm.cdf(np.abs(z))))


def fill_zeroes(percents):
    percents = percents.copy()
    smallest = min(percents[percents != 0])
    np.place(percents, percents == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001)
    return percents


def evidently_js(ref_counts, cur_counts):
    return float(distance.jensenshannon(shares(ref_counts), shares(cur_counts), 2))


def evidently_psi(ref_counts, cur_counts):
    r = fill_zeroes(shares(ref_counts))
    c = fill_zeroes(shares(cur_counts))
    return float(np.sum((r - c) * np.log(r / c)))


def evidently_wasserstein(ref, cur):
    return float(stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001))


def weighted_ks(a, wa, b, wb):
    a, wa, b, wb = map(np.asarray, (a, wa, b, wb))
    points = np.concatenate([a, b])
    ca = np.concatenate([[0.0], np.cumsum(wa)])[np.searchsorted(a, points, side="right")] / wa.sum()
    cb = np.concatenate([[0.0], np.cumsum(wb)])[np.searchsorted(b, points, side="right")] / wb.sum()
    return float(np.max(np.abs(ca - cb)))


def normal(n, loc=0.0, scale=1.0, decimals=None):
    x = rng.normal(loc, scale, n)
    return np.round(x, decimals) if decimals is not None else x


def ks_case(name, ref, cur):
    ref = np.sort(np.asarray(ref, dtype=float))
    cur = np.sort(np.asarray(cur, dtype=float))
    result = stats.ks_2samp(ref, cur)
    return {"name": name, "reference": ref.tolist(), "current": cur.tolist(),
            "statistic": float(result.statistic), "pvalue": float(result.pvalue)}


fixtures = {}

fixtures["ks"] = [
    ks_case("exact equal sizes", normal(20), normal(20, 0.8)),
    ks_case("exact equal sizes no drift", normal(50), normal(50)),
    ks_case("exact unequal sizes", normal(30), normal(47, 0.5)),
    ks_case("exact unequal large", normal(800), normal(1000, 0.1)),
    ks_case("ties", rng.integers(0, 6, 40), rng.integers(1, 7, 55)),
    ks_case("exact at the limit", normal(10000, decimals=3), normal(9000, 0.03, decimals=3)),
    ks_case("asymptotic large", normal(10001, decimals=4), normal(12000, 0.05, decimals=4)),
    ks_case("asymptotic large no drift", normal(11000, decimals=4), normal(10500, decimals=4)),
    ks_case("asymptotic small effective size", normal(10001, decimals=4), normal(120, 0.4, decimals=4)),
]

ks_pvalues = []
for n, m, d in [(10001, 100, 0.05), (10001, 100, 0.12), (10001, 100, 0.2), (10001, 100, 0.6), (10001, 50, 0.3),
                (20000, 20000, 0.005), (20000, 20000, 0.01), (20000, 20000, 0.02), (500000, 400000, 0.002),
                (1000000, 1000000, 0.0015), (1000000, 1000000, 0.01), (15000, 300, 0.03), (15000, 300, 0.09),
                (40, 60, 0.25), (100, 100, 0.17), (7, 9, 0.5)]:
    result = stats.ks_2samp  # noqa: F841 (documentation: the same branch ks_2samp takes)
    # ks_2samp's p-value for a given statistic: exact for max(n, m) <= 10000, else kstwo.sf(d, round(n m / (n + m))).
    if max(n, m) <= 10000:
        from scipy.stats._stats_py import _attempt_exact_2kssamp
        g = math.gcd(n, m)
        ok, dd, p = _attempt_exact_2kssamp(n, m, g, d, "two-sided")
        assert ok
    else:
        big, small = sorted([float(n), float(m)], reverse=True)
        p = stats.kstwo.sf(d, np.round(big * small / (big + small)))
    ks_pvalues.append({"statistic": d, "n": n, "m": m, "pvalue": float(np.clip(p, 0, 1))})
fixtures["ks_pvalue"] = ks_pvalues

fixtures["kstwo_sf"] = [{"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))}
                        for n, x in [(10, 0.05), (10, 0.3), (10, 0.6), (50, 0.1), (50, 0.2), (100, 0.08), (120, 0.15),
                                     (140, 0.3), (500, 0.03), (500, 0.05), (500, 0.09), (5000, 0.01), (5000, 0.02),
                                     (99999, 0.002), (99999, 0.004), (200000, 0.001), (200000, 0.003), (1000, 0.95)]]

a = np.sort(normal(200))
b = np.sort(normal(150, 0.3))
wa = rng.uniform(0.5, 3.0, a.size)
wb = rng.uniform(0.5, 3.0, b.size)
fixtures["weighted_ks"] = [{"a": a.tolist(), "wa": wa.tolist(), "b": b.tolist(), "wb": wb.tolist(),
                            "statistic": weighted_ks(a, wa, b, wb)}]

chi = []
for ref, cur in [([30, 50, 20], [25, 60, 15]), ([100, 0, 40, 60], [90, 5, 50, 55]), ([10, 20, 30, 40], [0, 0, 60, 40]),
                 ([500, 300, 200], [480, 330, 190]), ([7, 3], [2, 8])]:
    chi.append({"reference": ref, "current": cur, "pvalue": evidently_chisquare(ref, cur)})
fixtures["chisquare"] = chi

fixtures["z"] = [{"n1": n1, "hits1": h1, "n2": n2, "hits2": h2, "pvalue": evidently_z(n1, h1, n2, h2)}
                 for n1, h1, n2, h2 in [(100, 40, 120, 60), (1000, 500, 1000, 520), (50, 50, 60, 60), (50, 0, 60, 0),
                                        (80, 80, 90, 0), (30, 10, 500, 300), (1000, 1, 1000, 0)]]

binned = []
for ref, cur in [([10, 20, 30, 40], [12, 18, 33, 37]), ([10, 0, 30, 60], [5, 15, 0, 80]), ([1, 99999, 0], [50000, 50000, 0]),
                 ([5, 5, 5, 5, 0, 0], [0, 0, 0, 5, 5, 10]), ([1000, 1], [1, 1000])]:
    binned.append({"reference": ref, "current": cur, "jensenshannon": evidently_js(ref, cur), "psi": evidently_psi(ref, cur)})
fixtures["binned"] = binned

u = normal(300, 0.0, 2.0)
v = normal(250, 0.7, 1.5)
uw = rng.uniform(0.1, 2.0, u.size)
vw = rng.uniform(0.1, 2.0, v.size)
ties_u = rng.integers(0, 10, 100).astype(float)
ties_v = rng.integers(2, 12, 80).astype(float)
fixtures["wasserstein"] = [
    {"u": np.sort(u).tolist(), "v": np.sort(v).tolist(), "distance": float(stats.wasserstein_distance(u, v)),
     "normed": evidently_wasserstein(u, v)},
    {"u": np.sort(ties_u).tolist(), "v": np.sort(ties_v).tolist(), "distance": float(stats.wasserstein_distance(ties_u, ties_v)),
     "normed": evidently_wasserstein(ties_u, ties_v)},
    {"u": [3.0, 3.0, 3.0], "v": [3.0, 4.0], "distance": float(stats.wasserstein_distance([3.0, 3.0, 3.0], [3.0, 4.0])),
     "normed": evidently_wasserstein(np.array([3.0, 3.0, 3.0]), np.array([3.0, 4.0]))},
]
order_u = np.argsort(u)
order_v = np.argsort(v)
fixtures["wasserstein_weighted"] = [
    {"u": u[order_u].tolist(), "uw": uw[order_u].tolist(), "v": v[order_v].tolist(), "vw": vw[order_v].tolist(),
     "distance": float(stats.wasserstein_distance(u, v, uw, vw))}]

sturges = []
for values in [normal(1000), normal(37, 5.0, 0.1), np.array([4.2]), np.array([7.0, 7.0, 7.0]), rng.integers(0, 3, 64).astype(float),
               np.array([-1e-3, 2.5e-3, 0.0]), normal(100000)]:
    values = np.asarray(values, dtype=float)
    edges = np.histogram_bin_edges(values, bins="sturges")
    counts = np.histogram(values, edges)[0]
    sturges.append({"values": values.tolist() if values.size <= 1000 else None, "minimum": float(values.min()),
                    "maximum": float(values.max()), "count": int(values.size), "edges": edges.tolist(),
                    "counts": counts.tolist() if values.size <= 1000 else None})
fixtures["sturges"] = sturges

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures.json")
with open(path, "w") as f:
    json.dump(fixtures, f, indent=None, separators=(",", ":"))
    f.write("\n")
print("wrote", path)

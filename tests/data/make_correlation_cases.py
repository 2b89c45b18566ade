#!/usr/bin/env python3
"""Write correlation_cases.json: pairs of vectors with scipy's correlations and p-values.

Each case stores x, y, their average ranks, and for Spearman, Pearson and
Kendall tau-b the coefficient and scipy's p-value. Spearman also gets the
exact permutation p-value for n <= 10 (null for larger n). Before writing,
every coefficient is checked against an exact rational computation, and the
script stops with an AssertionError if scipy is off by more than 8 units in
the last place.

usage: make_correlation_cases.py > correlation_cases.json
"""
import decimal
import json
import math
import os
import sys
from fractions import Fraction

import numpy as np
from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_references import MAX_EXACT_N, coefficient_and_p, spearman_exact_p  # noqa: E402

SEED = 7


def ties_n25():
    """Return 25 pairs rounded to one decimal, so both vectors have many ties."""
    rng = np.random.default_rng(SEED)
    x = rng.normal(5.0, 1.5, 25)
    y = 0.6 * x + rng.normal(0.0, 1.0, 25)
    return [float(v) for v in np.round(x, 1)], [float(v) for v in np.round(y, 1)]


def cases():
    x25, y25 = ties_n25()
    offset_small = [0.11, 0.52, 0.27, 0.93, 0.74, 0.38, 0.05, 0.66]
    return [
        ("no_ties_n5", [0.61, 0.47, 0.83, 0.52, 0.70], [0.33, 0.41, 0.58, 0.29, 0.50]),
        ("heavy_ties_n8", [1, 1, 1, 2, 2, 3, 3, 3], [0.5, 0.2, 0.5, 0.5, 0.9, 0.9, 0.2, 0.9]),
        ("n3", [0.2, 0.5, 0.4], [0.3, 0.1, 0.6]),
        ("n4", [3.1, 1.2, 4.8, 2.2], [0.7, 0.6, 0.9, 0.8]),
        ("ties_n10", [0.4, 0.7, 0.7, 0.2, 0.9, 0.4, 0.55, 0.7, 0.1, 0.85],
         [12.0, 15.5, 14.0, 12.0, 18.0, 13.0, 15.5, 16.0, 9.5, 15.5]),
        ("no_ties_n12", [71.2, 64.8, 80.1, 55.3, 68.9, 77.4, 59.6, 83.0, 62.2, 74.5, 57.1, 66.0],
         [0.412, 0.388, 0.476, 0.301, 0.455, 0.429, 0.352, 0.498, 0.310, 0.441, 0.367, 0.395]),
        ("ties_n25", x25, y25),
        ("perfect_increasing", [1, 2, 3, 4, 5, 6, 7], [2.5, 4.5, 6.5, 8.5, 10.5, 12.5, 14.5]),
        ("perfect_decreasing", [0.125, 0.375, 0.25, 0.625, 0.5, 0.75], [9.0, 7.0, 8.0, 5.0, 6.0, 4.0]),
        ("large_offset", [1e9 + v for v in offset_small],
         [0.2, 0.9, 0.4, 1.7, 1.1, 0.8, 0.1, 1.3]),
        ("huge_values", [1.2e300, 3.4e300, 2.2e300, 5.1e300, 4.4e300, 0.7e300],
         [2.5e299, 6.1e299, 7.7e299, 9.8e299, 8.3e299, 1.9e299]),
        ("constant_y", [0.3, 0.1, 0.4, 0.2, 0.5], [0.8, 0.8, 0.8, 0.8, 0.8]),
    ]


# Exact references for the self-check -------------------------------------

def exact_pearson(x, y):
    """Return Pearson's r of the doubles x and y, computed exactly and rounded once to a float."""
    fx = [Fraction(v) for v in x]
    fy = [Fraction(v) for v in y]
    mean_x = sum(fx) / len(fx)
    mean_y = sum(fy) / len(fy)
    sxy = sum((a - mean_x) * (b - mean_y) for a, b in zip(fx, fy))
    sxx = sum((a - mean_x) ** 2 for a in fx)
    syy = sum((b - mean_y) ** 2 for b in fy)
    if sxx == 0 or syy == 0:
        return math.nan
    squared = sxy * sxy / (sxx * syy)
    with decimal.localcontext() as context:
        context.prec = 60
        root = (decimal.Decimal(squared.numerator) / decimal.Decimal(squared.denominator)).sqrt()
    return float(root) if sxy >= 0 else -float(root)


def exact_kendall_tau_b(x, y):
    """Return tau-b = (concordant - discordant) / sqrt((n0 - ties_x)(n0 - ties_y)) from integer pair counts."""
    n = len(x)
    score = ties_x = ties_y = 0
    for i in range(n):
        for j in range(i + 1, n):
            sign_x = (x[i] > x[j]) - (x[i] < x[j])
            sign_y = (y[i] > y[j]) - (y[i] < y[j])
            score += sign_x * sign_y
            ties_x += sign_x == 0
            ties_y += sign_y == 0
    pairs = n * (n - 1) // 2
    denominator = (pairs - ties_x) * (pairs - ties_y)
    if denominator == 0:
        return math.nan
    with decimal.localcontext() as context:
        context.prec = 60
        value = decimal.Decimal(score) / decimal.Decimal(denominator).sqrt()
    return float(value)


def assert_close(name, method, computed, exact, ulps=8):
    if math.isnan(exact):
        assert math.isnan(computed), (name, method, computed)
        return
    tolerance = ulps * math.ulp(max(abs(exact), 0.5))
    assert abs(computed - exact) <= tolerance, (name, method, computed, exact)


# Output -------------------------------------------------------------------

def none_if_nan(value):
    return None if math.isnan(value) else value


def build_case(name, x, y):
    x = [float(v) for v in x]
    y = [float(v) for v in y]
    array_x = np.array(x)
    array_y = np.array(y)
    ranks_x = [float(v) for v in stats.rankdata(array_x)]
    ranks_y = [float(v) for v in stats.rankdata(array_y)]
    case = {"name": name, "x": x, "y": y}
    for method in ("spearman", "pearson", "kendall"):
        r, p = coefficient_and_p(array_x, array_y, method)
        case[method] = {"r": none_if_nan(r), "p": None if math.isnan(r) else none_if_nan(p)}
        if method == "spearman":
            exact = len(x) <= MAX_EXACT_N and not math.isnan(r)
            case[method]["p_exact"] = spearman_exact_p(array_x, array_y) if exact else None
            assert_close(name, method, r, exact_pearson(ranks_x, ranks_y))
        elif method == "pearson":
            assert_close(name, method, r, exact_pearson(x, y))
        else:
            assert_close(name, method, r, exact_kendall_tau_b(x, y))
    case["ranks_x"] = ranks_x
    case["ranks_y"] = ranks_y
    return case


def main():
    output = [build_case(name, x, y) for name, x, y in cases()]
    print(json.dumps(output, indent=1, allow_nan=False))


if __name__ == "__main__":
    main()

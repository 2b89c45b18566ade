#!/usr/bin/python3
"""Write intervals.json: Fisher-z confidence intervals of correlation coefficients.

Each entry gives a method, r, n and confidence level, and the interval
tanh(atanh(r) -/+ q * SE) with q the normal quantile from scipy and SE
1/sqrt(n-3) (pearson), sqrt((1 + r^2/2)/(n-3)) (spearman, Bonett-Wright) or
sqrt(0.437/(n-4)) (kendall, Fieller). The bounds are null where the SE is
undefined, and [r, r] where |r| = 1.

usage: make_intervals.py > intervals.json
"""
import json
import math

from scipy import stats


def interval(method, r, n, confidence):
    if method == "kendall":
        if n <= 4:
            return None, None
        se = math.sqrt(0.437 / (n - 4))
    else:
        if n <= 3:
            return None, None
        se = 1 / math.sqrt(n - 3) if method == "pearson" else math.sqrt((1 + r * r / 2) / (n - 3))
    if abs(r) >= 1:
        return r, r
    q = stats.norm.ppf((1 + confidence) / 2)
    z = math.atanh(r)
    return math.tanh(z - q * se), math.tanh(z + q * se)


def main():
    cases = []
    for method in ("pearson", "spearman", "kendall"):
        for r, n in ((0.8, 4), (0.5, 3), (0.6667, 4), (0.789542, 12), (-0.35, 27),
                     (0.0, 10), (0.999, 30), (-1.0, 9), (1.0, 5), (0.42, 150)):
            for confidence in (0.95, 0.9, 0.99):
                low, high = interval(method, r, n, confidence)
                cases.append({"method": method, "r": r, "n": n, "confidence": confidence,
                              "low": low, "high": high})
    print(json.dumps(cases, indent=1))


if __name__ == "__main__":
    main()

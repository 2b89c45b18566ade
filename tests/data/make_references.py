#!/usr/bin/env python3
"""Compute reference values of the safetywashing method for the C++ tests.

The method is the one of Ren et al. 2024, "Safetywashing" (arXiv 2407.21792).
Each capability benchmark is z-scored. The top eigenvector of the capability
benchmarks' correlation matrix is the capabilities component, and its dot
product with a model's z-scores is that model's capabilities score. Every
benchmark is then correlated with the score and with training compute. The
result is printed to stdout as one JSON object; README.md in this folder lists
its keys and the command behind every reference file.

usage: make_references.py TABLE.csv --capabilities a,b,c --compute COLUMN
       --method spearman|pearson|kendall [--exclude col,col] [--input-name NAME]
"""
import argparse
import csv
import json
import math
import os
import re
import sys
import warnings

import numpy as np
from scipy import stats

METHODS = ("spearman", "pearson", "kendall")

# Cells read as missing in numeric columns, compared case-insensitively after
# stripping surrounding spaces and tabs. The C++ reader uses the same list.
MISSING_MARKERS = {"", "na", "n/a", "nan", "null", "-"}

# A plain decimal literal. Python's float() would also accept "inf", "1_000"
# and similar forms, which the C++ reader rejects.
DECIMAL_LITERAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

# The exact Spearman p-value enumerates all n! orderings, so it is limited to
# n <= 10 (3,628,800 orderings).
MAX_EXACT_N = 10


class InputError(Exception):
    """Invalid input table or option, reported with exit code 3."""


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Print the safetywashing reference values of one table as JSON.")
    parser.add_argument("table", help="CSV file: first column 'model', one column per benchmark")
    parser.add_argument("--capabilities", required=True,
                        help="comma-separated capability benchmark columns")
    parser.add_argument("--compute", required=True,
                        help="column with training compute in FLOP")
    parser.add_argument("--method", required=True, choices=METHODS,
                        help="correlation coefficient for the PCA matrix and all correlations")
    parser.add_argument("--exclude", default=None,
                        help="comma-separated columns that are not benchmarks "
                             "(default: every non-numeric column and the compute column)")
    parser.add_argument("--input-name", default=None,
                        help="value of the output's 'input' key (default: the table's file name)")
    return parser.parse_args(argv)


def parse_cell(text):
    """Return the cell as a float, NaN if it is a missing marker, or None if it is not a number."""
    text = text.strip(" \t")
    if text.lower() in MISSING_MARKERS:
        return math.nan
    if not DECIMAL_LITERAL.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def read_table(path):
    """Read a CSV table into model ids and a column name -> list of cell texts mapping."""
    rows = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        for row in reader:
            if row:
                rows.append((reader.line_num, row))
    if len(rows) < 2:
        raise InputError(f"{path}: needs a header line and at least one model")
    header = rows[0][1]
    seen = set()
    for name in header:
        if name in seen:
            raise InputError(f"{path}: duplicate column name '{name}'")
        seen.add(name)
    models = []
    cells = {name: [] for name in header[1:]}
    for line_number, row in rows[1:]:
        if len(row) != len(header):
            raise InputError(f"{path}:{line_number}: has {len(row)} fields, header has {len(header)}")
        if row[0] in models:
            raise InputError(f"{path}:{line_number}: duplicate model '{row[0]}'")
        models.append(row[0])
        for name, text in zip(header[1:], row[1:]):
            cells[name].append(text)
    return models, cells


def numeric_column(texts):
    """Return the column as a float array (NaN = missing), or None if a cell is not a number."""
    values = [parse_cell(text) for text in texts]
    if any(value is None for value in values):
        return None
    return np.array(values, dtype=float)


def describe_invalid_cell(models, texts, name):
    """Return a message naming the first cell of the column that is neither a number nor a missing marker."""
    for model, text in zip(models, texts):
        if parse_cell(text) is None:
            return f"cell '{text}' of model '{model}' in column '{name}' is not a number"
    return f"column '{name}' is numeric"


def split_columns(models, cells, compute, exclude):
    """Return (benchmarks, compute values), with benchmarks a name -> float array dict in table order."""
    if compute not in cells:
        raise InputError(f"compute column '{compute}' not found")
    compute_values = numeric_column(cells[compute])
    if compute_values is None:
        raise InputError(describe_invalid_cell(models, cells[compute], compute))
    present = compute_values[~np.isnan(compute_values)]
    if np.any(present <= 0):
        raise InputError(f"compute column '{compute}' contains {present.min()!r}, "
                         "but training FLOP must be positive")

    if exclude is not None:
        for name in exclude:
            if name not in cells:
                raise InputError(f"excluded column '{name}' not found")
    benchmarks = {}
    for name, texts in cells.items():
        if name == compute or (exclude is not None and name in exclude):
            continue
        values = numeric_column(texts)
        if values is None:
            if exclude is None:
                continue  # A text column is a model attribute, not a benchmark.
            raise InputError(describe_invalid_cell(models, texts, name)
                             + ". Add the column to --exclude if it is not a benchmark.")
        benchmarks[name] = values
    return benchmarks, compute_values


def is_constant(values):
    """Return True if the column has no two different non-missing values (including no values at all)."""
    present = values[~np.isnan(values)]
    return len(present) == 0 or present.max() == present.min()


def zscore(values):
    """Standardize over the non-missing values with the population SD (ddof=0), keeping NaN cells NaN."""
    present = values[~np.isnan(values)]
    mean = present.mean()
    sd = math.sqrt(np.mean((present - mean) ** 2))
    return (values - mean) / sd


def coefficient_and_p(x, y, method):
    """Return scipy's (coefficient, p) of the method, or NaNs when it is undefined (a constant input)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "spearman":
            result = stats.spearmanr(x, y)
        elif method == "pearson":
            result = stats.pearsonr(x, y)
        else:
            result = stats.kendalltau(x, y)  # tau-b, method='auto'
    return float(result[0]), float(result[1])


_PERMUTATIONS = {}


def all_permutations(n):
    """Return every ordering of range(n), n >= 1, as rows of an (n!, n) int8 array, cached per n."""
    if n not in _PERMUTATIONS:
        table = np.zeros((1, 1), dtype=np.int8)
        for size in range(2, n + 1):
            # Insert the new element size - 1 at each position of every shorter ordering.
            blocks = []
            for position in range(size):
                block = np.empty((len(table), size), dtype=np.int8)
                block[:, :position] = table[:, :position]
                block[:, position] = size - 1
                block[:, position + 1:] = table[:, position:]
                blocks.append(block)
            table = np.concatenate(blocks)
        _PERMUTATIONS[n] = table
    return _PERMUTATIONS[n]


def spearman_exact_p(x, y):
    """Return the exact two-sided permutation p-value of Spearman's rho.

    It is the share of the n! orderings of y's average ranks (ties kept) whose
    |rho| is at least the observed |rho|. Doubled average ranks are integers
    with mean n + 1. Every ordering has the same rank sets, so rho is
    sum(2*rank_x * 2*rank_y) - n*(n+1)^2 times a common positive factor, and
    the count uses exact integer arithmetic with no tolerance.
    """
    n = len(x)
    doubled_x = np.rint(2 * stats.rankdata(x)).astype(np.int64)
    doubled_y = np.rint(2 * stats.rankdata(y)).astype(np.int64)
    center = n * (n + 1) ** 2
    observed = abs(int(doubled_x @ doubled_y) - center)
    orderings = all_permutations(n)
    products = np.zeros(len(orderings), dtype=np.int64)
    for i in range(n):
        products += doubled_x[i] * doubled_y[orderings[:, i]]
    count = int(np.count_nonzero(np.abs(products - center) >= observed))
    return count / math.factorial(n)


def correlation_entry(values, target, method):
    """Correlate over the models that have both values (pairwise deletion) and return n, r, p and p_exact."""
    both = ~np.isnan(values) & ~np.isnan(target)
    x = values[both]
    y = target[both]
    entry = {"n": int(both.sum()), "r": None, "p": None}
    defined = False
    if len(x) >= 3:
        r, p = coefficient_and_p(x, y, method)
        if not math.isnan(r):
            defined = True
            entry["r"] = r
            entry["p"] = None if math.isnan(p) else p
    if method == "spearman" and len(x) <= MAX_EXACT_N:
        entry["p_exact"] = spearman_exact_p(x, y) if defined else None
    return entry


def correlation_matrix(columns, method):
    """Return the method's correlation matrix of the given equal-length columns."""
    size = len(columns)
    matrix = np.eye(size)
    for i in range(size):
        for j in range(i + 1, size):
            r, _ = coefficient_and_p(columns[i], columns[j], method)
            matrix[i, j] = matrix[j, i] = r
    return matrix


def capabilities_component(benchmarks, capabilities, method):
    """Return (eigenvalues ascending, oriented loadings, complete-case mask) of the capability columns."""
    raw = np.column_stack([benchmarks[name] for name in capabilities])
    complete = ~np.isnan(raw).any(axis=1)
    if complete.sum() < 3:
        raise InputError(f"only {int(complete.sum())} models have every capability value, "
                         "but the correlation matrix needs at least 3")
    matrix = correlation_matrix([raw[complete, j] for j in range(len(capabilities))], method)
    if np.isnan(matrix).any():
        raise InputError("a capability column is constant over the models that have every "
                         "capability value, so the correlation matrix is undefined")
    eigenvalues, eigenvectors = np.linalg.eigh(matrix)
    loadings = eigenvectors[:, -1]
    # Orient the component so that its largest-magnitude loading is positive.
    if np.abs(loadings).max() != loadings.max():
        loadings = -loadings
    return eigenvalues, loadings, complete


def analyze(models, benchmarks, compute_values, capabilities, method):
    """Run the method and return the output keys 'capabilities' and 'capabilities_models' to 'benchmarks'."""
    for name in capabilities:
        if name not in benchmarks:
            raise InputError(f"capability column '{name}' not found among the numeric benchmark columns")
    skipped = [name for name, values in benchmarks.items() if is_constant(values)]
    used = [name for name in capabilities if name not in skipped]
    if len(used) < 2:
        raise InputError(f"only {len(used)} capability columns are not constant, "
                         "but the capabilities component needs at least 2")

    eigenvalues, loadings, complete = capabilities_component(benchmarks, used, method)
    z = np.column_stack([zscore(benchmarks[name]) for name in used])
    score = np.full(len(models), math.nan)
    score[complete] = z[complete] @ loadings

    compute_target = np.log10(compute_values) if method == "pearson" else compute_values
    results = {}
    for name, values in benchmarks.items():
        if name in skipped:
            continue
        entry = correlation_entry(values, score, method)
        entry["compute"] = correlation_entry(values, compute_target, method)
        results[name] = entry

    return {
        "capabilities": used,
        "capabilities_models": int(complete.sum()),
        "explained_variance": float(eigenvalues[-1] / eigenvalues.sum()),
        "eigenvalues": [float(value) for value in eigenvalues[::-1]],
        "loadings": {name: float(value) for name, value in zip(used, loadings)},
        "scores": {model: float(value) for model, value, ok in zip(models, score, complete) if ok},
        "skipped_constant": skipped,
        "benchmarks": results,
    }


def split_list(text):
    return [item.strip() for item in text.split(",") if item.strip()]


def main(argv):
    args = parse_args(argv)
    models, cells = read_table(args.table)
    exclude = None if args.exclude is None else split_list(args.exclude)
    benchmarks, compute_values = split_columns(models, cells, args.compute, exclude)
    result = analyze(models, benchmarks, compute_values, split_list(args.capabilities), args.method)
    output = {
        "input": args.input_name or os.path.basename(args.table),
        "method": args.method,
        "capabilities": result.pop("capabilities"),
        "compute": args.compute,
    }
    output.update(result)
    print(json.dumps(output, indent=1, ensure_ascii=False, allow_nan=False))

if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except InputError as error:
        print(f"make_references.py: error: {error}", file=sys.stderr)
        sys.exit(3)

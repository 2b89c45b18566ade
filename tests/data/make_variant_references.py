#!/usr/bin/python3
"""Write the reference JSON files of tests/variants_test.cpp.

Each variant of the capabilities component (capabilities_excluding_self,
missing-value policies, PCA matrices, anchor, regression, jackknife and
leave-one-family-out ranges) is recomputed here with numpy and scipy,
without the C++ code. The outputs go to tests/data/variants/*.json and the
README.md in tests/data describes their keys.

usage (from the repository root):
    /usr/bin/python3 tests/data/make_variant_references.py [PAPER_BASE_TABLE]

PAPER_BASE_TABLE is benchmarks_base_models.csv of the Safetywashing paper's
repository. Without it, the script reads data/paper_base.csv of this
repository, which contains the same cells under other attribute column names.
"""
import csv
import json
import math
import os
import sys

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
VARIANTS = os.path.join(HERE, "variants")
REPOSITORY = os.path.dirname(os.path.dirname(HERE))
REGISTRY = os.path.join(REPOSITORY, "data", "benchmarks.csv")
BUNDLED_PAPER_BASE = os.path.join(REPOSITORY, "data", "paper_base.csv")

PAPER_CAPABILITIES = ["logiqa", "piqa", "hellaswag", "winogrande", "superglue_copa",
                      "medqa_4options", "arc_challenge", "mmlu", "minerva_math",
                      "lambada_openai", "gsm8k", "bbh"]
GENERAL_30_CAPABILITIES = ["arcane_qa", "lexi_reason", "numwise_math", "quad_choice", "codefill"]

# Missing-cell markers, compared case-insensitively after stripping blanks.
MISSING_MARKERS = {"", "na", "n/a", "nan", "null", "-"}
# Columns that describe models instead of scoring them, as the C++ reader
# treats them (compute, parameter counts, names, types, families).
ATTRIBUTE_NAMES = {"flop", "flops", "training_flop", "compute", "model_size", "parameters",
                   "params", "name", "display_name", "type", "family"}

MAX_IMPUTE_ITERATIONS = 1000
IMPUTE_TOLERANCE = 1e-10
# Relative tolerance under which two loading magnitudes count as equal in the
# sign rule, and the eigenvalue threshold below which a pairwise matrix is
# repaired. Both are the values that src/pca.cpp uses.
SIGN_TIE_TOLERANCE = 1e-12
PSD_TOLERANCE = 1e-12


# ---------------------------------------------------------------- reading

class Table:
    """A score table: models, benchmark columns (NaN = missing), attributes."""

    def __init__(self, models, benchmarks, values, attributes):
        self.models = models
        self.benchmarks = benchmarks
        self.values = values          # models x benchmarks, float, NaN = missing
        self.attributes = attributes  # name -> list of cell strings

    def column(self, name):
        return self.values[:, self.benchmarks.index(name)]

    def columns(self, names):
        return np.column_stack([self.column(name) for name in names])


def parse_number(cell):
    """Return the float of a cell, NaN for a missing marker, None for text."""
    text = cell.strip(" \t")
    if text.lower() in MISSING_MARKERS:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_table(path):
    """Read a CSV score table with a `model` column (or the first column)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    header = [name.strip(" \t") for name in rows[0]]
    body = rows[1:]
    model_index = next((k for k, name in enumerate(header) if name.lower() == "model"), 0)
    models = [row[model_index].strip(" \t") for row in body]
    benchmarks, columns, attributes = [], [], {}
    for k, name in enumerate(header):
        if k == model_index:
            continue
        cells = [row[k] for row in body]
        numbers = [parse_number(cell) for cell in cells]
        if name.lower() in ATTRIBUTE_NAMES or any(v is None for v in numbers):
            attributes[name] = [cell.strip(" \t") for cell in cells]
            continue
        benchmarks.append(name)
        columns.append(numbers)
    values = np.array(columns, dtype=float).T
    return Table(models, benchmarks, values, attributes)


def read_registry():
    """Return {id: (role, higher_is_better)} from data/benchmarks.csv."""
    with open(REGISTRY, newline="", encoding="utf-8") as handle:
        return {row["id"]: (row["role"], row["higher_is_better"] == "true")
                for row in csv.DictReader(handle)}


def orient(table, registry):
    """Negate the columns that the registry marks as lower-is-better."""
    for k, name in enumerate(table.benchmarks):
        entry = registry.get(name)
        if entry is not None and not entry[1]:
            table.values[:, k] = -table.values[:, k]


def reported_benchmarks(table, registry, capabilities):
    """Non-capability columns that the registry does not mark as ignored."""
    return [name for name in table.benchmarks
            if name not in capabilities and registry.get(name, ("safety",))[0] != "ignore"]


def is_constant(column):
    present = column[~np.isnan(column)]
    return present.size == 0 or present.max() == present.min()


# ------------------------------------------------------------ statistics

def z_scores(column):
    """z-scores over the present cells with the population SD (ddof=0)."""
    present = ~np.isnan(column)
    out = np.full(column.shape, math.nan)
    values = column[present]
    out[present] = (values - values.mean()) / values.std(ddof=0)
    return out


def correlation(method, x, y):
    """Return the correlation of two complete vectors.

    The result is NaN when n < 3 or either vector is constant.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.size < 3 or x.max() == x.min() or y.max() == y.min():
        return math.nan
    if method == "spearman":
        x, y = stats.rankdata(x), stats.rankdata(y)
        method = "pearson"
    if method == "pearson":
        return float(np.corrcoef(x, y)[0, 1])
    if method == "kendall":
        return float(stats.kendalltau(x, y).correlation)  # tau-b
    raise ValueError(method)


def correlate_pairs(method, x, y):
    """Return (n, r) over the rows where both x and y are present."""
    both = ~np.isnan(x) & ~np.isnan(y)
    n = int(both.sum())
    return n, correlation(method, x[both], y[both])


def spearman_p(x, y):
    """Return scipy's t-based p-value of Spearman's rho over the present pairs."""
    both = ~np.isnan(x) & ~np.isnan(y)
    return float(stats.spearmanr(x[both], y[both]).pvalue)


def correlation_matrix(kind, raw, z):
    """Return the matrix of `kind` over complete rows, given raw values and their z-scores."""
    k = raw.shape[1]
    if kind == "covariance":
        return np.cov(z, rowvar=False, ddof=1)
    if kind == "spearman":
        ranks = np.column_stack([stats.rankdata(raw[:, j]) for j in range(k)])
        return np.corrcoef(ranks, rowvar=False)
    if kind == "pearson":
        return np.corrcoef(raw, rowvar=False)
    matrix = np.eye(k)
    for a in range(k):
        for b in range(a + 1, k):
            matrix[a, b] = matrix[b, a] = stats.kendalltau(raw[:, a], raw[:, b]).correlation
    return matrix


def pairwise_matrix(kind, raw, z):
    """Return the matrix of `kind`, each entry over the rows where both
    columns are present."""
    k = raw.shape[1]
    matrix = np.eye(k)
    for a in range(k):
        for b in range(a, k):
            if a == b and kind != "covariance":
                continue
            both = ~np.isnan(raw[:, a]) & ~np.isnan(raw[:, b])
            if kind == "covariance":
                value = np.cov(z[both, a], z[both, b], ddof=1)[0, 1]
            else:
                value = correlation(kind, raw[both, a], raw[both, b])
            if not np.isfinite(value):
                raise ValueError(f"pairwise entry ({a}, {b}) is undefined")
            matrix[a, b] = matrix[b, a] = value
    return matrix


def orient_vector(vector):
    """Orient a vector so its largest-magnitude entry is positive.

    When entries of equal magnitude have opposite signs, the sum decides, and
    the first entry when the sum is 0.
    """
    magnitudes = np.abs(vector)
    top = int(np.argmax(magnitudes))
    largest = magnitudes[top]
    tied = vector[np.abs(magnitudes - largest) <= SIGN_TIE_TOLERANCE * largest]
    if (tied > 0).any() and (tied < 0).any():
        total = vector.sum()
        pivot = total if total != 0 else vector[0]
        return -vector if pivot < 0 else vector
    return -vector if vector[top] < 0 else vector


def fit_component(raw, kind="spearman", missing="complete", rank=1, score="pc1",
                  anchor=None, components=1):
    """Fit the capabilities component to raw capability columns (NaN = missing).

    Returns a dict with `rows` (scored row indices), `scores`, `loadings`,
    `eigenvalues` (descending), `explained_variance`, `components` (list of
    oriented eigenvectors), `anchor_disagrees`, `repaired` and, for
    missing="impute", `imputed` [(row, column, z)], `iterations` and
    `converged`.
    """
    z = np.column_stack([z_scores(raw[:, j]) for j in range(raw.shape[1])])
    result = {"repaired": False}
    if missing == "complete":
        rows = np.flatnonzero(~np.isnan(raw).any(axis=1))
        scored = z[rows]
        matrix = correlation_matrix(kind, raw[rows], scored)
    elif missing == "impute":
        scored, imputation = impute(z, rank)
        result.update(imputation)
        rows = np.arange(raw.shape[0])
        # Ranks, Pearson and covariance are all computed on the completed
        # z-scores here, as the variant defines them.
        matrix = correlation_matrix(kind, scored, scored)
    elif missing == "pairwise":
        rows = np.flatnonzero(~np.isnan(raw).all(axis=1))
        scored = z[rows]
        matrix = pairwise_matrix(kind, raw, z)
        eigenvalues, vectors = np.linalg.eigh(matrix)
        scale = max(1.0, np.abs(eigenvalues).max())
        if eigenvalues.min() < -PSD_TOLERANCE * scale:
            matrix = vectors @ np.diag(np.maximum(eigenvalues, 0.0)) @ vectors.T
            result["repaired"] = True
    else:
        raise ValueError(missing)

    eigenvalues, vectors = np.linalg.eigh(matrix)
    eigenvalues, vectors = eigenvalues[::-1], vectors[:, ::-1]
    loadings = orient_vector(vectors[:, 0])
    result["anchor_disagrees"] = False
    if anchor is not None and loadings[anchor] < 0:
        loadings = -loadings
        result["anchor_disagrees"] = True
    result["components"] = [loadings] + [orient_vector(vectors[:, c])
                                         for c in range(1, components)]

    present = ~np.isnan(scored)
    filled = np.where(present, scored, 0.0)
    if score == "mean-z":
        scores = filled.sum(axis=1) / present.sum(axis=1)
    else:
        # Least squares on the loadings of the present columns. With every
        # column present this is the dot product, because the loadings have norm 1.
        scores = (filled @ loadings) / (present @ (loadings ** 2))
    result.update(rows=rows, scores=scores, loadings=loadings, eigenvalues=eigenvalues,
                  explained_variance=float(eigenvalues[0] / eigenvalues.sum()), matrix=matrix)
    return result


def impute(z, rank):
    """Iterative rank-K PCA imputation of the NaN cells of z-scores."""
    missing = np.isnan(z)
    filled = np.where(missing, 0.0, z)
    cells = [(i, j) for j in range(z.shape[1]) for i in range(z.shape[0]) if missing[i, j]]
    iterations, converged = 0, True
    if cells:
        converged = False
        for iteration in range(1, MAX_IMPUTE_ITERATIONS + 1):
            means = filled.mean(axis=0)
            u, s, vt = np.linalg.svd(filled - means, full_matrices=False)
            reconstruction = (u[:, :rank] * s[:rank]) @ vt[:rank] + means
            change = np.abs(reconstruction[missing] - filled[missing]).max()
            filled[missing] = reconstruction[missing]
            iterations = iteration
            if change <= IMPUTE_TOLERANCE:
                converged = True
                break
    imputed = [(i, j, float(filled[i, j])) for i, j in cells]
    return filled, {"imputed": imputed, "iterations": iterations, "converged": converged}


def score_by_model(table, fit):
    """Return the scores of `fit` as a vector over every model, NaN where unscored."""
    out = np.full(len(table.models), math.nan)
    out[fit["rows"]] = fit["scores"]
    return out


def benchmark_correlations(table, names, score, method="spearman"):
    """Return {name: {"n", "r"}}: each non-constant benchmark's correlation
    with `score`."""
    out = {}
    for name in names:
        column = table.column(name)
        if is_constant(column):
            continue
        n, r = correlate_pairs(method, column, score)
        out[name] = {"n": n, "r": none_if_nan(r)}
    return out


def risk_label(r):
    if r >= 0.7:
        return "high"
    return "moderate" if r >= 0.4 else "low"


def none_if_nan(value):
    return None if value is None or not np.isfinite(value) else float(value)


# ------------------------------------------------------------- variants

def excluding_self(table, capabilities, method="spearman"):
    """Correlate each capability column with a score refit without it."""
    out = {}
    for k, name in enumerate(capabilities):
        others = [c for c in capabilities if c != name]
        fit = fit_component(table.columns(others), kind=method)
        score = score_by_model(table, fit)
        column = table.column(name)
        n, r = correlate_pairs(method, column, score)
        out[name] = {"n": n, "r": none_if_nan(r), "p": spearman_p(column, score),
                     "refit_models": int(fit["rows"].size)}
    return out


def regression_and_adjusted(table, names, score):
    """Regress each benchmark's z-scores on the score by OLS (numpy.linalg.lstsq)."""
    out = {}
    for name in names:
        column = table.column(name)
        if is_constant(column):
            continue
        z = z_scores(column)
        both = ~np.isnan(z) & ~np.isnan(score)
        n = int(both.sum())
        if n < 3 or z[both].max() == z[both].min():
            out[name] = None
            continue
        design = np.column_stack([np.ones(n), score[both]])
        (intercept, slope), _, _, _ = np.linalg.lstsq(design, z[both], rcond=None)
        predicted = design @ np.array([intercept, slope])
        residual = z[both] - predicted
        total = ((z[both] - z[both].mean()) ** 2).sum()
        r_squared = 1.0 - (residual ** 2).sum() / total
        # Rank 1 is the largest residual; a stable sort keeps table order
        # among equal residuals.
        order = np.argsort(-residual, kind="stable")
        ranks = np.empty(n, dtype=int)
        ranks[order] = np.arange(1, n + 1)
        sorted_residuals = residual[order]
        gap = float(np.min(sorted_residuals[:-1] - sorted_residuals[1:]))
        out[name] = {
            "n": n, "slope": float(slope), "intercept": float(intercept),
            "r_squared": float(r_squared), "smallest_residual_gap": gap,
            "models": [table.models[i] for i in np.flatnonzero(both)],
            "z": [float(v) for v in z[both]],
            "predicted": [float(v) for v in predicted],
            "residual": [float(v) for v in residual],
            "rank": [int(v) for v in ranks],
        }
    return out


def refit_ranges(table, capabilities, names, row_sets, method="spearman"):
    """Return the range of each benchmark's capabilities correlation over
    refits on the given row sets, rerunning the whole method in each.

    Some refits cannot be fit: a capability column is constant over the
    remaining models or over their complete rows, or fewer than 3 rows are
    complete. Such a refit counts as undefined for every benchmark, as a
    failed bootstrap fit does in the C++ code. No reference here reaches it.
    """
    values = {name: [] for name in names}
    for rows in row_sets:
        sub = Table([table.models[i] for i in rows], table.benchmarks, table.values[rows], {})
        raw = sub.columns(capabilities)
        score = None
        complete = ~np.isnan(raw).any(axis=1)
        fits = (not any(is_constant(raw[:, j]) for j in range(raw.shape[1]))
                and complete.sum() >= 3
                and not any(is_constant(raw[complete, j]) for j in range(raw.shape[1])))
        if fits:
            score = score_by_model(sub, fit_component(raw, kind=method))
        for name in names:
            r = math.nan
            if score is not None:
                _, r = correlate_pairs(method, sub.column(name), score)
            values[name].append(r)
    out = {}
    for name, rs in values.items():
        defined = [r for r in rs if np.isfinite(r)]
        entry = {"refits": len(defined), "undefined": len(rs) - len(defined),
                 "min": None, "max": None, "risk_changes": False}
        if defined:
            entry.update(min=min(defined), max=max(defined),
                         risk_changes=risk_label(min(defined)) != risk_label(max(defined)))
        out[name] = entry
    return out


def leave_one_out_sets(count):
    return [[i for i in range(count) if i != left_out] for left_out in range(count)]


def leave_one_family_out_sets(families):
    """Return one row set per family, without that family's rows, in order of
    first appearance. Rows with an empty family stay in every set."""
    names = []
    for family in families:
        if family and family not in names:
            names.append(family)
    return [[i for i, family in enumerate(families) if family != name] for name in names]


# -------------------------------------------------------------- output

def component_json(table, capabilities, fit, with_components=False):
    out = {
        "loadings": dict(zip(capabilities, map(float, fit["loadings"]))),
        "eigenvalues": [float(v) for v in fit["eigenvalues"]],
        "explained_variance": fit["explained_variance"],
        "scores": {table.models[i]: float(s) for i, s in zip(fit["rows"], fit["scores"])},
        "anchor_disagrees": fit["anchor_disagrees"],
        "repaired": fit["repaired"],
    }
    if with_components:
        out["components"] = [[float(v) for v in vector] for vector in fit["components"]]
    if "imputed" in fit:
        out["imputed"] = [{"model": table.models[i], "benchmark": capabilities[j], "z": z}
                          for i, j, z in fit["imputed"]]
        out["iterations"] = fit["iterations"]
        out["converged"] = fit["converged"]
    return out


def variant_json(table, capabilities, reported, **options):
    fit = fit_component(table.columns(capabilities), **options)
    out = component_json(table, capabilities, fit, with_components=True)
    out["benchmarks"] = benchmark_correlations(table, capabilities + reported,
                                               score_by_model(table, fit))
    return out


def write_json(name, content, compact=False):
    path = os.path.join(VARIANTS, name)
    layout = {"separators": (",", ":")} if compact else {"indent": 1}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(content, handle, ensure_ascii=False, allow_nan=False, **layout)
        handle.write("\n")
    print(f"wrote {os.path.relpath(path, REPOSITORY)}")


def load(path, registry):
    table = read_table(path)
    orient(table, registry)
    return table


def paper_base_reference(path, registry):
    table = load(path, registry)
    reported = reported_benchmarks(table, registry, PAPER_CAPABILITIES)
    fit = fit_component(table.columns(PAPER_CAPABILITIES))
    score = score_by_model(table, fit)
    return {
        "input": "paper-base",
        "capabilities": PAPER_CAPABILITIES,
        "component": component_json(table, PAPER_CAPABILITIES, fit),
        "excluding_self": excluding_self(table, PAPER_CAPABILITIES),
        "regression": regression_and_adjusted(table, reported, score),
    }


def general_30_reference(registry):
    table = load(os.path.join(HERE, "general_30.csv"), registry)
    capabilities = GENERAL_30_CAPABILITIES
    reported = reported_benchmarks(table, registry, capabilities)
    everything = capabilities + [name for name in reported if not is_constant(table.column(name))]
    count = len(capabilities)
    return {
        "input": "general_30.csv",
        "capabilities": capabilities,
        "excluding_self": excluding_self(table, capabilities),
        "matrices": {kind: variant_json(table, capabilities, reported, kind=kind,
                                        components=count)
                     for kind in ("spearman", "pearson", "kendall", "covariance")},
        "mean_z": variant_json(table, capabilities, reported, score="mean-z"),
        "jackknife": refit_ranges(table, capabilities, everything,
                                  leave_one_out_sets(len(table.models))),
    }


def impute_reference(registry):
    table = load(os.path.join(VARIANTS, "impute_15.csv"), registry)
    capabilities = ["riddle_mc", "sum_steps", "fact_recall", "patch_code"]
    reported = reported_benchmarks(table, registry, capabilities)
    cases = {"spearman_rank1": {"kind": "spearman", "rank": 1},
             "pearson_rank1": {"kind": "pearson", "rank": 1},
             "spearman_rank2": {"kind": "spearman", "rank": 2}}
    out = {"input": "impute_15.csv", "capabilities": capabilities, "cases": {}}
    for name, case in cases.items():
        entry = variant_json(table, capabilities, reported, missing="impute", **case)
        entry.update(pca_matrix=case["kind"], impute_rank=case["rank"])
        out["cases"][name] = entry
    return out


def pairwise_reference(registry, fixture, capabilities, kinds):
    table = load(os.path.join(VARIANTS, fixture), registry)
    reported = reported_benchmarks(table, registry, capabilities)
    out = {"input": fixture, "capabilities": capabilities, "cases": {}}
    raw = table.columns(capabilities)
    out["excluded_models"] = [model for model, row in zip(table.models, raw)
                              if np.isnan(row).all()]
    z = np.column_stack([z_scores(raw[:, j]) for j in range(raw.shape[1])])
    for kind in kinds:
        entry = variant_json(table, capabilities, reported, kind=kind, missing="pairwise")
        entry["unrepaired_eigenvalues"] = sorted(
            (float(v) for v in np.linalg.eigvalsh(pairwise_matrix(kind, raw, z))), reverse=True)
        entry["pca_matrix"] = kind
        out["cases"][kind] = entry
    return out


def anchor_reference(registry):
    table = load(os.path.join(VARIANTS, "anchor_10.csv"), registry)
    capabilities = ["vocab_mc", "story_order", "logic_grid", "slip_rate"]
    reported = reported_benchmarks(table, registry, capabilities)
    out = {"input": "anchor_10.csv", "capabilities": capabilities, "cases": {}}
    for anchor in (None, "vocab_mc", "slip_rate"):
        index = None if anchor is None else capabilities.index(anchor)
        entry = variant_json(table, capabilities, reported, anchor=index)
        out["cases"][anchor or "default"] = entry
    return out


def family_reference(registry):
    table = load(os.path.join(VARIANTS, "family_16.csv"), registry)
    capabilities = ["lore_mc", "calc_chain", "table_read"]
    reported = reported_benchmarks(table, registry, capabilities)
    everything = capabilities + reported
    families = table.attributes["family"]
    return {
        "input": "family_16.csv",
        "capabilities": capabilities,
        "family_column": "family",
        "families": [name for name in dict.fromkeys(families) if name],
        "by_family": refit_ranges(table, capabilities, everything,
                                  leave_one_family_out_sets(families)),
        "jackknife": refit_ranges(table, capabilities, everything,
                                  leave_one_out_sets(len(table.models))),
    }


def main(argv):
    if len(argv) > 2:
        sys.exit(__doc__)
    paper_table = argv[1] if len(argv) == 2 else BUNDLED_PAPER_BASE
    registry = read_registry()
    write_json("paper_base.json", paper_base_reference(paper_table, registry), compact=True)
    write_json("general_30.json", general_30_reference(registry))
    write_json("impute_15.json", impute_reference(registry))
    write_json("pairwise_14.json", pairwise_reference(
        registry, "pairwise_14.csv", ["chart_qa", "unit_convert", "span_extract", "proof_check"],
        ("spearman", "pearson", "kendall", "covariance")))
    write_json("pairwise_not_psd.json", pairwise_reference(
        registry, "pairwise_not_psd.csv", ["alpha_cloze", "beta_logic", "gamma_math"],
        ("spearman",)))
    write_json("anchor_10.json", anchor_reference(registry))
    write_json("family_16.json", family_reference(registry))


if __name__ == "__main__":
    main(sys.argv)

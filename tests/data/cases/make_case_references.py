#!/usr/bin/python3
"""Compute the reference values for the fixtures in tests/data/cases/.

Run from any folder with /usr/bin/python3 (numpy 1.24, scipy 1.10):

    /usr/bin/python3 tests/data/cases/make_case_references.py

For every run in RUNS it reads the run's input files with its own reader,
applies the method that README.md describes and writes
<case folder>/<run name>.json. Runs with variants read each variant file too
and stop unless every variant gives the same numbers as the main input.
Before writing, each run checks that its fixture distinguishes the right
result from the wrong results listed in its `traps`, so the script stops
when a fixture no longer catches its fault.

The method (README.md, "The method"):
1. Constant columns (all present values equal) are skipped.
2. Each capability column is z-scored over the models that have a value,
   with the population SD.
3. Over the models with every capability value, the correlation matrix of
   the raw capability columns (Spearman, Pearson or Kendall tau-b) gives the
   loadings: the eigenvector of the largest eigenvalue (numpy.linalg.eigh),
   oriented so the largest-magnitude loading is positive; when the largest
   magnitudes have opposite signs the sum is made positive, and when that
   sum is 0 the first loading is.
4. A model's score is its z-scores dotted with the loadings.
5. Each benchmark is correlated with the score, and with compute (log10 for
   Pearson), over the models that have both values.

p-values: Pearson from the t distribution with n - 2 df (0 when |r| = 1);
Spearman from all n! orderings for n <= 10 (exact integer arithmetic on
doubled mid-ranks), else the t distribution; Kendall tau-b from
scipy.stats.kendalltau(method='auto'). Holm adjustment across the reported
benchmarks, capabilities and compute separately. Intervals: Fisher z with
SE 1/sqrt(n-3) (Pearson), sqrt((1 + r^2/2)/(n-3)) (Spearman, Bonett and
Wright 2000) or sqrt(0.437/(n-4)) (Kendall, Fieller et al. 1957); none when
n <= 3 (n <= 4 for Kendall); [r, r] when |r| = 1.
"""
import csv
import io
import json
import math
import os
import re
from collections import Counter

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
MISSING = {'', 'na', 'n/a', 'nan', 'null', '-'}
DECIMAL = re.compile(r'[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?')
CONFIDENCE = 0.95
# A computed |r| this close to 1 comes from decimal inputs that are exactly
# linear before their conversion to doubles, so it is reported as +-1.
PERFECT = 1e-12


class FixtureError(Exception):
    pass


# ---------------------------------------------------------------- reading

def parse_number(cell):
    """Parse a cell into (value, is_percent), or None when it is missing.

    Raises FixtureError when the cell is text or not finite.
    """
    text = cell.strip(' \t')
    if text.lower() in MISSING:
        return None
    percent = text.endswith('%')
    if percent:
        text = text[:-1].rstrip(' \t')
    if not DECIMAL.fullmatch(text):
        raise FixtureError('not a decimal number: %r' % cell)
    value = float(text)
    if not math.isfinite(value):
        raise FixtureError('not finite: %r' % cell)
    return value, percent


def read_csv(path):
    """Read a wide CSV table into {model: {column: value}} and its column order."""
    with open(path, 'rb') as handle:
        raw = handle.read()
    text = raw.decode('utf-8-sig')  # strict UTF-8, byte order mark removed
    rows = [row for row in csv.reader(io.StringIO(text, newline='')) if row]

    header = [name.strip(' \t') for name in rows[0]]
    while header and header[-1] == '':
        header.pop()
    model_column = next((i for i, name in enumerate(header) if name.lower() == 'model'), 0)
    columns = [name for i, name in enumerate(header) if i != model_column]

    table = {}
    cells = {name: [] for name in columns}
    for row in rows[1:]:
        surplus = row[len(header):]
        if any(field.strip(' \t') for field in surplus):
            raise FixtureError('non-empty surplus field in %s' % path)
        row = row[:len(header)]
        model = row[model_column].strip(' \t')
        if model in table:
            raise FixtureError('duplicate model %s' % model)
        table[model] = {}
        for i, name in enumerate(header):
            if i != model_column:
                cells[name].append((model, parse_number(row[i])))

    for name, column in cells.items():
        kinds = {value[1] for _, value in column if value is not None}
        if len(kinds) > 1:
            raise FixtureError('column %s mixes percent and plain numbers' % name)
        for model, value in column:
            if value is not None:
                table[model][name] = value[0] / 100 if value[1] else value[0]
    return table, columns


LM_EVAL_METRICS = ['acc_norm', 'acc', 'exact_match', 'mc2', 'mc1', 'f1', 'em']


def read_lm_eval(path):
    """Read one lm-evaluation-harness 0.4 result file into (model, {task: score})."""
    with open(path) as handle:
        doc = json.load(handle)
    model = doc.get('model_name')
    if not model:
        args = dict(part.split('=', 1) for part in doc['config']['model_args'].split(','))
        model = args['pretrained']
        if model.startswith('/'):
            model = model.rstrip('/').rsplit('/', 1)[-1]
    scores = {}
    for task, entry in doc['results'].items():
        metrics = {}
        for key, value in entry.items():
            if ',' not in key or '_stderr' in key:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                metric, metric_filter = key.split(',', 1)
                metrics.setdefault(metric, {})[metric_filter] = value
        for metric in LM_EVAL_METRICS:
            if metric in metrics:
                by_filter = metrics[metric]
                scores[task] = by_filter.get('strict-match', next(iter(by_filter.values())))
                break
    return model, scores


def read_inputs(paths):
    """Outer-join the inputs by model id, in order of first appearance."""
    table, columns = {}, []
    for path in paths:
        if path.endswith('.json'):
            model, scores = read_lm_eval(path)
            part, part_columns = {model: scores}, list(scores)
        else:
            part, part_columns = read_csv(path)
        for column in part_columns:
            if column not in columns:
                columns.append(column)
        for model, values in part.items():
            row = table.setdefault(model, {})
            for column, value in values.items():
                if column in row and row[column] != value:
                    raise FixtureError('conflicting %s for %s' % (column, model))
                row[column] = value
    return table, columns


# ---------------------------------------------------------------- statistics

def doubled_ranks(values):
    """Return the mid-ranks times 2, as integers."""
    ranks = stats.rankdata(values)
    return [int(round(2 * r)) for r in ranks]


def spearman_exact_p(x, y):
    """Return the share of the n! orderings of y whose |rho| reaches the observed one.

    With the mid-rank multisets fixed, rho is an increasing affine function
    of S = sum(a_i b_pi(i)) with a and b the doubled ranks, so comparing the
    integers |n S - sum(a) sum(b)| compares |rho| exactly. The distribution
    of S over all orderings is counted by dynamic programming over the sets
    of positions of y already assigned.
    """
    a, b = doubled_ranks(x), doubled_ranks(y)
    n = len(a)
    total_a, total_b = sum(a), sum(b)
    observed = abs(n * sum(p * q for p, q in zip(a, b)) - total_a * total_b)
    layer = {0: Counter({0: 1})}
    for i in range(n):
        following = {}
        for mask, sums in layer.items():
            for j in range(n):
                if mask & (1 << j):
                    continue
                target = following.setdefault(mask | (1 << j), Counter())
                step = a[i] * b[j]
                for s, count in sums.items():
                    target[s + step] += count
        layer = following
    (sums,) = layer.values()
    reached = sum(count for s, count in sums.items()
                  if abs(n * s - total_a * total_b) >= observed)
    return reached / math.factorial(n)


def t_test_p(r, n):
    if abs(r) >= 1:
        return 0.0
    t = r * math.sqrt((n - 2) / (1 - r * r))
    return float(2 * stats.t.sf(abs(t), n - 2))


def coefficient(method, x, y):
    if method == 'spearman':
        return float(stats.spearmanr(x, y).correlation)
    if method == 'pearson':
        return float(stats.pearsonr(x, y)[0])
    return float(stats.kendalltau(x, y, variant='b', method='auto').correlation)


def is_constant(values):
    return len(values) == 0 or min(values) == max(values)


def correlate(method, x, y):
    """Correlate two equally long lists into {n, r, p, ci_low, ci_high}.

    Values that are undefined are None.
    """
    n = len(x)
    result = {'n': n, 'r': None, 'p': None, 'ci_low': None, 'ci_high': None}
    if n < 3 or is_constant(x) or is_constant(y):
        return result
    r = coefficient(method, x, y)
    if abs(abs(r) - 1) < PERFECT:
        r = math.copysign(1.0, r)
    if method == 'pearson':
        p = t_test_p(r, n)
    elif method == 'spearman':
        p = spearman_exact_p(x, y) if n <= 10 else t_test_p(r, n)
    else:
        p = float(stats.kendalltau(x, y, variant='b', method='auto').pvalue)
    result['r'], result['p'] = r, p
    if method == 'pearson':
        se = 1 / math.sqrt(n - 3) if n > 3 else None
    elif method == 'spearman':
        se = math.sqrt((1 + r * r / 2) / (n - 3)) if n > 3 else None
    else:
        se = math.sqrt(0.437 / (n - 4)) if n > 4 else None
    if se is not None:
        if abs(r) == 1:
            result['ci_low'] = result['ci_high'] = r
        else:
            q = float(stats.norm.ppf((1 + CONFIDENCE) / 2))
            z = math.atanh(r)
            result['ci_low'], result['ci_high'] = math.tanh(z - q * se), math.tanh(z + q * se)
    return result


def holm(p_values):
    """Return Holm-adjusted p-values as R's p.adjust does. None entries are not tests."""
    tests = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    adjusted = [None] * len(p_values)
    running = 0.0
    m = len(tests)
    for k, (p, i) in enumerate(tests):
        running = max(running, min(1.0, (m - k) * p))
        adjusted[i] = running
    return adjusted


def orient(vector):
    magnitude = np.max(np.abs(vector))
    top = vector[np.abs(np.abs(vector) - magnitude) <= 1e-12 * magnitude]
    if np.any(top > 0) and np.any(top < 0):
        total = vector.sum()
        if abs(total) > 1e-12 * np.abs(vector).sum():
            return vector if total > 0 else -vector
        return vector if vector[0] > 0 else -vector
    return vector if top[0] > 0 else -vector


def analyze(table, columns, capabilities, safety, compute, method, z_over='present'):
    """Compute the reference numbers of one run.

    `z_over='complete'` z-scores over the complete models only, a wrong
    variant used only to check that a fixture catches it.
    """
    models = list(table)

    def column(name):
        return [table[m].get(name) for m in models]

    skipped = [name for name in capabilities + safety
               if is_constant([v for v in column(name) if v is not None])]
    used = [name for name in capabilities if name not in skipped]
    complete = [i for i, m in enumerate(models) if all(table[m].get(c) is not None for c in used)]

    z = np.full((len(models), len(used)), np.nan)
    for k, name in enumerate(used):
        values = column(name)
        rows = [i for i in range(len(models)) if values[i] is not None]
        if z_over == 'complete':
            rows = complete
        data = np.array([values[i] for i in rows])
        mean, sd = data.mean(), data.std(ddof=0)
        for i in range(len(models)):
            if values[i] is not None:
                z[i, k] = (values[i] - mean) / sd

    matrix = np.eye(len(used))
    for a in range(len(used)):
        for b in range(a + 1, len(used)):
            x = [table[models[i]][used[a]] for i in complete]
            y = [table[models[i]][used[b]] for i in complete]
            matrix[a, b] = matrix[b, a] = coefficient(method, x, y)
    eigenvalues, eigenvectors = np.linalg.eigh(matrix)
    loadings = orient(eigenvectors[:, -1])
    scores = {models[i]: float(z[i] @ loadings) for i in complete}

    compute_values = column(compute) if compute else None
    benchmarks = {}
    for name in used + [s for s in safety]:
        values = column(name)
        entry = {'role': 'capability' if name in used else 'safety'}
        if name in skipped:
            entry['skipped'] = 'constant'
            benchmarks[name] = entry
            continue
        pairs = [(values[i], scores[m]) for i, m in enumerate(models)
                 if values[i] is not None and m in scores]
        entry.update(correlate(method, [p[0] for p in pairs], [p[1] for p in pairs]))
        if compute:
            pairs = [(values[i], compute_values[i]) for i in range(len(models))
                     if values[i] is not None and compute_values[i] is not None]
            target = [math.log10(c) if method == 'pearson' else c for _, c in pairs]
            entry['compute'] = correlate(method, [p[0] for p in pairs], target)
        benchmarks[name] = entry

    reported = [name for name in safety if name not in skipped]
    for key in ('capabilities', 'compute'):
        if key == 'compute' and not compute:
            continue
        holder = [benchmarks[n] if key == 'capabilities' else benchmarks[n]['compute']
                  for n in reported]
        for target, adjusted in zip(holder, holm([h['p'] for h in holder])):
            target['p_adjusted'] = adjusted

    order = np.argsort(eigenvalues)[::-1]
    return {
        'capabilities_used': used,
        'capabilities_models': len(complete),
        'explained_variance': float(eigenvalues[-1] / eigenvalues.sum()),
        'eigenvalues': [float(eigenvalues[i]) for i in order],
        'loadings': {name: float(v) for name, v in zip(used, loadings)},
        'scores': scores,
        'excluded_models': [m for i, m in enumerate(models) if i not in complete],
        'skipped_constant': skipped,
        'benchmarks': benchmarks,
    }


# ---------------------------------------------------------------- runs

def run(folder, name, inputs, capabilities, safety, compute, method, variants=(), traps=()):
    return dict(folder=folder, name=name, inputs=inputs, capabilities=capabilities,
                safety=safety, compute=compute, method=method, variants=list(variants),
                traps=list(traps))


def numbers_close(a, b, tolerance=1e-12):
    """Return True when two reference documents agree, numbers to `tolerance`."""
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(numbers_close(a[k], b[k], tolerance) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(numbers_close(x, y, tolerance) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= tolerance * max(1.0, abs(a))
    return a == b


def field(reference, path):
    value = reference
    for key in path.split('.'):
        value = value[key]
    return value


def check_traps(spec, reference, table, columns):
    """Raise FixtureError when a trap of `spec` gives the right value.

    Each trap is (description, path in the reference, wrong value or function).
    """
    for description, path, wrong in spec['traps']:
        wrong_value = wrong(table, columns, spec) if callable(wrong) else wrong
        right_value = field(reference, path)
        same = (wrong_value is None) == (right_value is None) and (
            right_value is None or abs(wrong_value - right_value) < 1e-6)
        if same:
            raise FixtureError('%s/%s: the trap "%s" gives the right %s (%r)'
                               % (spec['folder'], spec['name'], description, path, right_value))


def compute_run(spec):
    folder = os.path.join(HERE, spec['folder'])
    paths = [os.path.join(folder, p) for p in spec['inputs']]
    table, columns = read_inputs(paths)
    reference = analyze(table, columns, spec['capabilities'], spec['safety'], spec['compute'],
                        spec['method'])
    for variant in spec['variants']:
        other_table, other_columns = read_inputs([os.path.join(folder, variant)])
        other = analyze(other_table, other_columns, spec['capabilities'], spec['safety'],
                        spec['compute'], spec['method'])
        if not numbers_close(reference, other):
            raise FixtureError('%s: %s differs from %s'
                               % (spec['folder'], variant, spec['inputs']))
    check_traps(spec, reference, table, columns)
    document = {key: spec[key] for key in ('inputs', 'variants', 'capabilities', 'safety',
                                           'compute', 'method')}
    document.update(reference)
    return document


# Wrong results that each fixture must distinguish from the right one.

def ranked_before_deletion(benchmark, target):
    """Return a trap: Spearman r when both columns are ranked over every model
    first and the incomplete pairs are dropped afterwards."""
    def wrong(table, columns, spec):
        reference = analyze(table, columns, spec['capabilities'], spec['safety'],
                            spec['compute'], spec['method'])
        models = list(table)
        scores = reference['scores']
        rank_b = stats.rankdata([table[m].get(benchmark, np.inf) for m in models])
        if target == 'score':
            other = [scores.get(m, np.inf) for m in models]
        else:
            other = [table[m].get(spec['compute'], np.inf) for m in models]
        rank_o = stats.rankdata(other)
        keep = [i for i, m in enumerate(models)
                if table[m].get(benchmark) is not None and np.isfinite(other[i])]
        return float(np.corrcoef(rank_b[keep], rank_o[keep])[0, 1])
    return wrong


def with_table_change(change, path):
    """Return a trap: the value at `path` after `change` rewrites the table."""
    def wrong(table, columns, spec):
        changed = {m: dict(v) for m, v in table.items()}
        change(changed, spec)
        return field(analyze(changed, columns, spec['capabilities'], spec['safety'],
                             spec['compute'], spec['method']), path)
    return wrong


def z_over_complete(path):
    def wrong(table, columns, spec):
        return field(analyze(table, columns, spec['capabilities'], spec['safety'], spec['compute'],
                             spec['method'], z_over='complete'), path)
    return wrong


def saturate_int64(table, spec):
    for row in table.values():
        if row[spec['compute']] > 2 ** 63 - 1:
            row[spec['compute']] = float(2 ** 63 - 1)


def break_flop_tie(table, spec):
    row = table['h10']
    row[spec['compute']] = math.nextafter(row[spec['compute']], math.inf)


def missing_as_zero(benchmark):
    def change(table, spec):
        for row in table.values():
            row.setdefault(benchmark, 0.0)
    return change


def lm_eval_metric_instead(task, metric_key):
    """Return a trap: truthfulqa_mc2 r with one task of every file scored by `metric_key`."""
    def wrong(table, columns, spec):
        folder = os.path.join(HERE, spec['folder'])
        changed = {m: dict(v) for m, v in table.items()}
        for path in spec['inputs']:
            if not path.endswith('.json'):
                continue
            with open(os.path.join(folder, path)) as handle:
                doc = json.load(handle)
            model, _ = read_lm_eval(os.path.join(folder, path))
            changed[model][task] = doc['results'][task][metric_key]
        return field(analyze(changed, columns, spec['capabilities'], spec['safety'],
                             spec['compute'], spec['method']),
                     'benchmarks.truthfulqa_mc2.r')
    return wrong


LM_EVAL_FILES = ['runs/lark-1b.json', 'runs/results_lark-3b.json', 'runs/lark-8b.json',
                 'runs/swift-32b.json', 'runs/tern-70b.json', 'runs/tern-180b.json',
                 'runs/heron-400b.json']

RUNS = []
for m in ('spearman', 'kendall', 'pearson'):
    traps = []
    if m == 'spearman':
        traps = [('ranks over every model before pairwise deletion',
                  'benchmarks.candor_probe.r', ranked_before_deletion('candor_probe', 'score')),
                 ('ranks over every model before pairwise deletion',
                  'benchmarks.refuse_harm.compute.r',
                  ranked_before_deletion('refuse_harm', 'flops'))]
    RUNS.append(run('ties_missing', m, ['table.csv'], ['lore_qa', 'sum_chain', 'sci_pick'],
                    ['candor_probe', 'refuse_harm'], 'flops', m, traps=traps))
for m in ('spearman', 'pearson', 'kendall'):
    RUNS.append(run('constant_safety', m, ['table.csv'], ['read_span', 'math_steps', 'code_fill'],
                    ['steady_refuse', 'flat_gap', 'hairline_gap', 'candid_rate'], 'flops', m))
for m in ('spearman', 'pearson', 'kendall'):
    RUNS.append(run('constant_capability', m, ['table_rounding.csv'],
                    ['vocab_mc', 'word_math', 'story_cloze', 'coref_pick'], ['clean_talk'],
                    'flops', m, variants=['table_exact.csv']))
for m in ('spearman', 'pearson', 'kendall'):
    RUNS.append(run('tiny_n', m, ['table.csv'], ['fact_recall', 'logic_grid'],
                    ['two_only', 'three_only', 'four_only'], 'flops', m))
for m in ('spearman', 'pearson', 'kendall'):
    RUNS.append(run('perfect_correlation', m, ['table.csv'], ['base_qa', 'base_qa_cot'],
                    ['drift_resist', 'shadow_cap', 'inverse_cap'], 'flops', m))
for m in ('kendall', 'spearman', 'pearson'):
    RUNS.append(run('kendall_ties', m, ['table.csv'], ['trivia_mc', 'puzzle_steps'],
                    ['harm_grade'], 'flops', m))
for m in ('spearman', 'pearson', 'kendall'):
    traps = []
    if m == 'pearson':
        traps = [('z-scores over the complete models only', 'benchmarks.honest_gen.r',
                  z_over_complete('benchmarks.honest_gen.r')),
                 ('z-scores over the complete models only', 'benchmarks.decline_rate.r',
                  z_over_complete('benchmarks.decline_rate.r'))]
    RUNS.append(run('pairwise_deletion', m, ['table.csv'],
                    ['alpha_read', 'beta_math', 'gamma_sci'],
                    ['honest_gen', 'stereo_gap', 'decline_rate'], 'flops', m, traps=traps))
for m in ('spearman', 'pearson', 'kendall'):
    traps = [('FLOP above the int64 range saturated', 'benchmarks.misuse_block.compute.r',
              with_table_change(saturate_int64, 'benchmarks.misuse_block.compute.r'))]
    if m != 'pearson':
        traps.append(('the tie 7.5e24 = 7500000000000000000000000 broken by one ulp',
                      'benchmarks.misuse_block.compute.p',
                      with_table_change(break_flop_tie, 'benchmarks.misuse_block.compute.p')))
    RUNS.append(run('flop_formats', m, ['table.csv'], ['recall_mc', 'chain_math'],
                    ['misuse_block'], 'flops', m, traps=traps))
RUNS.append(run('bom_crlf', 'spearman', ['clean.csv'], ['story_qa', 'calc_chain'], ['honest_mc'],
                'flops', 'spearman', variants=['bom_crlf.csv', 'bom_lf_no_final_newline.csv']))
RUNS.append(run('surplus_fields', 'spearman', ['clean.csv'], ['gist_qa', 'step_math'],
                ['halt_comply'], 'flops', 'spearman',
                variants=['trailing_all_rows.csv', 'trailing_first_row.csv',
                          'trailing_header_and_rows.csv']))
for m in ('spearman', 'pearson'):
    RUNS.append(run('percent_cells', m, ['clean.csv'], ['pick_mc', 'count_math'], ['refuse_rate'],
                    'flops', m, variants=['all_percent.csv', 'percent_space.csv']))
RUNS.append(run('non_ascii', 'spearman', ['utf8.csv'], ['Wissen (知識)', 'Rechnen\u2013CoT'],
                ['Sûreté-QA', 'Aufrichtig ✓'], 'flops', 'spearman'))
for m in ('spearman', 'pearson'):
    traps = [('a missing task read as 0', 'benchmarks.truthfulqa_mc2.r',
              with_table_change(missing_as_zero('truthfulqa_mc2'), 'benchmarks.truthfulqa_mc2.r')),
             ('gsm8k scored by flexible-extract', 'benchmarks.truthfulqa_mc2.r',
              lm_eval_metric_instead('gsm8k', 'exact_match,flexible-extract')),
             ('arc_challenge scored by acc', 'benchmarks.truthfulqa_mc2.r',
              lm_eval_metric_instead('arc_challenge', 'acc,none'))]
    RUNS.append(run('lm_eval_results', m, LM_EVAL_FILES, ['arc_challenge', 'gsm8k'],
                    ['truthfulqa_mc2'], None, m, traps=traps))
    RUNS.append(run('lm_eval_results', m + '.flops', LM_EVAL_FILES + ['flops.csv'],
                    ['arc_challenge', 'gsm8k'], ['truthfulqa_mc2'], 'flops', m))


def check_fixture_facts():
    """Check the properties of the inputs that the cases rely on."""
    folder = os.path.join(HERE, 'constant_safety')
    table, _ = read_csv(os.path.join(folder, 'table.csv'))
    for name in ('steady_refuse', 'flat_gap'):
        values = [row[name] for row in table.values() if name in row]
        if sum(values) / len(values) == values[0]:
            raise FixtureError('the mean of %s is exact, so it does not test rounding' % name)
    table, _ = read_csv(os.path.join(HERE, 'constant_capability', 'table_rounding.csv'))
    values = [row['story_cloze'] for row in table.values()]
    if sum(values) / len(values) == values[0]:
        raise FixtureError('the mean of story_cloze is exact in table_rounding.csv')
    table, _ = read_csv(os.path.join(HERE, 'constant_capability', 'table_exact.csv'))
    values = [row['story_cloze'] for row in table.values()]
    if sum(values) / len(values) != values[0]:
        raise FixtureError('the mean of story_cloze is not exact in table_exact.csv')
    table, _ = read_csv(os.path.join(HERE, 'flop_formats', 'table.csv'))
    if table['h09']['flops'] != table['h10']['flops']:
        raise FixtureError('7.5e24 and 7500000000000000000000000 differ after rounding')


def main():
    check_fixture_facts()
    for spec in RUNS:
        document = compute_run(spec)
        path = os.path.join(HERE, spec['folder'], spec['name'] + '.json')
        with open(path, 'w', encoding='utf-8') as handle:
            json.dump(document, handle, indent=1, ensure_ascii=False)
            handle.write('\n')
        print('wrote', os.path.relpath(path, HERE))


if __name__ == '__main__':
    main()

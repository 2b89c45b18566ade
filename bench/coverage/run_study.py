#!/usr/bin/env python3
"""Coverage and test-size study of safetywash's intervals and p-values.

For each replicate i, `safetywash simulate --seed i` writes a table of 25-30
models (the count cycles through 25..30) with six capability benchmarks and
four safety benchmarks whose true correlations with the latent capability are
0.7, 0.4, 0 and -0.4. `simulate --truth` gives the population value of each
capabilities correlation. `safetywash analyze` then runs twice on the table:
once with Fisher-z intervals and once with `--bootstrap B --seed i`. The
script counts how often each 95% interval covers the true value and how
often the unadjusted p-value of the null benchmark (true correlation 0) falls
below 0.05.

usage: run_study.py BINARY [--replicates N] [--bootstrap B] [--method M]
                           [--missing P] [--jobs J] [--ci-method bca|percentile]
Needs only the Python standard library.
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import tempfile

SAFETY_RHO = [0.7, 0.4, 0.0, -0.4]
CAPABILITIES = "cap_1,cap_2,cap_3,cap_4,cap_5,cap_6"


def run_replicate(binary, i, args):
    """Returns per-benchmark dicts: truth, Fisher and bootstrap intervals, p."""
    models = 25 + i % 6
    with tempfile.TemporaryDirectory() as folder:
        table = os.path.join(folder, "table.csv")
        truth_path = os.path.join(folder, "truth.json")
        subprocess.run([binary, "simulate", "--models", str(models), "--seed", str(i),
                        "--missing", str(args.missing),
                        "--safety", ",".join(str(r) for r in SAFETY_RHO),
                        "-o", table, "--truth", truth_path], check=True)
        with open(truth_path) as fh:
            truth = json.load(fh)
        common = [binary, "analyze", table, "-c", CAPABILITIES, "--method", args.method,
                  "--format", "json", "-q", "--threads", "1"]
        fisher = json.loads(subprocess.run(common, check=True, capture_output=True).stdout)
        boot = json.loads(subprocess.run(
            common + ["--bootstrap", str(args.bootstrap), "--seed", str(i),
                      "--ci-method", args.ci_method],
            check=True, capture_output=True).stdout)
    rows = []
    for s in truth["safety"]:
        name = s["benchmark"]
        f = next(b for b in fisher["benchmarks"] if b["benchmark"] == name)
        b = next(b for b in boot["benchmarks"] if b["benchmark"] == name)
        rows.append({
            "rho": s["rho"],
            "truth": s["capabilities_correlation"][args.method],
            "compute_truth": s["compute_correlation"][args.method],
            "fisher": (f["capabilities_correlation"]["ci_low"], f["capabilities_correlation"]["ci_high"]),
            "boot": (b["capabilities_correlation"]["ci_low"], b["capabilities_correlation"]["ci_high"]),
            "compute_fisher": (f["compute_correlation"]["ci_low"], f["compute_correlation"]["ci_high"]),
            "p": f["capabilities_correlation"]["p"],
            "compute_p": f["compute_correlation"]["p"],
            "n": f["capabilities_correlation"]["n"],
        })
    return rows


def covers(interval, value):
    low, high = interval
    return low is not None and high is not None and low <= value <= high


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--method", default="spearman")
    parser.add_argument("--missing", type=float, default=0.0)
    parser.add_argument("--ci-method", default="bca")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda i: run_replicate(args.binary, i, args),
                                range(1, args.replicates + 1)))

    print(f"method {args.method}, {args.replicates} tables of 25-30 models, "
          f"missing {args.missing}, bootstrap {args.bootstrap} ({args.ci_method})")
    print("| true rho | true r | mean n | Fisher coverage | bootstrap coverage | "
          "compute Fisher coverage | p < 0.05 | compute p < 0.05 |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k, rho in enumerate(SAFETY_RHO):
        rows = [r[k] for r in results]
        count = len(rows)
        fisher = sum(covers(r["fisher"], r["truth"]) for r in rows) / count
        boot = sum(covers(r["boot"], r["truth"]) for r in rows) / count
        compute = sum(covers(r["compute_fisher"], r["compute_truth"]) for r in rows) / count
        rejected = sum(r["p"] is not None and r["p"] < 0.05 for r in rows) / count
        compute_rejected = sum(r["compute_p"] is not None and r["compute_p"] < 0.05
                               for r in rows) / count
        mean_n = sum(r["n"] for r in rows) / count
        print(f"| {rho:g} | {rows[0]['truth']:.4f} | {mean_n:.1f} | {fisher:.3f} | {boot:.3f} | "
              f"{compute:.3f} | {rejected:.3f} | {compute_rejected:.3f} |")


if __name__ == "__main__":
    main()

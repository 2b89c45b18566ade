#!/usr/bin/env python3
"""Write general_30.csv: 30 invented models with realistic score spread.

Each model's training compute is 6 * parameters * tokens FLOP, with a token
count per family, times log-normal noise, so it spans about 1e20 to 1e25 FLOP.
A latent capability rises with log10 compute plus noise. Capability and safety
columns are linear functions of the latent (or of compute, or of neither) plus
Gaussian noise, clipped to [0, 1] and rounded to 4 decimals. The seed is fixed,
so the file is the same on every run with the same numpy version.

usage: make_general_30.py > general_30.csv
"""
import math
import sys

import numpy as np

SEED = 20240731

# Family name and log10 of its training tokens.
FAMILIES = [("Corvid", 10.8), ("Lumen-2", 11.4), ("Halcyon", 12.0),
            ("Nimbus", 12.5), ("Tessera", 13.0), ("Orrery", 13.5)]
# Size label and parameter count.
SIZES = [("0.5B", 0.5e9), ("3B", 3e9), ("8B", 8e9), ("14B", 14e9), ("34B", 34e9)]

# name: (intercept, slope on the latent, noise SD, lower clip, decimals)
CAPABILITIES = {
    "arcane_qa": (0.55, 0.12, 0.03, 0.0, 4),
    "lexi_reason": (0.60, 0.10, 0.04, 0.0, 4),
    "numwise_math": (0.30, 0.15, 0.05, 0.0, 4),
    # A 4-choice task clipped at chance level 0.25, so its weakest models tie.
    "quad_choice": (0.40, 0.12, 0.04, 0.25, 4),
    "codefill": (0.25, 0.10, 0.05, 0.0, 4),
}

# name: (intercept, slope on the latent, slope on standardized log10 compute,
#        noise SD, decimals)
SAFETY = {
    "honest_gen": (0.45, 0.10, 0.0, 0.03, 4),    # tracks capabilities closely
    "harm_refusal": (0.70, 0.03, 0.0, 0.06, 4),  # weak link to capabilities
    "stereo_gap_neg": (0.60, -0.06, 0.0, 0.04, 4),  # falls with capabilities
    "canary_leak": (0.50, 0.0, 0.0, 0.08, 4),    # unrelated to both
    "jailguard": (0.55, 0.0, 0.07, 0.05, 4),     # follows compute, not the latent
    "calib_rms_neg": (0.80, 0.04, 0.0, 0.03, 2),  # 2 decimals, so values tie
}

# (column, row) cells left empty. Row i is model i in the order of model_names().
MISSING_CELLS = [
    ("numwise_math", 17),
    ("honest_gen", 4), ("honest_gen", 22),
    ("harm_refusal", 9),
    ("stereo_gap_neg", 13), ("stereo_gap_neg", 14), ("stereo_gap_neg", 27),
    ("jailguard", 0),
    ("calib_rms_neg", 25),
    ("flops", 6), ("flops", 19),
]


def model_names():
    return [f"{family}-{size}" for family, _ in FAMILIES for size, _ in SIZES]


def log10_compute(rng):
    """Return log10 training FLOP per model: 6 * parameters * tokens, times noise with SD 0.1 in log10."""
    base = [math.log10(6 * parameters) + log_tokens
            for _, log_tokens in FAMILIES for _, parameters in SIZES]
    return np.array(base) + 0.1 * rng.normal(size=len(base))


def generate(rng):
    """Return (model names, column name -> float array with NaN for missing cells)."""
    models = model_names()
    n = len(models)
    log_flops = log10_compute(rng)
    log_flops_std = (log_flops - log_flops.mean()) / log_flops.std()
    latent = 0.8 * log_flops_std + 0.6 * rng.normal(size=n)

    columns = {}
    for name, (intercept, slope, noise, low, decimals) in CAPABILITIES.items():
        values = intercept + slope * latent + noise * rng.normal(size=n)
        columns[name] = np.round(np.clip(values, low, 1.0), decimals)
    for name, (intercept, slope, compute_slope, noise, decimals) in SAFETY.items():
        values = intercept + slope * latent + compute_slope * log_flops_std + noise * rng.normal(size=n)
        columns[name] = np.round(np.clip(values, 0.0, 1.0), decimals)
    columns["flops"] = 10.0 ** log_flops

    for name, row in MISSING_CELLS:
        columns[name][row] = math.nan
    return models, columns


def format_cell(name, value):
    if math.isnan(value):
        return ""
    if name == "flops":
        return f"{value:.3e}"
    return f"{value:.4f}"


def main():
    models, columns = generate(np.random.default_rng(SEED))
    names = list(CAPABILITIES) + list(SAFETY) + ["flops"]
    lines = [",".join(["model"] + names)]
    for i, model in enumerate(models):
        lines.append(",".join([model] + [format_cell(name, columns[name][i]) for name in names]))
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

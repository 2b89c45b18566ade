#!/usr/bin/env Rscript
# Recompute the reference files of this folder with base R and print the
# largest difference per kind of number.
#
# usage: Rscript cross_check.R TABLE.csv REFERENCE.json [EXCLUDED,COLUMNS]
#        Rscript cross_check.R correlation_cases.json
#
# EXCLUDED,COLUMNS is the --exclude list given to make_references.py, if any.
#
# Needs R with the jsonlite package (Debian: r-base-core, r-cran-jsonlite).
# Coefficients, loadings and scores are compared as absolute differences and
# p-values as relative differences. R's cor() computes Kendall tau-b and
# Spearman with average ranks, the same coefficients as scipy. p-values are
# compared only where R and scipy 1.10 use the same formula:
# - Pearson: the t test with n - 2 degrees of freedom, always.
# - Spearman p: cor.test(exact = FALSE), the t approximation scipy uses.
# - Spearman p_exact: a brute-force count over all n! orderings below.
# - Kendall p without ties and n <= 33: the exact null distribution, which
#   scipy's method='auto' picks there, counted below. R's own exact test is
#   not used because it computes the upper tail as 1 - cdf, which loses the
#   relative precision of p-values below about 1e-8.
# - Kendall p with ties: cor.test's normal approximation, with tie-corrected
#   variance and no continuity correction, as in scipy.
suppressPackageStartupMessages(library(jsonlite))

args <- commandArgs(trailingOnly = TRUE)
if (!(length(args) %in% 1:3)) {
  stop("usage: Rscript cross_check.R TABLE.csv REFERENCE.json [EXCLUDED,COLUMNS] | correlation_cases.json")
}

non_missing <- function(x) x[!is.na(x)]
is_constant <- function(x) {
  values <- non_missing(x)
  length(values) == 0 || max(values) == min(values)
}
zscore <- function(x) {
  values <- non_missing(x)
  centre <- mean(values)
  (x - centre) / sqrt(mean((values - centre)^2))
}
has_ties <- function(x) anyDuplicated(x) > 0

differences <- list()
record <- function(kind, ours, theirs, relative = FALSE) {
  if (is.null(theirs)) theirs <- NA
  if (is.na(ours) != is.na(theirs)) {
    stop(sprintf("%s: R gives %s, the reference gives %s", kind, ours, theirs))
  }
  gap <- if (is.na(ours)) 0 else abs(ours - theirs)
  if (relative && !is.na(ours) && theirs != 0) gap <- gap / abs(theirs)
  differences[[kind]] <<- max(c(differences[[kind]], gap))
}

print_differences <- function(title) {
  cat(sprintf("%s:\n", title))
  for (kind in names(differences)) {
    cat(sprintf("  %-22s max difference = %.3g\n", kind, differences[[kind]]))
  }
}

permutation_cache <- list()
all_permutations <- function(n) {
  key <- as.character(n)
  if (is.null(permutation_cache[[key]])) {
    table <- matrix(1L, nrow = 1, ncol = 1)
    for (size in seq_len(n)[-1]) {
      # Insert element `size` at each position of every shorter ordering.
      blocks <- lapply(seq_len(size), function(position) {
        right <- if (position < size) position:(size - 1) else integer(0)
        cbind(table[, seq_len(position - 1), drop = FALSE], size, table[, right, drop = FALSE])
      })
      table <- do.call(rbind, blocks)
    }
    permutation_cache[[key]] <<- table
  }
  permutation_cache[[key]]
}

# Two-sided exact permutation p of Spearman's rho with average ranks, by
# brute force: the share of orderings with |rho| >= |observed| - 1e-12.
spearman_exact_p <- function(x, y) {
  rank_x <- rank(x) - mean(rank(x))
  rank_y <- rank(y) - mean(rank(y))
  orderings <- all_permutations(length(x))
  products <- as.vector(matrix(rank_y[orderings], nrow = nrow(orderings)) %*% rank_x)
  observed <- abs(sum(rank_x * rank_y))
  scale <- sqrt(sum(rank_x^2) * sum(rank_y^2))
  mean(abs(products) / scale >= observed / scale - 1e-12)
}

spearman_p_exact_limit <- 10

# Two-sided exact p of Kendall's tau without ties: twice the share of the n!
# orderings with at most min(D, pairs - D) discordant pairs, where D is the
# observed count. counts[k + 1] is the number of orderings with k inversions.
kendall_exact_p <- function(x, y) {
  n <- length(x)
  pairs <- n * (n - 1) / 2
  discordant <- 0
  for (i in seq_len(n - 1)) {
    j <- (i + 1):n
    discordant <- discordant + sum(sign(x[i] - x[j]) * sign(y[i] - y[j]) < 0)
  }
  counts <- 1
  for (m in seq_len(n)[-1]) {
    counts <- as.vector(stats::filter(c(counts, rep(0, m - 1)), rep(1, m), sides = 1,
                                      circular = TRUE))
  }
  tail <- sum(counts[seq_len(min(discordant, pairs - discordant) + 1)])
  min(1, 2 * tail / factorial(n))
}

check_p_values <- function(kind, x, y, method, expected) {
  n <- length(x)
  tied <- has_ties(x) || has_ties(y)
  if (method == "pearson") {
    record(paste0(kind, "_p"), cor.test(x, y, method = "pearson")$p.value, expected$p, TRUE)
  } else if (method == "spearman") {
    record(paste0(kind, "_p"), cor.test(x, y, method = "spearman", exact = FALSE)$p.value,
           expected$p, TRUE)
    if (n <= spearman_p_exact_limit) {
      record(paste0(kind, "_p_exact"), spearman_exact_p(x, y), expected$p_exact, TRUE)
    }
  } else if (tied) {
    kendall <- suppressWarnings(cor.test(x, y, method = "kendall"))
    record(paste0(kind, "_p"), kendall$p.value, expected$p, TRUE)
  } else if (n <= 33) {
    record(paste0(kind, "_p"), kendall_exact_p(x, y), expected$p, TRUE)
  }
}

if (length(args) == 1) {
  for (case in fromJSON(args[1], simplifyVector = FALSE)) {
    # Scaling by a power of two is exact and keeps cor() from overflowing on
    # values near 1e300.
    x <- unlist(case$x)
    x <- x / 2^floor(log2(max(abs(x))))
    y <- unlist(case$y)
    y <- y / 2^floor(log2(max(abs(y))))
    stopifnot(all(rank(x) == unlist(case$ranks_x)))
    stopifnot(all(rank(y) == unlist(case$ranks_y)))
    for (method in c("spearman", "pearson", "kendall")) {
      expected <- case[[method]]
      if (is_constant(x) || is_constant(y)) {
        record(paste0(method, "_r"), NA, expected$r)
        next
      }
      record(paste0(method, "_r"), cor(x, y, method = method), expected$r)
      check_p_values(method, x, y, method, expected)
    }
  }
  print_differences(basename(args[1]))
  quit(status = 0)
}

table <- read.csv(args[1], check.names = FALSE, na.strings = "",
                  stringsAsFactors = FALSE, fileEncoding = "UTF-8")
reference <- fromJSON(args[2], simplifyVector = FALSE)
method <- reference$method
models <- as.character(table[[1]])

# Capabilities component.
capabilities <- unlist(reference$capabilities)
stopifnot(!any(sapply(table[capabilities], is_constant)))
raw <- as.matrix(table[capabilities])
complete <- complete.cases(raw)
stopifnot(sum(complete) == reference$capabilities_models)
decomposition <- eigen(cor(raw[complete, ], method = method), symmetric = TRUE)
loadings <- decomposition$vectors[, 1]
if (max(abs(loadings)) != max(loadings)) loadings <- -loadings
z <- sapply(capabilities, function(name) zscore(table[[name]]))
score <- rep(NA_real_, nrow(table))
score[complete] <- as.vector(z[complete, ] %*% loadings)

record("explained_variance", decomposition$values[1] / sum(decomposition$values),
       reference$explained_variance)
for (i in seq_along(capabilities)) {
  record("eigenvalues", decomposition$values[i], reference$eigenvalues[[i]])
  record("loadings", loadings[i], reference$loadings[[capabilities[i]]])
}
stopifnot(identical(sort(names(reference$scores)), sort(models[complete])))
for (i in which(complete)) record("scores", score[i], reference$scores[[models[i]]])

# Benchmark correlations.
compute <- table[[reference$compute]]
if (method == "pearson") compute <- log10(compute)
excluded <- c(names(table)[1], reference$compute)
if (length(args) == 3) excluded <- c(excluded, strsplit(args[3], ",")[[1]])
benchmarks <- setdiff(names(table)[sapply(table, is.numeric)], excluded)
skipped <- benchmarks[sapply(table[benchmarks], is_constant)]
stopifnot(identical(skipped, unlist(reference$skipped_constant)) ||
            (length(skipped) == 0 && length(reference$skipped_constant) == 0))
stopifnot(identical(setdiff(benchmarks, skipped), names(reference$benchmarks)))

check_pair <- function(kind, values, target, expected) {
  both <- !is.na(values) & !is.na(target)
  x <- values[both]
  y <- target[both]
  n <- length(x)
  if (n != expected$n) stop(sprintf("%s: n is %d in R, %d in the reference", kind, n, expected$n))
  if (n < 3 || is_constant(x)) {
    record(paste0(kind, "_r"), NA, expected$r)
    return(invisible())
  }
  record(paste0(kind, "_r"), cor(x, y, method = method), expected$r)
  check_p_values(kind, x, y, method, expected)
}

for (name in names(reference$benchmarks)) {
  expected <- reference$benchmarks[[name]]
  check_pair("capabilities", table[[name]], score, expected)
  check_pair("compute", table[[name]], compute, expected$compute)
}

print_differences(sprintf("%s (%s)", basename(args[2]), method))

#!/usr/bin/env Rscript
# Writes adjust_cases.json and partial_cases.json with base R (4.2):
# p.adjust() for Holm, Benjamini-Hochberg and Bonferroni, and partial
# correlations computed as the correlation of regression residuals (on
# ranks for Spearman), an independent route to the closed formula.
# usage: Rscript make_adjust_partial.R   (run in tests/data)
library(jsonlite)

adjust_inputs <- list(
  c(0.01, 0.04, 0.03, 0.005, 0.2, 0.5),
  c(0.001, 0.001, 0.2, 0.049, 0.8),
  c(0.5),
  c(1e-10, 0.3, 0.02, 0.02, 0.04, 0.9, 0.0001, 0.06),
  c(0.04, 0.045, 0.05, 0.03)
)
adjust_cases <- lapply(adjust_inputs, function(p) list(
  p = p,
  holm = p.adjust(p, "holm"),
  bh = p.adjust(p, "BH"),
  bonferroni = p.adjust(p, "bonferroni")))
writeLines(toJSON(adjust_cases, digits = NA, auto_unbox = FALSE), "adjust_cases.json")

partial_by_residuals <- function(x, y, z) {
  cor(resid(lm(x ~ z)), resid(lm(y ~ z)))
}
set.seed(11)
partial_cases <- list()
for (k in 1:6) {
  n <- c(8, 12, 20, 27, 40, 15)[k]
  z <- rnorm(n)
  x <- round(0.6 * z + rnorm(n), 2)
  y <- round(0.5 * z + 0.3 * x + rnorm(n), 2)
  partial_cases[[k]] <- list(
    x = x, y = y, z = z,
    pearson = partial_by_residuals(x, y, z),
    spearman = partial_by_residuals(rank(x), rank(y), rank(z)))
}
writeLines(toJSON(partial_cases, digits = NA, auto_unbox = TRUE), "partial_cases.json")

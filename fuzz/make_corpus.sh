#!/bin/sh
# Builds the seed corpora of the fuzz targets from the project's own test
# fixtures and data files. Each target gets BUILD_DIR/corpus/<target>/.
# Usage: fuzz/make_corpus.sh [BUILD_DIR]   (default: build-fuzz in the repository root)
#
# fuzz_csv, fuzz_table and fuzz_lm_eval read their options from the first
# input byte, so their seeds are the fixture with one selector byte in front
# (see the header comment of each target for the bit layout).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-"$root/build-fuzz"}
corpus="$build_dir/corpus"
data="$root/tests/data"

for target in fuzz_csv fuzz_table fuzz_metadata fuzz_lm_eval fuzz_json_table fuzz_plain_table; do
    mkdir -p "$corpus/$target"
done

# Copies file $2 into folder $3 with the selector byte $1 in front, as the
# copy <selector>-<file name>. The selector is octal, the form of printf's \NNN.
add_with_selector() {
    selector=$1
    file=$2
    folder=$3
    name=$(basename "$file")
    { printf "\\$selector"; cat "$file"; } > "$folder/$selector-$name"
}

# The first 8 models of data/paper_base.csv with compute, the capability
# benchmarks and three safety benchmarks. The full table is 87 kB, but
# fuzz_table runs the analysis only on inputs of at most 4096 bytes.
# NOTE: this splits on every comma, which is right only while
# data/paper_base.csv has no quoted fields (it has none today).
paper_head="$corpus/paper_base_head.csv"
head -n 9 "$root/data/paper_base.csv" | awk -F, -v OFS=, '
    NR == 1 {
        keep = "model training_flop mmlu arc_challenge hellaswag winogrande " \
               "gsm8k bbh logiqa piqa bbq brier_mmlu ethics_all"
        split(keep, names, " ")
        for (k in names) wanted[names[k]] = 1
        for (i = 1; i <= NF; i++) if ($i in wanted) columns[++count] = i
    }
    {
        line = $(columns[1])
        for (k = 2; k <= count; k++) line = line OFS $(columns[k])
        print line
    }' > "$paper_head"

csv_fixtures=$(find "$data" -maxdepth 1 -name '*.csv'; \
               find "$data/variants" "$data/input" -name '*.csv'; \
               find "$data/inputs" -name '*.csv' -o -name '*.tsv')
json_fixtures=$(find "$data/inputs" -name '*.json')

for file in $csv_fixtures "$paper_head"; do
    # fuzz_csv: delimiter detected (selector 0) and comma (selector 1).
    add_with_selector 000 "$file" "$corpus/fuzz_csv"
    add_with_selector 001 "$file" "$corpus/fuzz_csv"
    # fuzz_table: analysis on (bit 4), with and without collecting mode.
    add_with_selector 020 "$file" "$corpus/fuzz_table"
    add_with_selector 022 "$file" "$corpus/fuzz_table"
    cp "$file" "$corpus/fuzz_json_table/"
    cp "$file" "$corpus/fuzz_plain_table/"
done

# Decimal commas with semicolons: decimal ',' and delimiter ';' selected.
add_with_selector 015 "$data/input/semicolon_decimal_comma.csv" "$corpus/fuzz_table"
add_with_selector 003 "$data/input/semicolon_decimal_comma.csv" "$corpus/fuzz_csv"

cp "$root/data/benchmarks.csv" "$data/input/paper_metadata.csv" "$corpus/fuzz_metadata/"

for file in $json_fixtures; do
    # Files from different folders may share a name, so the parent folder
    # becomes part of the seed's name.
    parent=$(basename "$(dirname "$file")")
    name="$parent-$(basename "$file")"
    { printf '\000'; cat "$file"; } > "$corpus/fuzz_lm_eval/000-$name"
    { printf '\001'; cat "$file"; } > "$corpus/fuzz_lm_eval/001-$name"
    cp "$file" "$corpus/fuzz_json_table/$name"
done

rm "$paper_head"
for target in fuzz_csv fuzz_table fuzz_metadata fuzz_lm_eval fuzz_json_table fuzz_plain_table; do
    echo "$corpus/$target: $(ls "$corpus/$target" | wc -l) seeds"
done

#!/usr/bin/env bash
# Regenerate every reference file in this folder.
#
# usage: tests/data/regenerate.sh [PAPER_TABLE_DIR]
#
# PAPER_TABLE_DIR must contain benchmarks_base_models.csv and
# benchmarks_chat_models.csv, the score tables released with Ren et al. 2024,
# "Safetywashing" (arXiv 2407.21792). Without it the paper_*.json references
# are left as they are.
#
# Needs Python 3 with numpy, pandas and scipy. PYTHON selects the interpreter
# (default /usr/bin/python3, Debian's, where python3-numpy, python3-pandas and
# python3-scipy install).
set -euo pipefail

cd "$(dirname -- "$0")"
python=${PYTHON:-/usr/bin/python3}
methods="spearman pearson kendall"

"$python" make_general_30.py > general_30.csv
"$python" make_correlation_cases.py > correlation_cases.json

# Fixture name and its capability columns.
fixtures="
ties_missing arcane_qa,lexi_reason,numwise_math
small_n glyph_mc,sumcheck
constant_columns quill_read,abacus_arith,legacy_cloze,maze_plan
sign_rule stack_trace,proofline,chartread,ppl_ratio
missing_capability lexicon_mc,tabular_qa,codefill
general_30 arcane_qa,lexi_reason,numwise_math,quad_choice,codefill
"
while read -r fixture capabilities; do
    [ -n "$fixture" ] || continue
    for method in $methods; do
        "$python" make_references.py "$fixture.csv" --capabilities "$capabilities" \
            --compute flops --method "$method" > "$fixture.$method.json"
    done
done <<< "$fixtures"

if [ $# -ge 1 ]; then
    paper_capabilities=logiqa,piqa,hellaswag,winogrande,superglue_copa,medqa_4options,arc_challenge,mmlu,minerva_math,lambada_openai,gsm8k,bbh
    for method in $methods; do
        for table in base chat; do
            "$python" make_references.py "$1/benchmarks_${table}_models.csv" \
                --capabilities "$paper_capabilities" --compute FLOP --method "$method" \
                --exclude model_size,FLOP,name,type --input-name "paper_$table.csv" \
                > "paper_$table.$method.json"
        done
    done
fi

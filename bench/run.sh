#!/usr/bin/env bash
# Time safetywash against the pandas + scipy peer implementation from the
# project's benchmark kit, process against process, and measure how its time
# and peak memory grow with the table. See bench/README.md.
#
# usage: bench/run.sh [SAFETYWASH_BINARY]
#
# Environment (defaults in brackets; relative paths are taken from the
# repository root):
#   PEER        ref_analyze.py, the peer implementation, from the project's
#               benchmark kit [required]
#   GEN         gen_scores.py, its table generator [next to PEER]
#   OUT         folder for generated inputs, hyperfine JSON and results.md
#               [build/bench]
#   PYTHON      interpreter with numpy, pandas and scipy [/usr/bin/python3]
#   RUNS        timed runs per command in scenarios a and c [10]
#   BOOT_RUNS   timed runs per command in scenario b [3]
#   SCALE_RUNS  timed runs per table in scenario d [3]
#   THREADS     bootstrap threads of safetywash in scenario b; the peer uses
#               one core [1]
#   SCENARIOS   scenarios to run, from "a b c d" [a b c d]
set -euo pipefail
export LC_NUMERIC=C  # printf and awk write "." decimals for the report

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

binary=${1:-build/safetywash}
peer=${PEER:-}
[[ -n $peer ]] || { echo "run.sh: set PEER to the path of ref_analyze.py from the project's benchmark kit" >&2; exit 2; }
generator=${GEN:-$(dirname "$peer")/gen_scores.py}
out=${OUT:-build/bench}
python=${PYTHON:-/usr/bin/python3}
runs=${RUNS:-10}
boot_runs=${BOOT_RUNS:-3}
scale_runs=${SCALE_RUNS:-3}
threads=${THREADS:-1}
scenarios=${SCENARIOS:-a b c d}

install_hint="install them with: apt-get install python3-pandas python3-scipy hyperfine"

fail() {
  echo "run.sh: $*" >&2
  exit 2
}

# --- Check the tools before generating or timing anything
[[ -x $binary ]] || fail "safetywash binary not found or not executable: $binary (build it with cmake --build build, or pass its path as the first argument)"
[[ -f $peer ]] || fail "peer script not found: $peer (set PEER to the path of ref_analyze.py from the project's benchmark kit)"
[[ -f $generator ]] || fail "generator not found: $generator (set GEN to the path of gen_scores.py)"
[[ -x $python ]] || fail "Python interpreter not found: $python (set PYTHON; $install_hint)"
"$python" -c 'import numpy, pandas, scipy' 2>/dev/null ||
  fail "$python cannot import numpy, pandas and scipy; $install_hint"
command -v hyperfine >/dev/null || fail "hyperfine not found; $install_hint"
[[ -x /usr/bin/time ]] || fail "/usr/bin/time not found; install it with: apt-get install time"
for value in "$runs" "$boot_runs" "$scale_runs" "$threads"; do
  [[ $value =~ ^[1-9][0-9]*$ ]] || fail "invalid count '$value': RUNS, BOOT_RUNS, SCALE_RUNS and THREADS must be positive integers"
done
for scenario in $scenarios; do
  [[ $scenario =~ ^[abcd]$ ]] || fail "invalid scenario '$scenario' in SCENARIOS; expected letters from: a b c d"
done

binary=$(realpath "$binary")
peer=$(realpath "$peer")
generator=$(realpath "$generator")
mkdir -p "$out/inputs" "$out/json"
out=$(realpath "$out")
results="$out/results.md"
rows="$out/rows.tsv"
: >"$rows"

wants() { [[ " $scenarios " == *" $1 "* ]]; }

# Writes a generated table unless it exists, so later runs reuse it. The
# generator writes to a temporary name first, so an interrupted run leaves
# no partial table behind.
generate() {
  local file=$1 models=$2 capabilities=$3 safety=$4 missing=$5
  if [[ ! -s $file ]]; then
    echo "generating $(basename "$file") ($models models, $capabilities + $safety benchmarks)" >&2
    "$python" "$generator" "$models" "$capabilities" "$safety" --missing "$missing" --seed 1 \
      >"$file.tmp"
    mv "$file.tmp" "$file"
  fi
}

# Prints the comma-separated cap_* columns of a generated table's header.
capability_columns() {
  head -n 1 "$1" | tr ',' '\n' | grep '^cap_' | paste -sd, -
}

# Prints its arguments as one command line, each quoted for the shell, for
# hyperfine to split again.
command_line() {
  local quoted
  printf -v quoted '%q ' "$@"
  echo "${quoted% }"
}

# Times every command line given COUNT times, in rounds: each round runs
# every command once, in order, through hyperfine, so the commands alternate
# run by run and a slow spell of a shared machine falls on all of them.
# One untimed round comes first. Commands run without a shell (-N), so no
# shell start-up is timed. Stores the times of all rounds, in hyperfine's
# JSON layout with each command's median, as $out/json/NAME.json.
time_commands() {
  local name=$1 count=$2
  shift 2
  echo "timing $name ($count alternating runs per command)" >&2
  local round
  hyperfine -N --runs 1 --style none "$@" >/dev/null 2>&1 || fail "a timed command failed: $*"
  for ((round = 1; round <= count; ++round)); do
    hyperfine -N --runs 1 --style none --export-json "$out/json/$name.round$round.json" "$@" \
      >/dev/null || fail "a timed command failed in round $round: $*"
  done
  "$python" - "$out/json/$name" "$count" <<'PY'
import json
import statistics
import sys

prefix, count = sys.argv[1], int(sys.argv[2])
rounds = [json.load(open(f"{prefix}.round{r}.json"))["results"] for r in range(1, count + 1)]
results = []
for index, first in enumerate(rounds[0]):
    times = [round_results[index]["times"][0] for round_results in rounds]
    results.append({"command": first["command"], "times": times,
                    "median": statistics.median(times), "min": min(times), "max": max(times)})
json.dump({"results": results}, open(f"{prefix}.json", "w"), indent=2)
for result in results:
    print(f"  median {result['median']:.4f} s (min {result['min']:.4f}, max {result['max']:.4f}): "
          f"{result['command'][:100]}", file=sys.stderr)
PY
  rm -f "$out/json/$name".round*.json
}

# Prints the median time in seconds of command INDEX of a hyperfine JSON.
median() {
  "$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"])' \
    "$out/json/$1.json" "$2"
}

# Prints the peak resident set size, in bytes, of one run of a command.
peak_rss() {
  local log
  log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || {
    cat "$log" >&2
    rm -f "$log"
    fail "command failed while measuring memory: $*"
  }
  awk -F': ' '/Maximum resident set size/ { printf "%d\n", $2 * 1024 }' "$log"
  rm -f "$log"
}

# Prints the largest difference between the capabilities correlations in
# safetywash's JSON output and the peer's, over the benchmarks both report.
# safetywash negates lower-is-better benchmarks of its registry, so those
# are compared after undoing the sign.
compare_outputs() {
  "$python" - "$1" "$2" <<'PY'
import json
import math
import sys

ours = json.load(open(sys.argv[1]))
peer = json.load(open(sys.argv[2]))["benchmarks"]
largest, compared = 0.0, 0
for entry in ours["benchmarks"]:
    name = entry["benchmark"]
    r = entry["capabilities_correlation"]["r"]
    if entry["role"] == "capability" or name not in peer or r is None:
        continue
    reference = peer[name]["capabilities"]
    if reference is None or math.isnan(reference):
        continue
    if entry.get("negated"):
        r = -r
    largest = max(largest, abs(r - reference))
    compared += 1
print(f"{largest:.1e} over {compared}")
PY
}

# Runs safetywash (ARGS before --) and the peer (ARGS after --) once each,
# outside the timing, checks that both succeed and prints how far their
# capabilities correlations differ (see compare_outputs).
check_agreement() {
  local ours_arguments=() peer_arguments=()
  while [[ $1 != -- ]]; do
    ours_arguments+=("$1")
    shift
  done
  shift
  peer_arguments=("$@")
  local ours_json="$out/json/check_ours.json" peer_json="$out/json/check_peer.json"
  "$binary" "${ours_arguments[@]}" -q --format json -o "$ours_json" ||
    fail "safetywash failed: $binary ${ours_arguments[*]}"
  "$python" "$peer" "${peer_arguments[@]}" >"$peer_json" ||
    fail "the peer failed: $python $peer ${peer_arguments[*]}"
  compare_outputs "$ours_json" "$peer_json"
}

# Prints B / A for two numbers A and B.
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6g\n", b / a }'
}

# Prints a byte count in MB (10^6 bytes) with one decimal.
megabytes() {
  awk -v bytes="$1" 'BEGIN { printf "%.1f\n", bytes / 1e6 }'
}

# Appends one row of the comparison table.
add_row() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$rows"
}

# --- a. The bundled paper-base table (27 base models of the Safetywashing
# paper, Ren et al. 2024), default analysis
if wants a; then
  paper_csv="$out/inputs/paper_base_flop.csv"
  # The peer requires the compute column to be named FLOP. Only the header
  # changes, so quoted commas in later rows do not matter.
  awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == "training_flop") $i = "FLOP" } { print }' \
    data/paper_base.csv >"$paper_csv"
  head -n 1 "$paper_csv" | tr ',' '\n' | grep -qx FLOP ||
    fail "data/paper_base.csv has no training_flop column to rename to FLOP"
  # The registry's capability benchmarks that the table contains.
  paper_caps=$("$binary" benchmarks --format csv | "$python" -c '
import csv, sys
header = open(sys.argv[1]).readline().strip().split(",")
ids = [row["id"] for row in csv.DictReader(sys.stdin) if row["role"] == "capability"]
print(",".join(i for i in ids if i in header))' "$paper_csv")
  [[ -n $paper_caps ]] || fail "no capability benchmark of the registry is a column of $paper_csv"

  agreement=$(check_agreement analyze --dataset paper-base -- "$paper_csv" --caps "$paper_caps")
  peer_plain=$(command_line "$python" "$peer" "$paper_csv" --caps "$paper_caps")
  time_commands paper-base "$runs" \
    "$(command_line "$binary" analyze --dataset paper-base --format json -o /dev/null)" \
    "$peer_plain"
  ours=$(median paper-base 0)
  theirs=$(median paper-base 1)
  add_row "a. paper base table, default analysis" "$ours" "$theirs" "$(ratio "$ours" "$theirs")" \
    ">= 100" "max abs r difference $agreement benchmarks"

  # --- b. Bootstrap on the same table. The peer's 1,000-resample time is
  # extrapolated from 100 resamples: its time without the bootstrap plus 10
  # times the extra time of the 100 resamples.
  if wants b; then
    time_commands bootstrap "$boot_runs" \
      "$(command_line "$binary" analyze --dataset paper-base --bootstrap 1000 --seed 1 \
        --threads "$threads" --format json -o /dev/null)" \
      "$peer_plain" \
      "$peer_plain --bootstrap 100"
    ours=$(median bootstrap 0)
    plain=$(median bootstrap 1)
    boot100=$(median bootstrap 2)
    theirs=$(awk -v plain="$plain" -v boot="$boot100" 'BEGIN { printf "%.6g\n", plain + 1000 * (boot - plain) / 100 }')
    add_row "b. paper base, bootstrap 1000 (safetywash: $threads thread(s); peer: extrapolated from 100)" \
      "$ours" "$theirs" "$(ratio "$ours" "$theirs")" ">= 500" \
      "peer medians: $(printf '%.3f' "$plain") s plain, $(printf '%.3f' "$boot100") s with 100 resamples"
  fi
elif wants b; then
  fail "scenario b uses the table of scenario a; add a to SCENARIOS"
fi

# --- c. 20,000 models x 220 benchmarks with 5% of the safety cells missing
if wants c; then
  big="$out/inputs/scores_20000x220.csv"
  generate "$big" 20000 20 200 0.05
  caps=$(capability_columns "$big")
  agreement=$(check_agreement analyze "$big" -c "$caps" --compute FLOP -- "$big" --caps "$caps")
  time_commands large "$runs" \
    "$(command_line "$binary" analyze "$big" -c "$caps" --compute FLOP --format json -o /dev/null)" \
    "$(command_line "$python" "$peer" "$big" --caps "$caps")"
  ours=$(median large 0)
  theirs=$(median large 1)
  add_row "c. 20,000 models x 220 benchmarks, 5% missing" "$ours" "$theirs" "$(ratio "$ours" "$theirs")" \
    ">= 20" "max abs r difference $agreement benchmarks"

  ours_rss=$(peak_rss "$binary" analyze "$big" -c "$caps" --compute FLOP --format json -o /dev/null)
  peer_rss=$(peak_rss "$python" "$peer" "$big" --caps "$caps")
  # The memory limit: 1.5 times the score matrix in doubles, plus 30 MB.
  limit=$((20000 * 220 * 8 * 3 / 2 + 30000000))
fi

# --- d. Growth of safetywash's time and memory with models and benchmarks
scale_rows=()
if wants d; then
  for shape in 1000x220 10000x220 100000x220 10000x50 10000x200 10000x1000; do
    models=${shape%x*}
    benchmarks=${shape#*x}
    file="$out/inputs/scores_${shape}.csv"
    generate "$file" "$models" 20 $((benchmarks - 20)) 0.05
    caps=$(capability_columns "$file")
    time_commands "scale_$shape" "$scale_runs" \
      "$(command_line "$binary" analyze "$file" -c "$caps" --compute FLOP --format json -o /dev/null)"
    seconds=$(median "scale_$shape" 0)
    rss=$(peak_rss "$binary" analyze "$file" -c "$caps" --compute FLOP --format json -o /dev/null)
    scale_rows+=("$models	$benchmarks	$seconds	$rss")
  done
fi

# --- Report
{
  echo "# safetywash benchmark results"
  echo
  echo "Machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')."
  echo "Binary: \`$binary\`. Peer: \`$(basename "$peer")\`, $("$python" -c 'import pandas, scipy; print(f"pandas {pandas.__version__}, scipy {scipy.__version__}")')."
  echo "Times are medians over RUNS=$runs, BOOT_RUNS=$boot_runs and SCALE_RUNS=$scale_runs runs, process start to exit, timed by hyperfine one run at a time with the commands of a scenario alternating."
  if [[ -s $rows ]]; then
    echo
    echo "| Scenario | safetywash (s) | peer (s) | peer / safetywash | target | note |"
    echo "|---|---:|---:|---:|---|---|"
    while IFS=$'\t' read -r name ours theirs ratio target note; do
      printf '| %s | %.4f | %.3f | %.1fx | %s | %s |\n' "$name" "$ours" "$theirs" "$ratio" "$target" "$note"
    done <"$rows"
  fi
  if wants c; then
    echo
    echo "Peak memory on 20,000 x 220 (maximum resident set size from /usr/bin/time -v):"
    echo
    echo "| Program | peak RSS (MB) | limit (MB) | within limit |"
    echo "|---|---:|---:|---|"
    within=no
    ((ours_rss <= limit)) && within=yes
    echo "| safetywash | $(megabytes "$ours_rss") | $(megabytes "$limit") | $within |"
    echo "| peer | $(megabytes "$peer_rss") | | |"
    echo
    echo "The limit is 1.5 x 20,000 x 220 x 8 bytes (the score matrix in doubles) plus 30 MB, with MB = 10^6 bytes."
  fi
  if ((${#scale_rows[@]} > 0)); then
    echo
    echo "Scaling of safetywash (20 capability benchmarks, the rest safety, 5% missing safety cells):"
    echo
    echo "| models | benchmarks | median (s) | per model (us) | peak RSS (MB) |"
    echo "|---:|---:|---:|---:|---:|"
    for row in "${scale_rows[@]}"; do
      IFS=$'\t' read -r models benchmarks seconds rss <<<"$row"
      per_model=$(awk -v s="$seconds" -v n="$models" 'BEGIN { printf "%.2f\n", s * 1e6 / n }')
      printf '| %d | %d | %.4f | %s | %s |\n' "$models" "$benchmarks" "$seconds" "$per_model" \
        "$(megabytes "$rss")"
    done
  fi
} >"$results"

rm -f "$rows"
cat "$results"
echo >&2
echo "saved $results; hyperfine JSON in $out/json" >&2

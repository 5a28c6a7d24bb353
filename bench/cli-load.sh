#!/usr/bin/env bash
# Times whole `weir dags list` processes over N generated DAG files (default 1,000), alternating
# the default JIT and C1 only, RUNS times each (default 3). Prints one line per run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
files="${1:-1000}"
runs="${2:-3}"
work="$(mktemp -d "${TMPDIR:-/tmp}/weir-cli-load.XXXXXX")"
trap 'rm -rf "$work"' EXIT

for i in $(seq 1 "$files"); do
  d=$((i % 10))
  mkdir -p "$work/dags/team$d"
  cat > "$work/dags/team$d/pipeline_$i.groovy" <<DAG
dag('pipeline_$i') {
    description 'Generated pipeline $i'
    schedule none()
    tags 'bench', 'team$d'
    maxActiveRuns 2
    defaults { retries 2; retryDelay 30.seconds; owner 'team$d' }
    def extract = bash('extract') { command 'echo extract {{ ds }}'; env(MODE: 'strict') }
    def check = task('check') { ctx -> ctx.log.info('checking {}', ctx.ds); true }
    def prep = group('prep') {
        def clean = bash('clean') { command 'echo clean' }
        def split = task('split', retries: 1) { ctx -> [1, 2, 3] }
        clean >> split
    }
    def a = task('train_a') { ctx -> 1 }
    def b = task('train_b', executionTimeout: 5.minutes) { ctx -> 2 }
    def c = bash('train_c', triggerRule: 'all_done') { command 'echo c' }
    def pick = task('pick', triggerRule: 'none_failed_min_one_success') { ctx -> 'a' }
    def publish = empty('publish')
    extract >> check >> prep >> [a, b, c]
    [a, b, c] >> pick >> publish
}
DAG
done

"$root/weir" --version > /dev/null  # builds the jar first if needed
for run in $(seq 1 "$runs"); do
  for jit in "-XX:TieredStopAtLevel=4" "-XX:TieredStopAtLevel=1"; do
    start=$(date +%s%N)
    WEIR_JAVA_OPTS="$jit" "$root/weir" dags list --dags "$work/dags" > "$work/out.txt"
    end=$(date +%s%N)
    dags=$(($(wc -l < "$work/out.txt") - 1))
    echo "run $run  $jit  wall_ms=$(((end - start) / 1000000))  dags=$dags  ms_per_file=$(((end - start) / 1000000 / files))"
  done
done

#!/usr/bin/env bash
# Fuzzes every Fuzz/<name>.swift libFuzzer entry (or the NAMEs given).
#
#   scripts/fuzz.sh [NAME...]               each target for SECONDS_PER_TARGET (default 20)
#   scripts/fuzz.sh --long [RUNS] [NAME...]  each target for at least RUNS executions (default
#                                            10,000,000); writes the table in docs/FUZZING.md
#
# An entry's first line names the modules it imports: `// fuzz-modules: Wire` or
# `// fuzz-modules: LedgerModel Ingest`. Each module is built once from all of
# Sources/<Module>/**/*.swift as an instrumented static library (`swiftc -sanitize=fuzzer,address
# -emit-library -static`; no link step, so libFuzzer's main comes only with the entry), after
# the modules it imports; the entry is linked against them. An entry's `// fuzz-seeds:` line
# says what of ../shared/fixtures (or FUZZ_FIXTURES) seeds its corpus (see
# scripts/fuzz-seeds.swift; `files:GLOB` copies repository files); fuzzing runs without them
# too; `// fuzz-selector: N` puts each seed in once behind each of N selector bytes. Corpora
# are .build/fuzz/<name>-corpus. A crash (or leak, timeout, out-of-memory) fails the run and
# leaves the input in .build/fuzz/<name>-crash-*. FUZZ_JOBS=2 runs two libFuzzer processes per
# target in long mode (at most 2: the machine is shared).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
out=.build/fuzz
modules=$out/modules
fixtures=${FUZZ_FIXTURES:-../shared/fixtures}
mode=bounded
runs=10000000
seconds=${SECONDS_PER_TARGET:-20}
jobs=${FUZZ_JOBS:-1}
if [ "${1:-}" = "--long" ]; then
    mode=long
    shift
    if [[ "${1:-}" =~ ^[0-9]+$ ]]; then runs=$1; shift; fi
fi
[ "$jobs" -ge 1 ] && [ "$jobs" -le 2 ] || { echo "fuzz.sh: FUZZ_JOBS is 1 or 2" >&2; exit 2; }
mkdir -p "$modules"

if [ $# -gt 0 ]; then names=("$@"); else
    names=()
    for f in $(find Fuzz -maxdepth 1 -name '*.swift' | LC_ALL=C sort); do names+=("$(basename "$f" .swift)"); done
fi

# (ld.gold warns about every ASan symbol it cannot export: noise, filtered out)
quiet() { "$@" 2> >(grep -v "Cannot export local symbol" >&2); }

entry_modules() {
    local line
    line=$(head -1 "Fuzz/$1.swift")
    [[ "$line" == "// fuzz-modules:"* ]] || {
        echo "fuzz.sh: Fuzz/$1.swift must start with '// fuzz-modules: MODULE...'" >&2
        exit 2
    }
    echo "${line#// fuzz-modules:}"
}

module_sources() { find "Sources/$1" -name '*.swift' | LC_ALL=C sort; }

# The package modules a module imports (other imports are the system's).
module_imports() {
    module_sources "$1" | xargs sed -n 's/^[[:space:]]*\(@_exported[[:space:]]\{1,\}\)\{0,1\}import[[:space:]]\{1,\}\([A-Za-z_][A-Za-z0-9_]*\).*/\2/p' \
        | sort -u | while read -r m; do if [ -d "Sources/$m" ]; then echo "$m"; fi; done
}

# Modules in dependency order: each after the ones it imports.
declare -A state=() imports=()
order=()
visit() {
    local m=$1 dep
    [ "${state[$m]:-}" = done ] && return
    [ "${state[$m]:-}" = visiting ] && { echo "fuzz.sh: import cycle through $m" >&2; exit 2; }
    [ -d "Sources/$m" ] || { echo "fuzz.sh: no module Sources/$m" >&2; exit 2; }
    [ -n "$(module_sources "$m")" ] || { echo "fuzz.sh: Sources/$m has no Swift sources to fuzz (a system library?)" >&2; exit 2; }
    state[$m]=visiting
    imports[$m]=$(module_imports "$m")
    for dep in ${imports[$m]}; do visit "$dep"; done
    state[$m]=done
    order+=("$m")
}
for name in "${names[@]}"; do
    [ -f "Fuzz/$name.swift" ] || { echo "fuzz.sh: no Fuzz/$name.swift" >&2; exit 2; }
    wanted=$(entry_modules "$name")
    for m in $wanted; do visit "$m"; done
done

# Build each module once (again only when its sources or a module it imports changed).
declare -A rebuilt=()
for m in "${order[@]}"; do
    stamp="$modules/$m.sources"
    list=$(module_sources "$m")
    stale=
    for dep in ${imports[$m]}; do [ -n "${rebuilt[$dep]:-}" ] && stale=yes; done
    if [ -n "$stale" ] || [ ! -f "$modules/lib$m.a" ] || [ "$list" != "$(cat "$stamp" 2>/dev/null)" ] \
        || [ -n "$(find "Sources/$m" -name '*.swift' -newer "$modules/lib$m.a" | head -1)" ]; then
        echo "building $m ($(echo "$list" | wc -l) files)"
        # shellcheck disable=SC2086
        quiet swiftc -O -wmo -sanitize=fuzzer,address -parse-as-library -emit-module -emit-library -static \
            -module-name "$m" -I "$modules" -emit-module-path "$modules/$m.swiftmodule" -o "$modules/lib$m.a" $list
        echo "$list" >"$stamp"
        rebuilt[$m]=yes
    fi
done

# The seed extractor: an uninstrumented Wire and scripts/fuzz-seeds.swift.
seeder=
if [ -d "$fixtures" ]; then
    plain=$out/plain
    mkdir -p "$plain"
    if [ ! -x "$plain/fuzz-seeds" ] || [ scripts/fuzz-seeds.swift -nt "$plain/fuzz-seeds" ] \
        || [ -n "$(find Sources/Wire -name '*.swift' -newer "$plain/fuzz-seeds" | head -1)" ]; then
        echo "building the seed extractor"
        # shellcheck disable=SC2046
        swiftc -Onone -parse-as-library -emit-module -emit-library -static -module-name Wire \
            -emit-module-path "$plain/Wire.swiftmodule" -o "$plain/libWire.a" $(module_sources Wire)
        swiftc -Onone -I "$plain" -I Sources/CPcap scripts/fuzz-seeds.swift "$plain/libWire.a" -o "$plain/fuzz-seeds"
    fi
    seeder=$plain/fuzz-seeds
else
    echo "($fixtures is absent: corpora are not seeded from the shared fixtures)"
fi

seed() {
    local name=$1 corpus=$2 spec specs=() files=() n=0
    read -r -a specs <<<"$(sed -n 's|^// fuzz-seeds:||p' "Fuzz/$name.swift" | head -1)"
    local trees=()
    for spec in "${specs[@]}"; do
        if [[ "$spec" == files:* ]]; then files+=("${spec#files:}"); fi
        # tree:@fixtures/DIR: every file under the shared fixtures' DIR, whatever its depth.
        if [[ "$spec" == tree:@fixtures/* ]]; then trees+=("$fixtures/${spec#tree:@fixtures/}"); fi
    done
    for pattern in "${files[@]}"; do
        for f in $pattern; do
            if [ -f "$f" ]; then cp "$f" "$corpus/seed-$(basename "$f")"; n=$((n + 1)); fi
        done
    done
    for dir in "${trees[@]}"; do
        [ -d "$dir" ] || continue
        while IFS= read -r f; do
            cp "$f" "$corpus/seed-$(echo "${f#"$dir"/}" | tr '/' '_')"
            n=$((n + 1))
        done < <(find "$dir" -type f ! -name README.md | LC_ALL=C sort)
    done
    local shared=()
    for spec in "${specs[@]}"; do [[ "$spec" == files:* || "$spec" == tree:* ]] || shared+=("$spec"); done
    if [ ${#shared[@]} -gt 0 ] && [ -n "$seeder" ]; then
        n=$((n + $("$seeder" "$corpus" "$fixtures" "${shared[@]}")))
    fi
    # `// fuzz-selector: N`: the entry's first byte picks one of N parsers, so every seed goes
    # in N times, once behind each selector byte (seed-X becomes seed-X.sel0 ... seed-X.sel<N-1>).
    local selectors i f
    selectors=$(sed -n 's|^// fuzz-selector: *\([0-9]\{1,3\}\)$|\1|p' "Fuzz/$name.swift" | head -1)
    if [ -n "$selectors" ]; then
        while IFS= read -r f; do
            for ((i = 0; i < selectors; i++)); do
                { printf "\\$(printf %03o "$i")"; cat "$f"; } >"$f.sel$i"
            done
            rm -f "$f"
        done < <(find "$corpus" -maxdepth 1 -type f -name 'seed-*' ! -name '*.sel[0-9]*')
        n=$((n * selectors))
    fi
    echo "$n"
}

# libFuzzer's final stats of one process's output.
final_stat() { sed -n "s/^stat::$1: *//p" "$2" | awk '{ s += $1 } END { print s + 0 }'; }

# What libFuzzer left of a target's failures.
artifacts() {
    find "$out" -maxdepth 1 \( -name "$1-crash-*" -o -name "$1-leak-*" -o -name "$1-timeout-*" -o -name "$1-oom-*" \) | wc -l
}

# A crash is libFuzzer's to report: the Swift runtime's backtracer under ASan only adds noise.
export SWIFT_BACKTRACE=enable=no
failed=()
results=()
for name in "${names[@]}"; do
    module=Fuzz_${name//[^A-Za-z0-9_]/_}
    # The entry's modules and what they import, dependents first (the static link's order).
    declare -A needed=()
    pending=$(entry_modules "$name")
    while [ -n "$pending" ]; do
        next=
        for m in $pending; do [ -n "${needed[$m]:-}" ] || { needed[$m]=yes; next="$next ${imports[$m]}"; }; done
        pending=$(echo $next)
    done
    libs=()
    for m in "${order[@]}"; do [ -n "${needed[$m]:-}" ] && libs=("$modules/lib$m.a" "${libs[@]}"); done
    unset needed
    quiet swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name "$module" -I "$modules" \
        "Fuzz/$name.swift" "${libs[@]}" -o "$out/$name"
    corpus=$out/$name-corpus
    mkdir -p "$corpus"
    seeds=$(seed "$name" "$corpus")
    before=$(artifacts "$name")
    # (run from $out: with -jobs, libFuzzer writes each job's log as fuzz-<job>.log there)
    flags=(-max_len=4096 -rss_limit_mb=1024 -timeout=25 -print_final_stats=1 -artifact_prefix="$name-")
    log=$out/$name.log
    # An entry's `// fuzz-env: NAME=VALUE...` line (e.g. ASAN_OPTIONS=detect_leaks=0 for the XML
    # readers: Foundation's XMLParser leaks a few hundred bytes per parse error, not our code).
    read -r -a entry_env <<<"$(sed -n 's|^// fuzz-env:||p' "Fuzz/$name.swift" | head -1)"
    # An entry's `// fuzz-flags: -flag=value...` line adds libFuzzer flags (a larger RSS limit
    # where Foundation's own per-error leak accumulates over millions of inputs).
    read -r -a entry_flags <<<"$(sed -n 's|^// fuzz-flags:||p' "Fuzz/$name.swift" | head -1)"
    flags+=("${entry_flags[@]}")
    start=$(date +%s.%N)
    status=0
    if [ "$mode" = bounded ]; then
        (cd "$out" && env "${entry_env[@]}" "./$name" "${flags[@]}" -max_total_time="$seconds" "$name-corpus") >"$log" 2>&1 || status=$?
        logs=("$log")
    elif [ "$jobs" = 1 ]; then
        (cd "$out" && env "${entry_env[@]}" "./$name" "${flags[@]}" -runs="$runs" "$name-corpus") >"$log" 2>&1 || status=$?
        logs=("$log")
    else
        rm -f "$out"/fuzz-*.log
        (cd "$out" && env "${entry_env[@]}" "./$name" "${flags[@]}" -jobs="$jobs" -workers="$jobs" -runs=$(((runs + jobs - 1) / jobs)) \
            "$name-corpus") >"$log" 2>&1 || status=$?
        logs=("$out"/fuzz-*.log)
    fi
    elapsed=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
    executions=0
    for l in "${logs[@]}"; do executions=$((executions + $(final_stat number_of_executed_units "$l"))); done
    rate=$(awk -v n="$executions" -v s="$elapsed" 'BEGIN { printf "%d", n / s }')
    crashes=$(($(artifacts "$name") - before))
    if [ "$status" != 0 ] && [ "$crashes" = 0 ]; then crashes=1; fi
    printf '%-12s %12d executions %9d exec/s %3d crashes  (%s s, %s seeds, corpus %d)\n' "$name" "$executions" \
        "$rate" "$crashes" "$(printf %.0f "$elapsed")" "$seeds" "$(find "$corpus" -type f | wc -l)"
    if [ "$crashes" != 0 ]; then
        failed+=("$name")
        grep -h -m3 -E "^==[0-9]+==ERROR|^SUMMARY|Fatal error|deadly signal|Test unit written" "${logs[@]}" >&2 || true
        echo "  log: ${logs[*]}" >&2
    fi
    results+=("| $name | $executions | $rate | $crashes | $(date -u +%Y-%m-%d) | \`FUZZ_JOBS=$jobs scripts/fuzz.sh --long $runs $name\` |")
done

if [ "$mode" = long ]; then
    # The table keeps the rows of targets this run did not fuzz.
    doc=docs/FUZZING.md
    declare -A rows=()
    if [ -f "$doc" ]; then
        while IFS= read -r line; do
            t=$(echo "$line" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }')
            rows[$t]=$line
        done < <(grep -E '^\| [a-z0-9_-]+ \| [0-9]+ \|' "$doc")
    fi
    notes=$( [ -f "$doc" ] && sed -n '/^## /,$p' "$doc" || true)
    for r in "${results[@]}"; do
        t=$(echo "$r" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }')
        rows[$t]=$r
    done
    {
        echo "# Fuzzing"
        echo
        echo "Long runs of the libFuzzer targets in \`Fuzz/\` (\`scripts/fuzz.sh --long [RUNS] [NAME...]\`; each"
        echo "target runs at least RUNS executions, \`FUZZ_JOBS=2\` for two processes). Written by the script;"
        echo "each row is the last long run of that target (sections from a \`## \` heading on are kept)."
        echo "The test command runs every target for 20 s."
        echo
        echo "| target | executions | exec/s | crashes | date | command |"
        echo "|---|---|---|---|---|---|"
        for t in $(printf '%s\n' "${!rows[@]}" | sort); do echo "${rows[$t]}"; done
        if [ -n "$notes" ]; then echo; echo "$notes"; fi
    } >"$doc"
    echo "wrote $doc"
fi

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing FAILED: ${failed[*]} (inputs in $out)" >&2
    exit 1
fi
echo "fuzzing passed"

#!/usr/bin/env bash
# The one test command: installs what the tests need, starts a throwaway PostgreSQL,
# builds once, runs every test project under tests/ and prints as its last line
# `N passed, N failed` (`, N skipped` when tests were skipped).
#
#   tools/test.sh                     everything
#   tools/test.sh --project NAME      only test projects whose name contains NAME (repeatable)
#   tools/test.sh --filter EXPR       passed to `dotnet test --filter` (e.g. FullyQualifiedName~Gateway)
#   tools/test.sh -c Debug            build configuration (default Release)
#   tools/test.sh --no-install        skip the apt-get and npm ci steps
#
# Environment: TRADING_TEST_PG, when already set, is used instead of starting a cluster;
# TEST_HANG_TIMEOUT (default 5m) is the per-test hang limit after which the test host is killed.
# Results (one .trx per project) land in .test-run/results/.
set -uo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root" || exit 1

configuration=Release
filter=""
wanted=()
do_install=1
hang_timeout="${TEST_HANG_TIMEOUT:-5m}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --filter) filter="${2:?--filter needs an expression}"; shift 2 ;;
        --project) wanted+=("${2:?--project needs a name}"); shift 2 ;;
        -c|--configuration) configuration="${2:?-c needs a configuration}"; shift 2 ;;
        --no-install) do_install=0; shift ;;
        -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "test.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Every web-test host watches appsettings.json with one inotify instance, and the web tests hold more than Debian's
# default of 128 per user at once: raise it when we may (root), as the tests' own limit, never lowering it.
inotify_limit=/proc/sys/fs/inotify/max_user_instances
if [ -w "$inotify_limit" ] && [ "$(cat "$inotify_limit")" -lt 1024 ]; then
    echo 1024 > "$inotify_limit" || true
fi
export DEBIAN_FRONTEND=noninteractive
results_dir="$repo_root/.test-run/results"
pg_dir="$repo_root/.test-run/pg"
started_at=$SECONDS
rm -rf "$results_dir"
mkdir -p "$results_dir"

say() { echo "test.sh: $*"; }
section() { echo; echo "==== $* ===="; }

summary_line() {
    local line="$1 passed, $2 failed"
    if [[ "$3" -gt 0 ]]; then line="$line, $3 skipped"; fi
    echo "$line"
}

# Runs side by side in one checkout share its cluster: each registers under $pg_users while it uses it, and the
# last to leave stops a cluster a run of this script started (one started by hand is left running).
pg_users="$repo_root/.test-run/pg-users"
pg_lock="$repo_root/.test-run/pg.lock"
pg_ours="$pg_users/started-by-test.sh"
using_pg=0

cleanup() {
    if [[ $using_pg -eq 1 ]]; then
        (
            flock 9
            rm -f "$pg_users/$$"
            others=0
            for user in "$pg_users"/[0-9]*; do
                [[ -e "$user" ]] || continue
                if kill -0 "${user##*/}" 2>/dev/null; then others=1; else rm -f "$user"; fi
            done
            if [[ $others -eq 0 && -e "$pg_ours" ]]; then
                "$repo_root/tools/pg.sh" stop --dir "$pg_dir" >/dev/null 2>&1
                rm -f "$pg_ours"
            fi
        ) 9>"$pg_lock"
        using_pg=0
    fi
    # Build servers outlive the script and would keep CI's output pipe open.
    if [[ -n "${CI:-}" ]]; then dotnet build-server shutdown >/dev/null 2>&1; fi
}
trap cleanup EXIT
trap 'echo; say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM

# A failure before any test ran still ends with the summary line CI reads.
abort() {
    say "$*"
    cleanup
    summary_line 0 1 0
    exit 1
}

# ---- which test projects -------------------------------------------------------------------

shopt -s nullglob
all_projects=(tests/*/*.csproj)
shopt -u nullglob
projects=()
browser_projects=()
for project in "${all_projects[@]}"; do
    name="$(basename "$project" .csproj)"
    if [[ ${#wanted[@]} -gt 0 ]]; then
        match=0
        for w in "${wanted[@]}"; do
            if [[ "${name,,}" == *"${w,,}"* ]]; then match=1; fi
        done
        [[ $match -eq 1 ]] || continue
    fi
    # Browser tests are the slowest and least specific: they run last.
    if [[ "$name" == *Browser* ]]; then browser_projects+=("$project"); else projects+=("$project"); fi
done
projects+=("${browser_projects[@]}")
if [[ ${#projects[@]} -eq 0 ]]; then
    abort "no test project found under tests/*/ matching '${wanted[*]:-}'"
fi

# ---- install what the tests need -----------------------------------------------------------

pg_installed() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }

needs_chromium() {
    local project
    for project in "${projects[@]}"; do
        if [[ "$(basename "$project")" == *Browser* ]] || grep -q 'Microsoft.Playwright' "$project"; then return 0; fi
    done
    return 1
}

install_apt() {
    local packages=()
    pg_installed || packages+=(postgresql)
    if needs_chromium && [[ ! -x /usr/bin/chromium ]]; then packages+=(chromium); fi
    [[ ${#packages[@]} -eq 0 ]] && return 0
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -E)
        else
            abort "missing Debian packages (${packages[*]}) and no root to install them: apt-get install ${packages[*]}"
        fi
    fi
    section "apt-get install ${packages[*]}"
    "${sudo[@]}" apt-get update -qq || abort "apt-get update failed"
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" || abort "apt-get install ${packages[*]} failed"
}

# Folders whose packages the tests do not use (the benchmark's bpmn-engine).
npm_skip=(tools/bench)

install_npm() {
    local lock folder skip
    while IFS= read -r lock; do
        folder="$(dirname "${lock#./}")"
        skip=0
        for s in "${npm_skip[@]}"; do [[ "$folder" == "$s" ]] && skip=1; done
        [[ $skip -eq 1 ]] && continue
        # npm keeps a copy of the lock it installed from; an older copy means the install is stale.
        if [[ -f "$folder/node_modules/.package-lock.json" && ! "$lock" -nt "$folder/node_modules/.package-lock.json" ]]; then
            continue
        fi
        command -v npm >/dev/null 2>&1 || abort "npm is needed for $folder but is not installed"
        section "npm ci in $folder"
        (cd "$folder" && npm ci --no-audit --no-fund --loglevel=error) || abort "npm ci failed in $folder"
    done < <(find . \( -name node_modules -o -name .git -o -name artifacts -o -name .test-run \) -prune \
                  -o -name package-lock.json -type f -print | sort)
}

if [[ $do_install -eq 1 ]]; then
    install_apt
    install_npm
fi

# ---- PostgreSQL ----------------------------------------------------------------------------

if [[ -n "${TRADING_TEST_PG:-}" ]]; then
    say "using TRADING_TEST_PG from the environment"
else
    section "PostgreSQL"
    # A cluster a developer started by hand, or another run in this checkout, is reused.
    mkdir -p "$pg_users"
    exec 9>"$pg_lock"
    flock 9
    if TRADING_TEST_PG="$("$repo_root/tools/pg.sh" status --dir "$pg_dir" 2>/dev/null)"; then
        say "reusing the running cluster in $pg_dir"
    else
        # Not holding the lock's descriptor: the server would inherit it and keep the lock for its lifetime.
        TRADING_TEST_PG="$("$repo_root/tools/pg.sh" start --dir "$pg_dir" 9>&-)" || { exec 9>&-; abort "PostgreSQL did not start"; }
        touch "$pg_ours"
    fi
    touch "$pg_users/$$"
    using_pg=1
    exec 9>&-
    say "TRADING_TEST_PG=$TRADING_TEST_PG"
fi
export TRADING_TEST_PG

# ---- build once ----------------------------------------------------------------------------

build_args=(-c "$configuration" -nologo)
if [[ -n "${CI:-}" ]]; then build_args+=(--disable-build-servers); fi

in_solution() {
    local path="${1//\//\\}"
    grep -qiF "\"$path\"" Trading.Workflow.sln
}

section "dotnet build ($configuration)"
build_targets=()
if [[ ${#wanted[@]} -eq 0 && -f Trading.Workflow.sln ]]; then
    build_targets+=(Trading.Workflow.sln)
    for project in "${projects[@]}"; do
        if ! in_solution "$project"; then
            say "warning: $project is not in Trading.Workflow.sln; building it on its own"
            build_targets+=("$project")
        fi
    done
else
    build_targets+=("${projects[@]}")
fi
for target in "${build_targets[@]}"; do
    dotnet build "$target" "${build_args[@]}" || abort "build of $target failed"
done

# ---- run every test project ----------------------------------------------------------------

trx_counts() {
    local counters
    # python3 names the failed tests; the grep fallback only counts them.
    if command -v python3 >/dev/null 2>&1 && counters="$(python3 "$repo_root/tools/trx-summary.py" "$1" 2>/dev/null)"; then
        echo "$counters"
        return
    fi
    counters="$(grep -o '<Counters [^>]*>' "$1" | head -n 1)"
    [[ -n "$counters" ]] || return 1
    attr() { local v; v="$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters")"; echo "${v:-0}"; }
    echo "$(attr passed)" \
        "$(( $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted) ))" \
        "$(( $(attr total) - $(attr executed) ))" \
        "$(attr total)"
}

total_passed=0
total_failed=0
total_skipped=0
report=()
failed_tests=()
for project in "${projects[@]}"; do
    name="$(basename "$project" .csproj)"
    section "dotnet test $name"
    test_args=(test "$project" -c "$configuration" --no-build --nologo
        --results-directory "$results_dir"
        --logger "trx;LogFileName=$name.trx"
        --blame-hang --blame-hang-timeout "$hang_timeout" --blame-hang-dump-type none)
    if [[ -n "$filter" ]]; then test_args+=(--filter "$filter"); fi
    project_started=$SECONDS
    dotnet "${test_args[@]}"
    rc=$?
    took=$(( SECONDS - project_started ))s
    trx="$results_dir/$name.trx"
    if [[ ! -f "$trx" ]] || ! counts="$(trx_counts "$trx")"; then
        total_failed=$(( total_failed + 1 ))
        report+=("$(printf '  %-45s NO RESULT (exit %s, %s)' "$name" "$rc" "$took")")
        continue
    fi
    read -r passed failed skipped total <<<"$(head -n 1 <<<"$counts")"
    while IFS= read -r test_name; do
        [[ -n "$test_name" ]] && failed_tests+=("  $name: $test_name")
    done < <(tail -n +2 <<<"$counts")
    note=""
    # A crashed or killed test host can exit non-zero with no failed test recorded.
    if [[ $rc -ne 0 && $failed -eq 0 ]]; then
        failed=1
        note=" (test run exited $rc)"
    fi
    if [[ $rc -eq 0 && $total -eq 0 ]]; then note=" (no tests ran)"; fi
    total_passed=$(( total_passed + passed ))
    total_failed=$(( total_failed + failed ))
    total_skipped=$(( total_skipped + skipped ))
    report+=("$(printf '  %-45s %s  %s%s' "$name" "$(summary_line "$passed" "$failed" "$skipped")" "$took" "$note")")
done

cleanup
section "summary ($(( SECONDS - started_at ))s, results in ${results_dir#"$repo_root"/})"
printf '%s\n' "${report[@]}"
if [[ ${#failed_tests[@]} -gt 0 ]]; then
    echo "failed tests:"
    printf '%s\n' "${failed_tests[@]}"
fi
summary_line "$total_passed" "$total_failed" "$total_skipped"
if [[ $total_failed -gt 0 ]]; then exit 1; fi
exit 0

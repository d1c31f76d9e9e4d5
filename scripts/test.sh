#!/usr/bin/env bash
# The test command (README): installs what the tests need (when run as root), builds everything that builds here,
# runs every test project, and prints the totals as one plain line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

need_pkgs=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_pkgs+=(postgresql)
/usr/bin/python3 -c 'import grpc, google.protobuf' 2>/dev/null || need_pkgs+=(python3-grpcio python3-protobuf)
command -v protoc >/dev/null || need_pkgs+=(protobuf-compiler)
[ -x /usr/bin/grpc_python_plugin ] || need_pkgs+=(protobuf-compiler-grpc)
command -v promtool >/dev/null || need_pkgs+=(prometheus)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing: ${need_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || true
    apt-get install -y -qq "${need_pkgs[@]}" >/dev/null || { echo "apt-get install failed"; echo "0 passed, 1 failed"; exit 1; }
  else
    echo "Missing packages (install as root): ${need_pkgs[*]}"
  fi
fi
# The packaged server is not needed running; tests start their own clusters.
service postgresql stop >/dev/null 2>&1 || true

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"

build_failed=0
echo "== build"
dotnet build CdcAspire.sln -c Debug -v quiet -nologo > "$results/build.log" 2>&1 || build_failed=1
grep -E ' error |rror\(s\)' "$results/build.log" | sort -u | tail -n 30

failed_projects=0
for proj in $(ls tests/*/*.Tests.csproj | sort); do
  name=$(basename "$proj" .csproj)
  echo "== $name"
  timeout 900 dotnet test "$proj" --no-build -nologo -v quiet \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" 2>&1 | grep -E '^(Passed!|Failed!|  Failed |Error)|error' | head -n 40
  [ "${PIPESTATUS[0]}" = 0 ] || failed_projects=$((failed_projects + 1))
done

python3 - "$results" "$build_failed" "$failed_projects" <<'PY'
import sys, glob, re
passed = failed = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    m = re.search(r'<Counters [^>]*', open(f, encoding="utf-8").read())
    if m:
        c = dict(re.findall(r'(\w+)="(\d+)"', m.group(0)))
        passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
build_failed, failed_projects = int(sys.argv[2]), int(sys.argv[3])
# A build failure or a crashed test host counts as a failure even when no test result says so.
if (build_failed or failed_projects) and failed == 0:
    failed = 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY

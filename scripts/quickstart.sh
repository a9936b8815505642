#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (as root), idempotent:
#   scripts/quickstart.sh demo   install what is missing, build, lint the demo image
#   scripts/quickstart.sh test   install what is missing, build, run the whole test suite
#                                (a normal build and an ASan+UBSan build)
#   scripts/quickstart.sh fuzz   build the libFuzzer harnesses with clang and run each
#                                for IMGLINT_FUZZ_SECONDS (default 20) as a smoke test
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(build-essential cmake pkg-config libarchive-dev nlohmann-json3-dev libyaml-cpp-dev
          libre2-dev libcli11-dev libssl-dev libzstd-dev zlib1g-dev libisal-dev
          libcurl4-openssl-dev libgtest-dev libgmock-dev)
# What the tests run against for real (tests/infra): a registry, the Docker and
# Podman daemons with runc, skopeo/umoci, and the tools that make their inputs.
# tests/infra/registry.sh also needs curl (readiness checks, hand-made
# manifests) and util-linux's unshare (skopeo runs in a user namespace).
# tests/cli/fix_test.cc checks diffs with patch and git apply, and YAML with
# python3-yaml.
TEST_PACKAGES=(docker.io podman runc skopeo umoci docker-registry busybox-static openssl
               apache2-utils python3 python3-yaml patch git libcap2-bin iproute2 uidmap curl
               util-linux)

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "quickstart: installing ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then echo "quickstart: run as root to install packages" >&2; exit 2; fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

build() {  # build DIR [cmake args...]: Release (what users and packagers build), warnings fatal
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DIMGLINT_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j2
}

case "${1:-}" in
  demo)
    install_missing
    build build -DIMGLINT_BUILD_TESTS=OFF
    echo "\$ imglint fixtures/demo/demo-image.tar"
    status=0
    build/cli/imglint fixtures/demo/demo-image.tar || status=$?
    # 1 means "findings at or above --fail-on": exactly what the demo shows.
    [ "$status" -le 1 ] || exit "$status"
    ;;
  test)
    install_missing "${TEST_PACKAGES[@]}"
    build build
    ctest --test-dir build --output-on-failure -j2
    build build-asan -DIMGLINT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --test-dir build-asan --output-on-failure -j2
    ;;
  fuzz)
    install_missing clang libclang-rt-14-dev
    CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DIMGLINT_FUZZ=ON -DIMGLINT_BUILD_TESTS=OFF \
      -DIMGLINT_FUZZ_SECONDS="${IMGLINT_FUZZ_SECONDS:-20}" >/dev/null
    cmake --build build-fuzz -j2
    ctest --test-dir build-fuzz --output-on-failure
    ;;
  *)
    echo "usage: $0 demo|test|fuzz" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Builds the FrameDecoder libFuzzer target with swiftc (no SwiftPM) and runs it.
# Usage: Fuzz/run.sh [extra libFuzzer flags]   (RUNS=N sets the run count, default 1000000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${BUILD_DIR:-$here/.build-fuzz}"
runs="${RUNS:-1000000}"
mkdir -p "$build/corpus"
swiftc -sanitize=fuzzer -parse-as-library -O -swift-version 6 \
    -enable-upcoming-feature ExistentialAny \
    -enable-upcoming-feature MemberImportVisibility \
    -enable-upcoming-feature InternalImportsByDefault \
    -module-name FrameDecoderFuzz \
    "$here"/../Sources/AtendeIntegration/Protocol/*.swift \
    "$here/FrameDecoderFuzz/main.swift" \
    -o "$build/frame-decoder-fuzz"
# New inputs go to the build folder; the committed seeds in corpus/ are only read.
exec "$build/frame-decoder-fuzz" -runs="$runs" "$@" "$build/corpus" "$here/corpus"

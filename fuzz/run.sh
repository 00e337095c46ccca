#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600), seeding config validation with the
# shared config corpus. cargo-fuzz needs libFuzzer's nightly flags; RUSTC_BOOTSTRAP lets the
# machine's stable toolchain accept them. No sanitizer: the workspace forbids unsafe code.
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
export RUSTC_BOOTSTRAP=1
mkdir -p corpus/config_validation
for f in ../tests/configs/*/*/*.json; do
  cp "$f" "corpus/config_validation/$(echo "${f#../tests/configs/}" | tr / _)"
done
status=0
for target in config_validation render twilio_response aliyun_response tencent_response vonage_response aws_sns_response http_response; do
  echo "==> $target for ${seconds}s"
  if ! cargo fuzz run -s none "$target" -- -max_total_time="$seconds" -print_final_stats=1 >"/tmp/fuzz-$target.log" 2>&1; then
    echo "    $target FAILED; see /tmp/fuzz-$target.log and artifacts/$target/"
    status=1
  fi
  grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)|panicked" "/tmp/fuzz-$target.log" | head -n 5
done
exit "$status"

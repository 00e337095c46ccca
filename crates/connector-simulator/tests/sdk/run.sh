#!/usr/bin/env bash
# Runs the providers' official Python SDKs (Twilio, Aliyun, Tencent, Vonage, and Standard
# Webhooks' library for the HTTP connector) against
# `sms-connector simulate`: each must be accepted, and rejected with its provider's own error
# code for a wrong secret. Needs python3 (with venv) and pip's access to PyPI.
#
#   crates/connector-simulator/tests/sdk/run.sh
#
# Environment: SDK_VENV (default target/sdk-venv), SMS_CONNECTOR_BIN (default
# target/debug/sms-connector, built when missing), PYTHON (default python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
venv="${SDK_VENV:-$root/target/sdk-venv}"
bin="${SMS_CONNECTOR_BIN:-$root/target/debug/sms-connector}"
python="${PYTHON:-python3}"

if [[ ! -x "$bin" ]]; then
  (cd "$root" && cargo build -q -p connector-cli)
fi

if [[ ! -x "$venv/bin/python" ]]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt"

# Consecutive free ports on loopback, one per simulated provider.
base="$("$venv/bin/python" - <<'EOF'
import random, socket
for _ in range(200):
    base = random.randint(20000, 60000)
    sockets = []
    try:
        for port in range(base, base + 5):
            s = socket.socket()
            s.bind(("127.0.0.1", port))
            sockets.append(s)
    except OSError:
        continue
    finally:
        for s in sockets:
            s.close()
    print(base)
    break
else:
    raise SystemExit("no five consecutive free ports found")
EOF
)"

log="$(mktemp -t sms-simulator.XXXXXX.log)"
"$bin" simulate --host 127.0.0.1 --port "$base" >"$log" 2>&1 &
simulator=$!
cleanup() {
  kill "$simulator" 2>/dev/null || true
  wait "$simulator" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

status=0
"$venv/bin/python" "$here/check_sdks.py" --host 127.0.0.1 --port "$base" --bin "$bin" || status=$?
if [[ $status -ne 0 ]]; then
  echo "--- simulator output ---" >&2
  cat "$log" >&2
fi
exit "$status"

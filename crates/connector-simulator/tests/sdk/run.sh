#!/usr/bin/env bash
# Runs the providers' official Python SDKs (Twilio, Aliyun, Tencent, Vonage, AWS SNS, and
# Standard Webhooks' library for the HTTP connector) against
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
        for port in range(base, base + 6):
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
    raise SystemExit("no six consecutive free ports found")
EOF
)"

log="$(mktemp -t sms-simulator.XXXXXX.log)"
"$bin" simulate --host 127.0.0.1 --port "$base" >"$log" 2>&1 &
simulator=$!
# A second simulator, on free ports, whose AWS credentials are temporary ones with a session
# token (check_sdks.py's AWS_TEMPORARY_KEY_ID and AWS_SESSION_TOKEN).
token_credentials="$(mktemp -t sms-simulator-token.XXXXXX.json)"
token_log="$(mktemp -t sms-simulator-token.XXXXXX.log)"
echo '{"aws-sns": {"accessKeyId": "ASIASIMULATOR0000001", "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes=="}}' \
  >"$token_credentials"
"$bin" simulate --host 127.0.0.1 --port 0 --json --quiet --credentials "$token_credentials" >"$token_log" 2>&1 &
token_simulator=$!
cleanup() {
  kill "$simulator" "$token_simulator" 2>/dev/null || true
  wait "$simulator" "$token_simulator" 2>/dev/null || true
  rm -f "$log" "$token_log" "$token_credentials"
}
trap cleanup EXIT
# Its first line names its endpoints: {"ok": true, "simulator": {"aws-sns": "http://…", …}}.
token_endpoint=""
for _ in $(seq 1 200); do
  token_endpoint="$("$venv/bin/python" -c '
import json, sys
try:
    print(json.loads(open(sys.argv[1]).readline())["simulator"]["aws-sns"])
except (ValueError, KeyError, IndexError):
    pass
' "$token_log")"
  [[ -n "$token_endpoint" ]] && break
  sleep 0.1
done
if [[ -z "$token_endpoint" ]]; then
  echo "the session-token simulator did not start:" >&2
  cat "$token_log" >&2
  exit 1
fi
# The machine's own AWS settings and credentials stay out of boto3's way.
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_SNS

status=0
"$venv/bin/python" "$here/check_sdks.py" --host 127.0.0.1 --port "$base" \
  --sns-token-endpoint "$token_endpoint" --bin "$bin" || status=$?
if [[ $status -ne 0 ]]; then
  echo "--- simulator output ---" >&2
  cat "$log" >&2
fi
exit "$status"

#!/usr/bin/env bash
# Regenerates the test-only certificate authority and the localhost certificate it signs,
# used by the kit's HTTPS round-trip test (src/http.rs). Test material only: the keys are
# public and trusted nowhere but in that test.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/ca.key"
openssl req -x509 -new -key "$tmp/ca.key" -days 36500 -subj "/CN=sms-connector-kit test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
  -outform DER -out ca.der
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/localhost.key"
openssl pkcs8 -topk8 -nocrypt -in "$tmp/localhost.key" -outform DER -out localhost.key.der
openssl req -new -key "$tmp/localhost.key" -subj "/CN=localhost" -out "$tmp/localhost.csr"
printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" > "$tmp/ext"
openssl x509 -req -in "$tmp/localhost.csr" -CA ca.der -CAform DER -CAkey "$tmp/ca.key" \
  -CAserial "$tmp/ca.srl" -CAcreateserial -days 36500 -extfile "$tmp/ext" -outform DER -out localhost.der
rm -rf "$tmp"

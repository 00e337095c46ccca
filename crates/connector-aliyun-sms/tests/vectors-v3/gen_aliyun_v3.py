# Generates Aliyun V3 (ACS3-HMAC-SHA256) signature vectors from the official Python SDK.
# Usage: python gen_aliyun_v3.py OUTDIR
# Needs: alibabacloud_dysmsapi20170525 4.6.0 (pulls alibabacloud-tea-openapi 0.4.6,
#        darabonba-core 1.0.9); see crates/connector-simulator/tests/sdk/requirements.txt.
import hashlib, hmac, json, os, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, urlsplit, parse_qsl

OUT = sys.argv[1]
AK_ID, AK_SECRET = "testid", "testsecret"
FIXED_TS = "2024-05-20T08:30:00Z"
FIXED_NONCE = "e2b7a1c4f0d94e6b8c3a5d7f9e1b2c3d"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

# ---------- independent implementation (stdlib only) ----------
def pct(s):
    return quote(s, safe="-_.~", encoding="utf-8")

def independent(method, path, query, headers, payload_hash, secret):
    cq = "&".join(f"{pct(k)}={pct(v)}" for k, v in sorted((k, v) for k, v in query.items()))
    names = sorted(headers)
    ch = "".join(f"{n}:{headers[n].strip()}\n" for n in names)
    sh = ";".join(names)
    cr = f"{method}\n{path}\n{cq}\n{ch}\n{sh}\n{payload_hash}"
    sts = "ACS3-HMAC-SHA256\n" + hashlib.sha256(cr.encode()).hexdigest()
    sig = hmac.new(secret.encode(), sts.encode(), hashlib.sha256).hexdigest()
    auth = f"ACS3-HMAC-SHA256 Credential={AK_ID},SignedHeaders={sh},Signature={sig}"
    return cr, sts, sig, auth

def write_case(name, inp, cr, sts, sig, auth):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "input.json"), "w", encoding="utf-8") as f:
        json.dump(inp, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.write("\n")
    for fn, txt in (("canonical-request.txt", cr), ("string-to-sign.txt", sts),
                    ("signature.txt", sig), ("authorization.txt", auth)):
        with open(os.path.join(d, fn), "w", encoding="utf-8", newline="") as f:
            f.write(txt)
    print(name, sig)

# ---------- the SDK, its time and nonce fixed ----------
from alibabacloud_tea_openapi import utils as openapi_utils
from alibabacloud_tea_openapi.utils import Utils as OpenApiUtils
OpenApiUtils.get_timestamp = staticmethod(lambda: FIXED_TS)
OpenApiUtils.get_nonce = staticmethod(lambda: FIXED_NONCE)
from alibabacloud_tea_openapi import utils_models
from alibabacloud_dysmsapi20170525.client import Client as DysmsClient
from alibabacloud_dysmsapi20170525 import models as dysms_models

captured = []
class H(BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        captured.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                         self.rfile.read(n) if n else b""))
        body = b'{"Code":"OK","Message":"OK","BizId":"1","RequestId":"R"}'
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
threading.Thread(target=srv.serve_forever, daemon=True).start()

def sdk_send(sign_name, template_param):
    # The default Config: no signature_algorithm, so ACS3-HMAC-SHA256.
    cfg = utils_models.Config(access_key_id=AK_ID, access_key_secret=AK_SECRET,
                              endpoint="127.0.0.1:%d" % srv.server_address[1], protocol="http")
    DysmsClient(cfg).send_sms(dysms_models.SendSmsRequest(
        phone_numbers="13800138000", sign_name=sign_name,
        template_code="SMS_154950909", template_param=template_param))
    return captured.pop()

cases = {
    "sdk-v3-sendsms-chinese-sign-name": ("阿里云短信测试", '{"code":"123456"}'),
    "sdk-v3-sendsms-special-characters": ("Acme (Test) *Co*", '{"code":"12 34","name":"a+b/c=d&e~f\'g!"}'),
}
for name, (sn, tp) in cases.items():
    method, target, headers, body = sdk_send(sn, tp)
    assert body == b"", body                       # business parameters travel in the query
    split = urlsplit(target)
    query = dict(parse_qsl(split.query, keep_blank_values=True))
    wire_auth = headers["authorization"]
    signed = wire_auth.split("SignedHeaders=")[1].split(",")[0].split(";")
    signed_headers = {h: headers[h] for h in signed}
    payload_hash = headers["x-acs-content-sha256"]
    assert payload_hash == EMPTY_SHA256
    cr, sts, sig, auth = independent(method, split.path or "/", query, signed_headers, payload_hash, AK_SECRET)
    assert auth == wire_auth, (auth, wire_auth)
    # The SDK's own canonical pieces agree with the independent ones.
    assert openapi_utils.get_canonical_query_string(query) == cr.split("\n")[2]
    write_case(name, {"method": method, "path": split.path or "/", "query": query,
                      "headers": signed_headers, "payloadHash": payload_hash,
                      "accessKeyId": AK_ID, "secret": AK_SECRET}, cr, sts, sig, auth)

# ---------- the connector's header set, signed by the SDK's get_authorization ----------
from darabonba.request import DaraRequest
req = DaraRequest()
req.method = "POST"
req.pathname = "/"
req.query = {"PhoneNumbers": "85291234567", "SignName": "Acme", "TemplateCode": "SMS_465890001",
             "TemplateParam": '{"code":"654321","product":"Acme ID"}'}
req.headers = {
    "host": "dysmsapi.aliyuncs.com",
    "x-acs-action": "SendSms",
    "x-acs-version": "2017-05-25",
    "x-acs-date": FIXED_TS,
    "x-acs-signature-nonce": FIXED_NONCE,
    "x-acs-content-sha256": EMPTY_SHA256,
}
sdk_auth = OpenApiUtils.get_authorization(req, "ACS3-HMAC-SHA256", EMPTY_SHA256, AK_ID, AK_SECRET)
cr, sts, sig, auth = independent("POST", "/", req.query, req.headers, EMPTY_SHA256, AK_SECRET)
assert auth == sdk_auth, (auth, sdk_auth)
write_case("sdk-v3-connector-headers", {"method": "POST", "path": "/", "query": req.query,
           "headers": req.headers, "payloadHash": EMPTY_SHA256, "accessKeyId": AK_ID,
           "secret": AK_SECRET}, cr, sts, sig, auth)
srv.shutdown()
print("all Aliyun V3 vectors: SDK and independent computation agree")

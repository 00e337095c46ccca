# Produces Standard Webhooks vectors with the official Python library.
import base64, json, datetime
import standardwebhooks
from standardwebhooks import Webhook

cases = [
    ("spec", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}'),
    ("default-body", "whsec_" + base64.b64encode(bytes(range(32))).decode(), "msg_0f5c2a4e-8a1b-4d3c-9e7f-112233445566", 1700000000,
     json.dumps({"to": "+14155550100", "type": "SignIn", "text": "Your code is 123456.", "payload": {"code": "123456", "locale": "en"}}, separators=(",", ":"))),
    ("unicode-body", "whsec_" + base64.b64encode(b"k" * 64).decode(), "msg_2", 1764720000,
     json.dumps({"to": "+8613800138000", "text": "您的验证码是 123456 😀"}, ensure_ascii=False, separators=(",", ":"))),
    ("unpadded-secret", "whsec_" + base64.b64encode(bytes(range(100, 125))).decode().rstrip("="), "msg_3", 1, "{}"),
]
out = []
for name, secret, msg_id, ts, body in cases:
    wh = Webhook(secret)
    sig = wh.sign(msg_id, datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc), body)
    key = wh._whsecret
    out.append({"name": name, "secret": secret, "keyHex": key.hex(), "id": msg_id, "timestamp": ts,
                "body": body, "signedContent": f"{msg_id}.{ts}.{body}", "signature": sig})
print(json.dumps({"library": "standardwebhooks " + standardwebhooks.__version__ if hasattr(standardwebhooks, "__version__") else "standardwebhooks 1.1.0", "vectors": out}, ensure_ascii=False, indent=2))

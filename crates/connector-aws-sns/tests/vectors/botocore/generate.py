"""Signs SNS Publish requests, as the connector builds them, with botocore's SigV4 signer at a
fixed time, and writes each stage for tests/signing.rs. Run: python3 generate.py"""
import json
import pathlib

import botocore
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"
CASES = {
    "sns-publish": dict(
        access_key_id="AKIAIOSFODNN7EXAMPLE",
        secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        session_token=None,
        region="us-east-1",
        host="sns.us-east-1.amazonaws.com",
        unix_time=1_700_000_000,
        body="Action=Publish&PhoneNumber=%2B14155550100&Message=Your+code+is+123456."
        "&MessageAttributes.entry.1.Name=AWS.SNS.SMS.SMSType"
        "&MessageAttributes.entry.1.Value.DataType=String"
        "&MessageAttributes.entry.1.Value.StringValue=Transactional&Version=2010-03-31",
    ),
    "sns-publish-session-token-simulator": dict(
        access_key_id="ASIASIMULATOR0000001",
        secret_access_key="simulator-aws-secret-access-key",
        session_token="IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes==",
        region="eu-west-1",
        host="127.0.0.1:4013",
        unix_time=1_716_249_599,
        body="Action=Publish&PhoneNumber=%2B8613800138000&Message=%E9%AA%8C%E8%AF%81%E7%A0%81+123456"
        "&MessageAttributes.entry.1.Name=AWS.SNS.SMS.SMSType"
        "&MessageAttributes.entry.1.Value.DataType=String"
        "&MessageAttributes.entry.1.Value.StringValue=Promotional"
        "&MessageAttributes.entry.2.Name=AWS.SNS.SMS.SenderID"
        "&MessageAttributes.entry.2.Value.DataType=String"
        "&MessageAttributes.entry.2.Value.StringValue=Acme&Version=2010-03-31",
    ),
}


def main():
    import datetime

    here = pathlib.Path(__file__).parent
    for name, case in CASES.items():
        request = AWSRequest(
            method="POST",
            url=f"https://{case['host']}/",
            data=case["body"].encode(),
            headers={"Content-Type": CONTENT_TYPE},
        )
        credentials = Credentials(
            case["access_key_id"], case["secret_access_key"], case["session_token"]
        )
        auth = SigV4Auth(credentials, "sns", case["region"])
        at = datetime.datetime.fromtimestamp(case["unix_time"], datetime.timezone.utc)
        # add_auth's own steps, with the clock fixed.
        request.context["timestamp"] = at.strftime("%Y%m%dT%H%M%SZ")
        auth._modify_request_before_signing(request)
        canonical = auth.canonical_request(request)
        string_to_sign = auth.string_to_sign(request, canonical)
        signature = auth.signature(string_to_sign, request)
        auth._inject_signature_to_request(request, signature)
        out = here / name
        out.mkdir(exist_ok=True)
        (out / "input.json").write_text(
            json.dumps({**case, "content_type": CONTENT_TYPE, "botocore": botocore.__version__}, indent=2) + "\n"
        )
        (out / "canonical-request.txt").write_text(canonical)
        (out / "string-to-sign.txt").write_text(string_to_sign)
        (out / "signature.txt").write_text(signature)
        (out / "authorization.txt").write_text(request.headers["Authorization"])


main()

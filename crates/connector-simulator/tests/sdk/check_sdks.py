#!/usr/bin/env python3
"""Runs the providers' official Python SDKs against a running `sms-connector simulate`.

Installs nothing (see run.sh and requirements.txt). Given the simulator's host and first
port (Twilio; Aliyun, Tencent, Vonage, AWS SNS and the HTTP gateway on the next five), each SDK, pointed at host:port over plain
HTTP, must be accepted with the default credentials (the ones in examples/*.json), and
rejected with the provider's own error code for a wrong secret:

  * Twilio: `twilio` (Client, with `client.api.base_url` overridden), with the auth token and
    with an API key (`Client(api_key_sid, api_key_secret, account_sid)`);
  * Aliyun: the classic `aliyun-python-sdk-core` + `aliyun-python-sdk-dysmsapi` (RPC signature,
    HMAC-SHA1) and the current `alibabacloud_dysmsapi20170525`, both with its default
    ACS3-HMAC-SHA256 signature and with `signature_algorithm="v2"`;
  * Tencent: `tencentcloud-sdk-python-common` + `tencentcloud-sdk-python-sms` (TC3-HMAC-SHA256);
  * Vonage: `vonage` 4.x, `Vonage(...).sms.send` with the API secret (sent as HTTP Basic auth),
    and the SDK's signing path with the signature secret (`sig`, HMAC-SHA256, the simulator's
    default method; see `vonage_signed_send` for why not `sms.send`); the SDK only speaks
    https, so its session sends to the simulator's plain HTTP port instead;
  * AWS SNS: `boto3` (`boto3.client("sns", endpoint_url=...)`, SigV4) `publish` to a phone
    number with SMS attributes; with `--sns-token-endpoint`, a second simulator whose AWS
    credentials have a session token, which must be sent (`aws_session_token`).

  * HTTP gateway: `standardwebhooks` (the Standard Webhooks specification's official Python
    library) signs requests the simulator's gateway must accept, and refuse with 401 when
    signed with another secret; and, the other way round, it verifies the requests the HTTP
    connector sends (`sms-connector send http-sms`) to a small receiver of its own, which
    refuses them when it holds another secret.

Finally the simulator's admin API must list exactly the messages the SDKs were told were
accepted. Exit status 0 when every check passes.
"""

import argparse
import importlib.metadata
import json
import socket
import sys
import time
import traceback
import urllib.error
import urllib.request

TWILIO_SID = "AC00000000000000000000000000000001"
TWILIO_TOKEN = "simulator-twilio-auth-token"
TWILIO_SERVICE = "MG00000000000000000000000000000001"
TWILIO_KEY_SID = "SK00000000000000000000000000000001"
TWILIO_KEY_SECRET = "simulator-twilio-api-key-secret"
ALIYUN_KEY_ID = "LTAI5tSimulatorKeyId0001"
ALIYUN_SECRET = "simulator-aliyun-access-key-secret"
TENCENT_ID = "AKIDSimulatorSecretId000000000000001"
TENCENT_KEY = "simulator-tencent-secret-key"
TENCENT_APP = "1400000001"
VONAGE_KEY = "5a1b2c3d"
VONAGE_SECRET = "simulator-vonage-api-secret"
VONAGE_SIGNATURE_SECRET = "simulator-vonage-signature-secret"
AWS_KEY_ID = "AKIASIMULATOR0000001"
AWS_SECRET = "simulator-aws-secret-access-key"
AWS_REGION = "us-east-1"
# The second simulator's temporary credentials (run.sh writes them to its credentials file).
AWS_TEMPORARY_KEY_ID = "ASIASIMULATOR0000001"
AWS_SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes=="
HTTP_SECRET = "whsec_c2ltdWxhdG9yLWh0dHAtZ2F0ZXdheS1rZXktMzJieXRl"
# The base64 of "another-gateway-secret-24-bytes!".
HTTP_WRONG_SECRET = "whsec_YW5vdGhlci1nYXRld2F5LXNlY3JldC0yNC1ieXRlcyE="
WRONG = "wrong-secret-for-the-sdk-check"

RESULTS = []


def check(name):
    """Runs one check, recording whether it passed."""

    def wrap(fn):
        def run(*args):
            try:
                detail = fn(*args)
                RESULTS.append((name, True, detail or ""))
            except Exception as error:  # any failure is a failed check, with its reason
                traceback.print_exc()
                RESULTS.append((name, False, f"{type(error).__name__}: {error}"))

        return run

    return wrap


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def version(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def wait_for(host, ports, seconds=20.0):
    """Waits until every port accepts connections."""
    deadline = time.monotonic() + seconds
    for port in ports:
        while True:
            try:
                with socket.create_connection((host, port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"the simulator is not listening on {host}:{port}")
                time.sleep(0.1)


def admin(host, port, path, method="GET", body=None):
    request = urllib.request.Request(
        f"http://{host}:{port}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


# ---------------------------------------------------------------- Twilio


def twilio_client(host, port, token):
    from twilio.rest import Client

    client = Client(TWILIO_SID, token)
    client.api.base_url = f"http://{host}:{port}"
    return client


@check("twilio: accepted")
def twilio_accepted(host, port, accepted):
    client = twilio_client(host, port, TWILIO_TOKEN)
    message = client.messages.create(
        to="+14155550100",
        messaging_service_sid=TWILIO_SERVICE,
        body="Your verification code is 123456.",
    )
    expect(message.sid.startswith("SM") and len(message.sid) == 34, f"sid {message.sid}")
    expect(message.status == "accepted", f"status {message.status}")
    accepted["twilio"].append(message.sid)
    return f"sid {message.sid}"


@check("twilio: wrong auth token -> 401 / 20003")
def twilio_wrong_secret(host, port, accepted):
    from twilio.base.exceptions import TwilioRestException

    client = twilio_client(host, port, WRONG)
    try:
        client.messages.create(to="+14155550100", from_="+15017122661", body="x")
    except TwilioRestException as error:
        expect(error.status == 401 and error.code == 20003, f"{error.status} {error.code}")
        return f"TwilioRestException status {error.status}, code {error.code}"
    raise AssertionError("the wrong token was accepted")


@check("twilio: magic number 0429 -> 429 / 20429")
def twilio_rate_limited(host, port, accepted):
    from twilio.base.exceptions import TwilioRestException

    client = twilio_client(host, port, TWILIO_TOKEN)
    try:
        client.messages.create(to="+14155550429", from_="+15017122661", body="x")
    except TwilioRestException as error:
        expect(error.status == 429 and error.code == 20429, f"{error.status} {error.code}")
        return f"TwilioRestException status {error.status}, code {error.code}"
    raise AssertionError("the rate-limited number was accepted")


def twilio_key_client(host, port, secret):
    from twilio.rest import Client

    # An API key: the key's SID and secret for Basic auth, the account SID for the path.
    client = Client(TWILIO_KEY_SID, secret, TWILIO_SID)
    client.api.base_url = f"http://{host}:{port}"
    return client


@check("twilio API key: accepted, sent from a number")
def twilio_key_accepted(host, port, accepted):
    client = twilio_key_client(host, port, TWILIO_KEY_SECRET)
    message = client.messages.create(
        to="+14155550101", from_="+15017122661", body="Your verification code is 123456."
    )
    expect(message.sid.startswith("SM") and len(message.sid) == 34, f"sid {message.sid}")
    expect(message.account_sid == TWILIO_SID, f"account {message.account_sid}")
    accepted["twilio"].append(message.sid)
    return f"sid {message.sid}, status {message.status}"


@check("twilio API key: wrong secret -> 401 / 20003")
def twilio_key_wrong_secret(host, port, accepted):
    from twilio.base.exceptions import TwilioRestException

    client = twilio_key_client(host, port, WRONG)
    try:
        client.messages.create(to="+14155550101", from_="+15017122661", body="x")
    except TwilioRestException as error:
        expect(error.status == 401 and error.code == 20003, f"{error.status} {error.code}")
        return f"TwilioRestException status {error.status}, code {error.code}"
    raise AssertionError("the wrong API key secret was accepted")


# ---------------------------------------------------------------- Aliyun, classic SDK


def aliyun_classic_request(host, number):
    from aliyunsdkdysmsapi.request.v20170525.SendSmsRequest import SendSmsRequest

    request = SendSmsRequest()
    request.set_endpoint(host)
    request.set_protocol_type("http")
    request.set_PhoneNumbers(number)
    request.set_SignName("阿里云短信测试")
    request.set_TemplateCode("SMS_154950909")
    request.set_TemplateParam(json.dumps({"code": "123456", "note": "a b*c~d+e'(f)!/=&"}))
    return request


@check("aliyun classic SDK (RPC HMAC-SHA1): accepted")
def aliyun_classic_accepted(host, port, accepted):
    from aliyunsdkcore.client import AcsClient

    client = AcsClient(ALIYUN_KEY_ID, ALIYUN_SECRET, "cn-hangzhou", port=port)
    body = json.loads(client.do_action_with_exception(aliyun_classic_request(host, "13800138000")))
    expect(body.get("Code") == "OK", body)
    accepted["aliyun"].append(body["BizId"])
    return f"Code OK, BizId {body['BizId']}"


@check("aliyun classic SDK: wrong secret rejected")
def aliyun_classic_wrong_secret(host, port, accepted):
    from aliyunsdkcore.acs_exception.exceptions import ServerException
    from aliyunsdkcore.client import AcsClient

    client = AcsClient(ALIYUN_KEY_ID, WRONG, "cn-hangzhou", port=port)
    try:
        client.do_action_with_exception(aliyun_classic_request(host, "13800138000"))
    except ServerException as error:
        # The gateway answers SignatureDoesNotMatch with its string to sign; the classic SDK
        # compares it with its own and, when equal, reports InvalidAccessKeySecret.
        code = error.get_error_code()
        expect(
            error.get_http_status() == 400
            and code in ("SignatureDoesNotMatch", "InvalidAccessKeySecret"),
            f"{error.get_http_status()} {code}",
        )
        return f"ServerException HTTP {error.get_http_status()}, code {code}"
    raise AssertionError("the wrong secret was accepted")


# ---------------------------------------------------------------- Aliyun, current SDK


def aliyun_client(host, port, secret, algorithm=None):
    from alibabacloud_dysmsapi20170525.client import Client
    from alibabacloud_tea_openapi import models as open_api_models

    config = open_api_models.Config(
        access_key_id=ALIYUN_KEY_ID,
        access_key_secret=secret,
        endpoint=f"{host}:{port}",
        protocol="http",
    )
    if algorithm:
        config.signature_algorithm = algorithm
    return Client(config)


def aliyun_send(client, number):
    from alibabacloud_dysmsapi20170525 import models

    return client.send_sms(
        models.SendSmsRequest(
            phone_numbers=number,
            sign_name="阿里云短信测试",
            template_code="SMS_154950909",
            template_param=json.dumps({"code": "654321"}),
        )
    )


def make_aliyun_checks(label, algorithm):
    @check(f"aliyun alibabacloud_dysmsapi20170525 ({label}): accepted")
    def accepted_check(host, port, accepted):
        response = aliyun_send(aliyun_client(host, port, ALIYUN_SECRET, algorithm), "13800138001")
        expect(response.body.code == "OK", response.body.to_map())
        accepted["aliyun"].append(response.body.biz_id)
        return f"Code OK, BizId {response.body.biz_id}"

    @check(f"aliyun alibabacloud_dysmsapi20170525 ({label}): wrong secret -> SignatureDoesNotMatch")
    def wrong_secret_check(host, port, accepted):
        try:
            aliyun_send(aliyun_client(host, port, WRONG, algorithm), "13800138001")
        except Exception as error:
            code = getattr(error, "code", None)
            expect(code == "SignatureDoesNotMatch", f"{type(error).__name__} code {code}: {error}")
            return f"{type(error).__name__} code {code}"
        raise AssertionError("the wrong secret was accepted")

    @check(f"aliyun alibabacloud_dysmsapi20170525 ({label}): magic number 0402 -> isv.AMOUNT_NOT_ENOUGH")
    def quota_check(host, port, accepted):
        response = aliyun_send(aliyun_client(host, port, ALIYUN_SECRET, algorithm), "13800130402")
        expect(response.body.code == "isv.AMOUNT_NOT_ENOUGH", response.body.to_map())
        return f"HTTP 200, Code {response.body.code}"

    return [accepted_check, wrong_secret_check, quota_check]


# ---------------------------------------------------------------- Tencent


def tencent_client(host, port, key):
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.sms.v20210111 import sms_client

    profile = ClientProfile(httpProfile=HttpProfile(endpoint=f"{host}:{port}", protocol="http"))
    return sms_client.SmsClient(credential.Credential(TENCENT_ID, key), "ap-guangzhou", profile)


def tencent_send(client, number):
    from tencentcloud.sms.v20210111 import models

    request = models.SendSmsRequest()
    request.PhoneNumberSet = [number]
    request.SmsSdkAppId = TENCENT_APP
    request.SignName = "腾讯云"
    request.TemplateId = "1110"
    request.TemplateParamSet = ["123456"]
    return client.SendSms(request)


@check("tencent SDK (TC3-HMAC-SHA256): accepted")
def tencent_accepted(host, port, accepted):
    response = tencent_send(tencent_client(host, port, TENCENT_KEY), "+8613800138000")
    status = response.SendStatusSet[0]
    expect(status.Code == "Ok", response.to_json_string())
    accepted["tencent"].append(status.SerialNo)
    return f"Code Ok, SerialNo {status.SerialNo}"


@check("tencent SDK: wrong secret -> AuthFailure.SignatureFailure")
def tencent_wrong_secret(host, port, accepted):
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
        TencentCloudSDKException,
    )

    try:
        tencent_send(tencent_client(host, port, WRONG), "+8613800138000")
    except TencentCloudSDKException as error:
        expect(error.code == "AuthFailure.SignatureFailure", f"{error.code}: {error.message}")
        return f"TencentCloudSDKException code {error.code}"
    raise AssertionError("the wrong secret was accepted")


@check("tencent SDK: magic number 0429 -> LimitExceeded.PhoneNumberDailyLimit")
def tencent_rate_limited(host, port, accepted):
    response = tencent_send(tencent_client(host, port, TENCENT_KEY), "+8613800130429")
    code = response.SendStatusSet[0].Code
    expect(code == "LimitExceeded.PhoneNumberDailyLimit", response.to_json_string())
    return f"SendStatusSet[0].Code {code}"


# ---------------------------------------------------------------- Vonage


def vonage_client(host, port, **auth):
    import requests.adapters
    from vonage import Auth, HttpClientOptions, Vonage

    class PlainHttp(requests.adapters.HTTPAdapter):
        """The SDK builds https:// URLs only; the simulator serves plain HTTP on loopback."""

        def send(self, request, *args, **kwargs):
            request.url = "http://" + request.url[len("https://"):]
            return super().send(request, *args, **kwargs)

    client = Vonage(Auth(api_key=VONAGE_KEY, **auth), HttpClientOptions(rest_host=f"{host}:{port}"))
    client.http_client._session.mount(f"https://{host}:{port}", PlainHttp())
    return client


def vonage_send(client, to):
    from vonage_sms import SmsMessage

    return client.sms.send(SmsMessage(to=to, from_="AcmeCorp", text="Your verification code is 123456."))


def vonage_rejected(client, to, status):
    from vonage_sms import SmsError

    try:
        vonage_send(client, to)
    except SmsError as error:
        expect(f"error code {status}:" in str(error), str(error))
        return f"SmsError: {error}"
    raise AssertionError("the request was accepted")


@check("vonage SDK (API secret, Basic auth): accepted")
def vonage_secret_accepted(host, port, accepted):
    response = vonage_send(vonage_client(host, port, api_secret=VONAGE_SECRET), "447700900000")
    message = response.messages[0]
    expect(message.status == "0", response.model_dump())
    accepted["vonage"].append(message.message_id)
    return f"status 0, message-id {message.message_id}"


def vonage_signed_send(client, to):
    """A signed send through the SDK's own signing path (`HttpClient.post` with auth type
    `signature`, which adds `api_key`, `timestamp` and `sig` from `Auth.sign_params`).

    Not `client.sms.send`: with a signature secret, vonage-sms 1.2.0 signs the message model
    dumped with its unset optional fields (`&account-ref=None&body=None&...&sig=None`), which
    requests then leaves out of the form, so that signature cannot match the parameters sent
    under Vonage's documented rule; the simulator rightly answers 14 (Invalid Signature).
    """
    from vonage_sms import SmsError

    http = client.http_client
    params = {"to": to, "from": "AcmeCorp", "text": "Your verification code is 123456."}
    response = http.post(http.rest_host, "/sms/json", params, "signature", "form")
    message = response["messages"][0]
    if message["status"] != "0":
        raise SmsError(f"error code {message['status']}: {message.get('error-text')}")
    return message


@check("vonage SDK (signature, HMAC-SHA256, HttpClient.post): accepted")
def vonage_signature_accepted(host, port, accepted):
    client = vonage_client(
        host, port, signature_secret=VONAGE_SIGNATURE_SECRET, signature_method="sha256"
    )
    message = vonage_signed_send(client, "447700900001")
    accepted["vonage"].append(message["message-id"])
    return f"status 0, message-id {message['message-id']}"


@check("vonage SDK (signature, HMAC-SHA256, Sms.send): rejected with 14, its unset fields signed")
def vonage_sms_send_signature(host, port, accepted):
    client = vonage_client(
        host, port, signature_secret=VONAGE_SIGNATURE_SECRET, signature_method="sha256"
    )
    return vonage_rejected(client, "447700900001", 14)


@check("vonage SDK: wrong API secret -> status 4")
def vonage_wrong_secret(host, port, accepted):
    return vonage_rejected(vonage_client(host, port, api_secret=WRONG), "447700900000", 4)


@check("vonage SDK: wrong signature secret -> status 14")
def vonage_wrong_signature(host, port, accepted):
    from vonage_sms import SmsError

    client = vonage_client(host, port, signature_secret=WRONG, signature_method="sha256")
    try:
        vonage_signed_send(client, "447700900000")
    except SmsError as error:
        expect("error code 14:" in str(error), str(error))
        return f"SmsError: {error}"
    raise AssertionError("the wrong signature secret was accepted")


@check("vonage SDK: magic number 0429 -> status 1")
def vonage_rate_limited(host, port, accepted):
    return vonage_rejected(vonage_client(host, port, api_secret=VONAGE_SECRET), "447700900429", 1)


# ---------------------------------------------------------------- AWS SNS


def sns_client(endpoint, key_id=AWS_KEY_ID, secret=AWS_SECRET, token=None):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "sns",
        endpoint_url=endpoint,
        region_name=AWS_REGION,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        aws_session_token=token,
        # One attempt: a throttled answer is checked as it comes, not retried.
        config=Config(retries={"total_max_attempts": 1}),
    )


def sns_publish(client, number):
    return client.publish(
        PhoneNumber=number,
        Message="Your verification code is 123456.",
        MessageAttributes={
            "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
            "AWS.SNS.SMS.SenderID": {"DataType": "String", "StringValue": "AcmeCorp"},
        },
    )


def sns_rejected(client, number, status, code):
    from botocore.exceptions import ClientError

    try:
        sns_publish(client, number)
    except ClientError as error:
        got = (error.response["ResponseMetadata"]["HTTPStatusCode"], error.response["Error"]["Code"])
        expect(got == (status, code), f"{got}: {error}")
        return f"ClientError HTTP {got[0]}, {got[1]}: {error.response['Error'].get('Message')}"
    raise AssertionError("the request was accepted")


def sns_accepted(client, number, accepted, key):
    response = sns_publish(client, number)
    message_id = response["MessageId"]
    expect(response["ResponseMetadata"]["HTTPStatusCode"] == 200, response)
    expect(response["ResponseMetadata"].get("RequestId"), response)
    accepted[key].append(message_id)
    return f"MessageId {message_id}, RequestId {response['ResponseMetadata']['RequestId']}"


@check("aws-sns boto3 (SigV4, long-term key): accepted")
def sns_key_accepted(endpoint, accepted):
    return sns_accepted(sns_client(endpoint), "+12065550100", accepted, "aws-sns")


@check("aws-sns boto3: wrong secret -> 403 SignatureDoesNotMatch")
def sns_wrong_secret(endpoint, accepted):
    return sns_rejected(sns_client(endpoint, secret=WRONG), "+12065550100", 403, "SignatureDoesNotMatch")


@check("aws-sns boto3: unknown access key -> 403 InvalidClientTokenId")
def sns_unknown_key(endpoint, accepted):
    client = sns_client(endpoint, key_id="AKIAUNKNOWN000000000")
    return sns_rejected(client, "+12065550100", 403, "InvalidClientTokenId")


@check("aws-sns boto3: magic number 0429 -> 400 ThrottlingException")
def sns_rate_limited(endpoint, accepted):
    return sns_rejected(sns_client(endpoint), "+12065550429", 400, "ThrottlingException")


@check("aws-sns boto3: a session token the credentials do not have -> 403 InvalidClientTokenId")
def sns_unexpected_token(endpoint, accepted):
    client = sns_client(endpoint, token=AWS_SESSION_TOKEN)
    return sns_rejected(client, "+12065550100", 403, "InvalidClientTokenId")


@check("aws-sns boto3 (temporary credentials, session token): accepted")
def sns_token_accepted(endpoint, accepted):
    client = sns_client(endpoint, key_id=AWS_TEMPORARY_KEY_ID, token=AWS_SESSION_TOKEN)
    return sns_accepted(client, "+12065550101", accepted, "aws-sns-token")


@check("aws-sns boto3 (temporary credentials): no session token -> 403 InvalidClientTokenId")
def sns_token_missing(endpoint, accepted):
    client = sns_client(endpoint, key_id=AWS_TEMPORARY_KEY_ID)
    return sns_rejected(client, "+12065550101", 403, "InvalidClientTokenId")


@check("aws-sns boto3 (temporary credentials): wrong session token -> 403 InvalidClientTokenId")
def sns_token_wrong(endpoint, accepted):
    client = sns_client(endpoint, key_id=AWS_TEMPORARY_KEY_ID, token=WRONG)
    return sns_rejected(client, "+12065550101", 403, "InvalidClientTokenId")
# ---------------------------------------------------------------- HTTP (Standard Webhooks)


def gateway_post(host, port, secret, to):
    """A request to the simulator's gateway, signed by the standardwebhooks library."""
    from datetime import datetime, timezone

    from standardwebhooks import Webhook

    body = json.dumps({"to": to, "type": "SignIn", "text": "Your code is 123456."})
    msg_id = f"msg_sdk_{int(time.time() * 1000)}"
    now = datetime.now(tz=timezone.utc)
    signature = Webhook(secret).sign(msg_id, now, body)
    request = urllib.request.Request(
        f"http://{host}:{port}/sms/send",
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signature,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@check("standardwebhooks: a request it signs is accepted by the simulator's gateway")
def http_signed_accepted(host, port, accepted):
    status, body = gateway_post(host, port, HTTP_SECRET, "+14155550100")
    expect(status == 200, f"{status} {body}")
    accepted["http"].append(body["id"])
    return f"200, id {body['id']}"


@check("standardwebhooks: signed with another secret -> 401")
def http_signed_wrong_secret(host, port, accepted):
    status, body = gateway_post(host, port, HTTP_WRONG_SECRET, "+14155550100")
    expect(status == 401, f"{status} {body}")
    return f"401 {body['error']['message']}"


class Receiver:
    """A service of the operator's, verifying each request with standardwebhooks."""

    def __init__(self, secret):
        import http.server
        import threading

        from standardwebhooks import Webhook

        webhook = Webhook(secret)
        self.verified = []
        self.refused = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    payload = webhook.verify(body, headers)
                except Exception as error:  # WebhookVerificationError and bad headers
                    outer.refused.append(str(error))
                    self.answer(401, {"error": {"message": f"verification failed: {error}"}})
                    return
                outer.verified.append(payload)
                self.answer(200, {"id": f"rcv_{len(outer.verified)}"})

            def answer(self, status, value):
                data = json.dumps(value).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def connector_send(binary, receiver_port, secret):
    """`sms-connector send http-sms` with a config signing with `secret`, to the receiver."""
    import subprocess
    import tempfile

    config = {
        "endpoint": f"http://127.0.0.1:{receiver_port}/hooks/sms",
        "signingSecret": secret,
        "messageIdPointer": "/id",
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(config, file)
    return subprocess.run(
        [binary, "send", "http-sms", "--config", file.name, "--to", "+14155550100",
         "--code", "424242", "--json"],
        capture_output=True, text=True, timeout=60,
    )


def make_receiver_checks(binary):
    @check("standardwebhooks verifies the HTTP connector's request")
    def verified(_host, _port, _accepted):
        receiver = Receiver(HTTP_SECRET)
        try:
            result = connector_send(binary, receiver.port, HTTP_SECRET)
        finally:
            receiver.close()
        expect(result.returncode == 0, result.stdout + result.stderr)
        expect(len(receiver.verified) == 1, receiver.refused)
        payload = receiver.verified[0]
        expect(payload["to"] == "+14155550100" and payload["payload"]["code"] == "424242", payload)
        receipt = json.loads(result.stdout)
        expect(receipt["messageId"] == "rcv_1", receipt)
        return f"verified; receipt {receipt['messageId']}"

    @check("standardwebhooks refuses the connector's request signed with another secret")
    def refused(_host, _port, _accepted):
        receiver = Receiver(HTTP_SECRET)
        try:
            result = connector_send(binary, receiver.port, HTTP_WRONG_SECRET)
        finally:
            receiver.close()
        expect(result.returncode == 1, result.stdout + result.stderr)
        expect(not receiver.verified and len(receiver.refused) == 1, receiver.verified)
        error = json.loads(result.stdout)
        expect(error["code"] == "invalid_config", error)
        return f"exit 1, {error['code']}: {receiver.refused[0]}"

    return verified, refused


# ---------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=4010, help="Twilio's port; Aliyun, Tencent, Vonage, AWS SNS and the HTTP gateway follow"
    )
    parser.add_argument(
        "--sns-token-endpoint",
        help="the SNS endpoint of a second simulator whose AWS credentials have the session token",
    )
    parser.add_argument("--bin", default="target/debug/sms-connector", help="the sms-connector binary, for the HTTP connector's checks")
    args = parser.parse_args()
    host = args.host
    ports = {
        "twilio": args.port,
        "aliyun": args.port + 1,
        "tencent": args.port + 2,
        "vonage": args.port + 3,
        "aws-sns": args.port + 4,
        "http": args.port + 5,
    }
    wait_for(host, ports.values())
    for port in ports.values():
        admin(host, port, "/__admin/reset", method="POST", body={})

    packages = [
        "twilio",
        "aliyun-python-sdk-core",
        "aliyun-python-sdk-dysmsapi",
        "alibabacloud-dysmsapi20170525",
        "alibabacloud-tea-openapi",
        "tencentcloud-sdk-python-common",
        "tencentcloud-sdk-python-sms",
        "vonage",
        "vonage-sms",
        "vonage-http-client",
        "boto3",
        "botocore",
        "standardwebhooks",
    ]
    print("SDK versions: " + ", ".join(f"{p} {version(p)}" for p in packages))

    accepted = {
        "twilio": [],
        "aliyun": [],
        "tencent": [],
        "vonage": [],
        "aws-sns": [],
        "aws-sns-token": [],
        "http": [],
    }
    for fn in (
        twilio_accepted,
        twilio_wrong_secret,
        twilio_rate_limited,
        twilio_key_accepted,
        twilio_key_wrong_secret,
    ):
        fn(host, ports["twilio"], accepted)
    for fn in (aliyun_classic_accepted, aliyun_classic_wrong_secret):
        fn(host, ports["aliyun"], accepted)
    for label, algorithm in (("default ACS3-HMAC-SHA256", None), ("signature_algorithm v2", "v2")):
        for fn in make_aliyun_checks(label, algorithm):
            fn(host, ports["aliyun"], accepted)
    for fn in (tencent_accepted, tencent_wrong_secret, tencent_rate_limited):
        fn(host, ports["tencent"], accepted)
    for fn in (
        vonage_secret_accepted,
        vonage_signature_accepted,
        vonage_sms_send_signature,
        vonage_wrong_secret,
        vonage_wrong_signature,
        vonage_rate_limited,
    ):
        fn(host, ports["vonage"], accepted)
    sns_endpoint = f"http://{host}:{ports['aws-sns']}"
    for fn in (sns_key_accepted, sns_wrong_secret, sns_unknown_key, sns_rate_limited, sns_unexpected_token):
        fn(sns_endpoint, accepted)
    token_endpoint = args.sns_token_endpoint
    if token_endpoint:
        token_port = int(token_endpoint.rsplit(":", 1)[1].rstrip("/"))
        admin(host, token_port, "/__admin/reset", method="POST", body={})
        for fn in (sns_token_accepted, sns_token_missing, sns_token_wrong):
            fn(token_endpoint, accepted)
    for fn in (http_signed_accepted, http_signed_wrong_secret, *make_receiver_checks(args.bin)):
        fn(host, ports["http"], accepted)

    @check("simulator: recorded exactly the accepted messages")
    def recorded(_host, _port, _accepted):
        for provider, port in ports.items():
            ids = sorted(m["messageId"] for m in admin(host, port, "/__admin/messages"))
            expect(ids == sorted(accepted[provider]), f"{provider}: {ids} != {accepted[provider]}")
        if token_endpoint:
            ids = [m["messageId"] for m in admin(host, token_port, "/__admin/messages")]
            expect(ids == accepted["aws-sns-token"], f"aws-sns (token): {ids} != {accepted['aws-sns-token']}")
        return ", ".join(f"{p} {len(ids)}" for p, ids in accepted.items())

    recorded(host, None, accepted)

    failed = 0
    for name, ok, detail in RESULTS:
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    print(f"{len(RESULTS) - failed} of {len(RESULTS)} SDK checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

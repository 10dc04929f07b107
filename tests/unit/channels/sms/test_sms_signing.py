"""Outbound request signing against the providers' own published examples."""

from __future__ import annotations

from chalicelib.channels.sms.aliyun_send import (
    percent_encode,
    signature,
    string_to_sign,
)
from chalicelib.channels.sms.tencent_send import tc3_authorization

ALIYUN_DOC = {  # Aliyun SMS signature doc example (help.aliyun.com/document_detail/56189), GET
    "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123", "PhoneNumbers": "15300000001",
    "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466", "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}', "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
}


def test_aliyun_doc_example_signature() -> None:
    assert signature("GET", ALIYUN_DOC, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_aliyun_string_to_sign_double_encodes_the_query() -> None:
    sts = string_to_sign("GET", ALIYUN_DOC)
    assert sts.startswith("GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms")
    assert "Timestamp%3D2017-07-12T02%253A42%253A19Z" in sts


def test_aliyun_rpc_doc_vector_describe_regions() -> None:
    params = {"Format": "XML", "AccessKeyId": "testid", "Action": "DescribeRegions", "SignatureMethod": "HMAC-SHA1",
              "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0", "Version": "2014-05-26",
              "Timestamp": "2016-02-23T12:46:24Z"}
    assert signature("GET", params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_aliyun_percent_encoding_rules() -> None:
    assert (percent_encode("a b*~"), percent_encode("派")) == ("a%20b%2A~", "%E6%B4%BE")


def test_tencent_tc3_doc_example() -> None:
    payload = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    auth = tc3_authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", service="cvm",
                             host="cvm.tencentcloudapi.com", payload=payload, timestamp=1551113065)
    assert auth == ("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
                    "SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")

"""Progress-page links: SHOUHOU_PUBLIC_URL when set, else the API Gateway host the API was called on."""

from __future__ import annotations

from chalicelib.bootstrap import bootstrap
from chalicelib.settings import Settings


def test_learns_the_gateway_host_when_not_configured():
    deps = bootstrap(Settings())
    deps.learn_public_url("abc.execute-api.cn-north-1.amazonaws.com.cn", "api")
    assert deps.public_url == "https://abc.execute-api.cn-north-1.amazonaws.com.cn/api"


def test_a_configured_public_url_wins():
    deps = bootstrap(Settings(public_url="https://cs.shop.example"))
    deps.learn_public_url("abc.execute-api.us-east-1.amazonaws.com", "api")
    assert deps.public_url == "https://cs.shop.example"

"""The accounts file is validated at start-up with errors naming the entry; logs mask PII and secrets."""

from __future__ import annotations

import logging

import pytest

from chalicelib.accounts import AccountNotFound, AccountsInvalid, hash_token, parse_accounts
from chalicelib.logs import MaskingFilter, mask

GOOD = """
[[api_token]]
token = "0123456789abcdef-token"
shop = "shop-a"
agent = "alice"

[[webhook]]
account = "erp"
shop = "shop-a"
secret = ["whsec_new", "whsec_old"]
"""


def test_tokens_are_kept_only_as_hashes():
    accounts = parse_accounts(GOOD)
    token = accounts.token("0123456789abcdef-token")
    assert token is not None and token.agent == "alice"
    assert token.token_sha256 == hash_token("0123456789abcdef-token")
    assert "0123456789abcdef-token" not in repr(accounts.all("api_token"))
    assert accounts.token("wrong") is None


def test_webhook_secrets_may_rotate():
    assert parse_accounts(GOOD).get("webhook", "erp").secrets == ["whsec_new", "whsec_old"]


def test_unknown_account_raises_not_found():
    with pytest.raises(AccountNotFound):
        parse_accounts(GOOD).get("webhook", "nope")


@pytest.mark.parametrize("text,needle", [
    ('[[webhook]]\naccount = "erp"\nshop = "s"\n', "[[webhook]] #1 (erp): secret: Field required"),
    ('[[wechat]]\naccount = "oa"\nshop = "s"\nkind = "mp"\napp_id="x"\napp_secret="x"\ntoken="x"\n', "[[wechat]] #1 (oa): kind"),
    ('[[nonsense]]\nx = 1\n', "unknown section [[nonsense]]"),
    ('[[webhook]\n', "not valid TOML"),
    ('[[api_token]]\ntoken = "short"\nshop = "s"\n', "[[api_token]] #1"),
])
def test_invalid_entries_name_the_entry_and_key(text, needle):
    with pytest.raises(AccountsInvalid) as err:
        parse_accounts(text, "accounts.toml")
    assert needle in str(err.value)


def test_mask_hides_phones_and_secrets():
    line = mask("phone 13812345678 secret=abc Bearer tok123 whsec_XYZ")
    assert "13812345678" not in line and "138****5678" in line
    assert "abc" not in line and "tok123" not in line and "XYZ" not in line


def test_masking_filter_rewrites_records():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "customer %s wrote", ("13900001111",), None)
    MaskingFilter().filter(record)
    assert record.getMessage() == "customer 139****1111 wrote"

"""One frozen settings object, read from the environment (prefix SHOUHOU_); the only reader of os.environ."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable; every field is documented in the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="SHOUHOU_", frozen=True, extra="ignore")

    stage: str = "local"
    table_name: str = "shouhou"
    inbound_queue_url: str = ""
    outbound_queue_url: str = ""
    scheduler_group: str = "shouhou-sla"
    sla_target_arn: str = ""  # the sla_check Lambda (or, locally, any ARN the firer maps back)
    scheduler_role_arn: str = ""
    accounts_file: str = ""  # local: a TOML file
    accounts_parameter: str = ""  # AWS: an SSM SecureString holding the same TOML
    policy_file: str = ""  # SLA policies; empty = the shipped defaults
    returns_rules_file: str = ""  # return rules; empty = the shipped defaults
    public_url: str = "http://127.0.0.1:8000"  # where customers and channels reach the API
    board_secret: str = ""  # HMAC key for progress-page links; empty = derived per deploy from the table name
    reopen_window_days: int = 7
    webhook_tolerance_s: int = 300
    max_body_bytes: int = 256 * 1024
    seen_ttl_s: int = 7 * 24 * 3600
    message_retention_days: int = 365
    auto_resolve_after_s: int = 24 * 3600  # an automated answer with no follow-up resolves the case
    csat_window_s: int = 48 * 3600  # the survey goes out only while the channel can still reach the customer
    outbound_max_attempts: int = 5
    outbound_backoff_s: int = 30
    queue_shards: int = 8
    wechat_api: str = "https://api.weixin.qq.com"
    wecom_api: str = "https://qyapi.weixin.qq.com"
    douyin_api: str = "https://open.douyin.com"
    doudian_api: str = "https://openapi-fxg.jinritemai.com"
    sms_api_aliyun: str = "https://dysmsapi.aliyuncs.com"
    sms_api_tencent: str = "https://sms.tencentcloudapi.com"
    sms_api_twilio: str = "https://api.twilio.com"
    http_timeout_s: float = Field(default=5.0, gt=0)
    log_level: str = "INFO"

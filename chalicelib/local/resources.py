"""Deploy infra/resources.yaml into a moto server and patch what moto's CloudFormation skips."""

from __future__ import annotations

import time
from pathlib import Path

import boto3

TEMPLATE = Path(__file__).resolve().parents[2] / "infra" / "resources.yaml"
ACCOUNT_ID = "123456789012"  # moto's default account
DUMMY_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
STACK_TIMEOUT_S = 60.0


class StackFailed(RuntimeError):
    """Raised when the infra stack does not reach CREATE_COMPLETE in moto."""


def sla_target_arn(region: str, prefix: str = "", stage: str = "local") -> str:
    """The ARN the sla_check Lambda would have; the local schedule firer maps it back to the handler."""
    return f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{prefix}shouhou-{stage}-sla_check"


def create_resources(endpoint_url: str, region: str = "us-east-1", prefix: str = "") -> dict[str, str]:
    """Create the table, queues, DLQs, scheduler group and role in the moto server at `endpoint_url`.

    One `create_stack` of infra/resources.yaml (names prefixed with `prefix`), then the two things moto's
    CloudFormation does not do: enable TTL on the table and create the schedule group.
    Returns the SHOUHOU_* environment for the app (plus the DLQ URLs, for tests).

    Raises:
        StackFailed: the stack did not reach CREATE_COMPLETE.
    """
    session = boto3.session.Session(region_name=region, **DUMMY_CREDENTIALS)
    cfn = session.client("cloudformation", endpoint_url=endpoint_url)
    stack_name = f"{prefix}shouhou-infra"
    cfn.create_stack(
        StackName=stack_name,
        TemplateBody=TEMPLATE.read_text(encoding="utf-8"),
        Parameters=[{"ParameterKey": "Prefix", "ParameterValue": prefix}],
        Capabilities=["CAPABILITY_NAMED_IAM"],
    )
    outputs = _wait_for_outputs(cfn, stack_name)

    dynamodb = session.client("dynamodb", endpoint_url=endpoint_url)
    dynamodb.update_time_to_live(
        TableName=outputs["TableName"],
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
    )
    scheduler = session.client("scheduler", endpoint_url=endpoint_url)
    scheduler.create_schedule_group(Name=outputs["SchedulerGroupName"])

    # CloudFormation outputs name queues at sqs.<region>.amazonaws.com; ask for URLs at the moto endpoint.
    sqs = session.client("sqs", endpoint_url=endpoint_url)
    urls = {key: _local_queue_url(sqs, outputs[key]) for key in _QUEUE_OUTPUTS}
    return {
        "SHOUHOU_TABLE_NAME": outputs["TableName"],
        "SHOUHOU_INBOUND_QUEUE_URL": urls["InboundQueueUrl"],
        "SHOUHOU_OUTBOUND_QUEUE_URL": urls["OutboundQueueUrl"],
        "SHOUHOU_INBOUND_DLQ_URL": urls["InboundDLQUrl"],
        "SHOUHOU_OUTBOUND_DLQ_URL": urls["OutboundDLQUrl"],
        "SHOUHOU_SCHEDULER_GROUP": outputs["SchedulerGroupName"],
        "SHOUHOU_SLA_TARGET_ARN": sla_target_arn(region, prefix),
        "SHOUHOU_SCHEDULER_ROLE_ARN": outputs["SchedulerRoleArn"],
    }


_QUEUE_OUTPUTS = ("InboundQueueUrl", "OutboundQueueUrl", "InboundDLQUrl", "OutboundDLQUrl")


def _local_queue_url(sqs: object, url: str) -> str:
    return str(sqs.get_queue_url(QueueName=url.rsplit("/", 1)[-1])["QueueUrl"])  # type: ignore[attr-defined]


def _wait_for_outputs(cfn: object, stack_name: str) -> dict[str, str]:
    deadline = time.monotonic() + STACK_TIMEOUT_S
    while True:
        stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]  # type: ignore[attr-defined]
        status = stack["StackStatus"]
        if status == "CREATE_COMPLETE":
            return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
        if status.endswith("FAILED") or status.startswith("ROLLBACK") or time.monotonic() > deadline:
            raise StackFailed(f"{stack_name}: {status} {stack.get('StackStatusReason', '')}".strip())
        time.sleep(0.05)

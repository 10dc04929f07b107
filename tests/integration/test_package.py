"""The deployable package: infra/ deploys into moto as-is, and `make package` yields a SAM template that lints clean.

`chalice package` shells out to `pip download` for requirements.txt, so the packaging test needs PyPI (CI has it).
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from chalicelib.local.resources import create_resources

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REGION = "us-east-1"
# moto's CloudFormation skips these two types; create_resources makes the schedule group itself.
pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse AWS")


@pytest.fixture(scope="module")
def endpoint() -> Any:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="module")
def sam(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What `make package` does, into a temp dir: merge infra/, chalice package, then cfn-lint (asserted 0)."""
    out = tmp_path_factory.mktemp("package")
    merged = out / "merge-template.yaml"
    subprocess.run([sys.executable, "infra/merge.py", str(merged)], cwd=ROOT, check=True)
    env = {"AWS_DEFAULT_REGION": REGION, "PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(out)}
    done = subprocess.run(
        [str(BIN / "chalice"), "package", "--stage", "dev", "--template-format", "yaml",
         "--merge-template", str(merged), str(out / "dist")],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lint = subprocess.run([str(BIN / "cfn-lint"), str(out / "dist" / "sam.yaml")], check=False, capture_output=True,
                          text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    template: dict[str, Any] = yaml.safe_load((out / "dist" / "sam.yaml").read_text())
    template["_zip"] = out / "dist" / "deployment.zip"
    return template


class TestSamTemplate:
    def test_sqs_mappings_report_batch_item_failures(self, sam: dict[str, Any]) -> None:
        res = sam["Resources"]
        for fn, source in (("OnInbound", "OnInboundSqsEventSource"), ("OnOutbound", "OnOutboundSqsEventSource")):
            props = res[fn]["Properties"]["Events"][source]["Properties"]
            assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
            assert props["BatchSize"] == 10
        inbound = res["OnInbound"]["Properties"]["Events"]["OnInboundSqsEventSource"]["Properties"]["Queue"]
        assert inbound["Fn::Sub"].endswith(":shouhou-inbound.fifo")

    def test_functions_get_env_vars_referencing_the_resources(self, sam: dict[str, Any]) -> None:
        for fn in ("APIHandler", "OnInbound", "OnOutbound", "SlaCheck"):
            env = sam["Resources"][fn]["Properties"]["Environment"]["Variables"]
            assert env["SHOUHOU_TABLE_NAME"] == {"Ref": "Table"}
            assert env["SHOUHOU_INBOUND_QUEUE_URL"] == {"Ref": "InboundQueue"}
            assert env["SHOUHOU_OUTBOUND_QUEUE_URL"] == {"Ref": "OutboundQueue"}
            assert env["SHOUHOU_SCHEDULER_ROLE_ARN"] == {"Fn::GetAtt": ["SchedulerRole", "Arn"]}
            assert env["SHOUHOU_ACCOUNTS_PARAMETER"] == {"Ref": "AccountsParameter"}
            assert env["SHOUHOU_STAGE"] == "dev"
            assert "sla_check" in env["SHOUHOU_SLA_TARGET_ARN"]["Fn::Sub"]
        fn_name = sam["Resources"]["SlaCheck"]["Properties"]["FunctionName"]["Fn::Sub"]
        assert sam["Resources"]["OnInbound"]["Properties"]["Environment"]["Variables"]["SHOUHOU_SLA_TARGET_ARN"][
            "Fn::Sub"].endswith(":function:" + fn_name)

    def test_scheduler_role_can_invoke_sla_check_only(self, sam: dict[str, Any]) -> None:
        res = sam["Resources"]
        trust = res["SchedulerRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        assert [s["Principal"] for s in trust] == [{"Service": "scheduler.amazonaws.com"}]
        policy = res["SchedulerInvokePolicy"]["Properties"]
        assert policy["Roles"] == [{"Ref": "SchedulerRole"}]
        (statement,) = policy["PolicyDocument"]["Statement"]
        assert statement["Action"] == "lambda:InvokeFunction"
        assert statement["Resource"][0] == {"Fn::GetAtt": ["SlaCheck", "Arn"]}

    def test_function_roles_carry_the_explicit_least_privilege_policy(self, sam: dict[str, Any]) -> None:
        expected = json.loads((ROOT / ".chalice" / "policy-dev.json").read_text())
        role = sam["Resources"]["OnInbound"]["Properties"]["Role"]["Fn::GetAtt"][0]
        (policy,) = sam["Resources"][role]["Properties"]["Policies"]
        assert policy["PolicyDocument"] == expected
        for statement in expected["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert all("*" not in a for a in actions), statement
            if statement["Sid"] != "DecryptAccountsParameter":  # scoped by kms:ViaService instead
                resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                assert all(r != "*" for r in resources), statement

    def test_policy_names_exactly_the_resources_the_template_creates(self, sam: dict[str, Any]) -> None:
        policy = json.loads((ROOT / ".chalice" / "policy-dev.json").read_text())
        resources = {s["Sid"]: s["Resource"] for s in policy["Statement"]}
        props = {name: r.get("Properties", {}) for name, r in sam["Resources"].items()}
        name = {k: v["Fn::Sub"].replace("${Prefix}", "") for k, v in (
            ("table", props["Table"]["TableName"]), ("inbound", props["InboundQueue"]["QueueName"]),
            ("outbound", props["OutboundQueue"]["QueueName"]), ("group", props["SlaScheduleGroup"]["Name"]),
            ("role", props["SchedulerRole"]["RoleName"]))}
        assert resources["CaseTable"] == [f"arn:aws:dynamodb:*:*:table/{name['table']}",
                                          f"arn:aws:dynamodb:*:*:table/{name['table']}/index/*"]
        assert resources["InboundQueue"].endswith(":" + name["inbound"])
        assert resources["OutboundQueue"].endswith(":" + name["outbound"])
        assert resources["SlaSchedules"].endswith(f":schedule/{name['group']}/*")
        assert resources["PassSchedulerRole"].endswith(":role/" + name["role"])
        assert resources["AccountsParameter"].endswith(":parameter" + sam["Parameters"]["AccountsParameter"]["Default"])

    def test_stateful_resources_are_in_the_template(self, sam: dict[str, Any]) -> None:
        types = {name: r["Type"] for name, r in sam["Resources"].items()}
        assert types["Table"] == "AWS::DynamoDB::Table"
        assert types["SlaScheduleGroup"] == "AWS::Scheduler::ScheduleGroup"
        assert types["InboundDLQAlarm"] == types["OutboundDLQAlarm"] == "AWS::CloudWatch::Alarm"
        assert sam["Resources"]["Table"]["Properties"]["TimeToLiveSpecification"] == {
            "AttributeName": "expires_at", "Enabled": True}

    def test_zip_holds_the_app_but_not_the_local_demo_files(self, sam: dict[str, Any]) -> None:
        import zipfile

        names = set(zipfile.ZipFile(sam["_zip"]).namelist())
        assert "app.py" in names and "chalicelib/settings.py" in names
        assert not any(n.startswith(("local/", "tests/", "infra/")) for n in names)


class TestInfraInMoto:
    def client(self, endpoint: str, service: str) -> Any:
        return boto3.session.Session(region_name=REGION, aws_access_key_id="t", aws_secret_access_key="t").client(
            service, endpoint_url=endpoint)

    def test_create_resources_gives_the_app_everything_it_names(self, endpoint: str) -> None:
        prefix = f"t{uuid.uuid4().hex[:6]}-"
        env = create_resources(endpoint, REGION, prefix=prefix)

        ddb = self.client(endpoint, "dynamodb")
        table = ddb.describe_table(TableName=env["SHOUHOU_TABLE_NAME"])["Table"]
        assert env["SHOUHOU_TABLE_NAME"] == f"{prefix}shouhou"
        assert {k["AttributeName"]: k["KeyType"] for k in table["KeySchema"]} == {"PK": "HASH", "SK": "RANGE"}
        assert sorted(g["IndexName"] for g in table["GlobalSecondaryIndexes"]) == ["GSI1", "GSI2"]
        assert ddb.describe_time_to_live(TableName=env["SHOUHOU_TABLE_NAME"])["TimeToLiveDescription"] == {
            "TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}

        sqs = self.client(endpoint, "sqs")
        inbound = sqs.get_queue_attributes(QueueUrl=env["SHOUHOU_INBOUND_QUEUE_URL"], AttributeNames=["All"])["Attributes"]
        assert inbound["FifoQueue"] == "true" and inbound["ContentBasedDeduplication"] == "false"
        assert int(inbound["VisibilityTimeout"]) >= 6 * 60
        assert json.loads(inbound["RedrivePolicy"])["maxReceiveCount"] == 5
        assert json.loads(inbound["RedrivePolicy"])["deadLetterTargetArn"].endswith(f":{prefix}shouhou-inbound-dlq.fifo")
        outbound = sqs.get_queue_attributes(QueueUrl=env["SHOUHOU_OUTBOUND_QUEUE_URL"], AttributeNames=["All"])["Attributes"]
        assert "FifoQueue" not in outbound
        assert json.loads(outbound["RedrivePolicy"])["deadLetterTargetArn"].endswith(f":{prefix}shouhou-outbound-dlq")
        assert env["SHOUHOU_INBOUND_DLQ_URL"].endswith(f"/{prefix}shouhou-inbound-dlq.fifo")

        scheduler = self.client(endpoint, "scheduler")
        assert scheduler.get_schedule_group(Name=env["SHOUHOU_SCHEDULER_GROUP"])["State"] == "ACTIVE"
        scheduler.create_schedule(
            Name="sla-probe", GroupName=env["SHOUHOU_SCHEDULER_GROUP"], ScheduleExpression="at(2030-01-01T00:00:00)",
            FlexibleTimeWindow={"Mode": "OFF"},
            Target={"Arn": env["SHOUHOU_SLA_TARGET_ARN"], "RoleArn": env["SHOUHOU_SCHEDULER_ROLE_ARN"], "Input": "{}"})
        role = self.client(endpoint, "iam").get_role(RoleName=f"{prefix}shouhou-scheduler-invoke")["Role"]
        assert role["Arn"] == env["SHOUHOU_SCHEDULER_ROLE_ARN"]

    def test_two_prefixes_are_isolated_stacks_in_one_server(self, endpoint: str) -> None:
        a = create_resources(endpoint, REGION, prefix=f"a{uuid.uuid4().hex[:6]}-")
        b = create_resources(endpoint, REGION, prefix=f"b{uuid.uuid4().hex[:6]}-")
        assert set(a.values()).isdisjoint(b.values())

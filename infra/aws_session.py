"""The AWS account the operator's commands act on: credentials and region from the environment
(AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_REGION), checked before anything runs."""
from __future__ import annotations

import boto3
from botocore.exceptions import BotoCoreError, ClientError


class NotReady(Exception):
    """What is missing to act on AWS, in words for the operator."""


def session() -> tuple[boto3.Session, str]:
    """A session with working credentials and a region, and the account it is in; NotReady if not."""
    current = boto3.Session()
    missing = []
    if current.get_credentials() is None:
        missing.append("AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                       "(and AWS_SESSION_TOKEN for temporary ones)")
    if not current.region_name:
        missing.append("an AWS region: set AWS_REGION (e.g. eu-west-1)")
    if missing:
        raise NotReady("cannot reach AWS; missing:\n  - " + "\n  - ".join(missing))
    try:
        account = current.client("sts").get_caller_identity()["Account"]
    except (BotoCoreError, ClientError) as error:
        raise NotReady(f"the AWS credentials in the environment do not work: {error}") from None
    return current, account

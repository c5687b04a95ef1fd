"""Expands template.yaml with the SAM translator (samtranslator, which
cfn-lint installs) offline, as CloudFormation will, and checks the
resource count of the stack against our budget: at most 320 of
CloudFormation's 500 resources a stack (raised from 250 when the
notifications area and the scheduled jobs came, and to 320 for the
inventory area; README, "How the stack
grows", says when the stack is split).

Usage: python3 infra/check_template.py [--budget N]
Prints the count by resource type.
"""
import collections
import os
import sys

import yaml
from samtranslator.translator.transform import transform

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class NoManagedPolicies:
    """The template names managed policies by ARN only, so the translator
    needs no IAM look-ups."""

    def load(self):
        return {}


def main():
    # The translator fills in pseudo parameters such as AWS::Region.
    os.environ.setdefault("AWS_DEFAULT_REGION", "ap-south-1")
    budget = 320
    if len(sys.argv) == 3 and sys.argv[1] == "--budget":
        budget = int(sys.argv[2])
    with open(os.path.join(ROOT, "template.yaml")) as f:
        template = yaml.safe_load(f)
    # As `sam package` does: each local zip becomes an object in S3.
    for res in template["Resources"].values():
        code = res.get("Properties", {}).get("CodeUri")
        if isinstance(code, str) and not code.startswith("s3://"):
            res["Properties"]["CodeUri"] = f"s3://hisaab-artifacts/{code}"
    expanded = transform(template, {}, NoManagedPolicies())
    resources = expanded["Resources"]
    by_type = collections.Counter(r["Type"] for r in resources.values())
    for t, n in sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{n:>5}  {t}")
    print(f"{len(resources):>5}  resources after the SAM transform (budget {budget}, "
          f"CloudFormation's limit 500)")
    if len(resources) > budget:
        sys.exit(f"{len(resources)} resources: over the budget of {budget}")


if __name__ == "__main__":
    main()

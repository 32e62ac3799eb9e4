"""Reading a packaged template as CloudFormation would deploy it: parameters given (or defaulted),
conditions decided, and the intrinsic functions the template uses (Ref, Fn::Sub, Fn::GetAtt,
Fn::If, Fn::Select, Fn::Split, Fn::Join) resolved against a pretend account."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

ACCOUNT, REGION, STACK = "123456789012", "us-east-1", "portico-rehearsal"
NO_VALUE = object()


@dataclass
class Template:
    body: dict
    parameters: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, parameters: dict[str, str] | None = None) -> "Template":
        body = json.loads(path.read_text())
        given = {name: str(spec["Default"]) for name, spec in body.get("Parameters", {}).items() if "Default" in spec}
        return cls(body, {**given, **(parameters or {})})

    @property
    def resources(self) -> dict:
        return self.body["Resources"]

    def of_type(self, kind: str) -> dict[str, dict]:
        return {name: r for name, r in self.resources.items() if r["Type"] == kind}

    def functions(self) -> dict[str, dict]:
        return {name: r["Properties"] for name, r in self.of_type("AWS::Serverless::Function").items()}

    def role_of(self, function: str) -> str:
        return self.functions()[function]["Role"]["Fn::GetAtt"][0]

    def statements(self, role: str) -> list[dict]:
        """The role's policy statements, resolved (those a condition leaves out are gone)."""
        policies = self.resolve(self.resources[role]["Properties"]["Policies"])
        return [s for p in policies for s in p["PolicyDocument"]["Statement"]]

    def environment(self, function: str) -> dict[str, str]:
        return self.resolve(self.functions()[function].get("Environment", {}).get("Variables", {}))

    def condition(self, name: str) -> bool:
        return bool(self.resolve(self.body["Conditions"][name]))

    def resolve(self, value):
        resolved = self._resolve(value)
        return None if resolved is NO_VALUE else resolved

    def _resolve(self, value):
        if isinstance(value, list):
            return [v for v in (self._resolve(item) for item in value) if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, argument), = value.items()
            function = _FUNCTIONS.get(key)
            if function is not None:
                return function(self, argument)
        return {k: v for k, v in ((k, self._resolve(v)) for k, v in value.items()) if v is not NO_VALUE}

    def ref(self, name: str):
        pseudo = {"AWS::AccountId": ACCOUNT, "AWS::Region": REGION, "AWS::Partition": "aws",
                  "AWS::StackName": STACK, "AWS::URLSuffix": "amazonaws.com", "AWS::NoValue": NO_VALUE,
                  "AWS::StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{STACK}/"
                                  "51af3dc0-da77-11e4-872e-1234567db123"}
        if name in pseudo:
            return pseudo[name]
        if name in self.body.get("Parameters", {}):
            return self.parameters[name]
        if self.resources.get(name, {}).get("Type") == "AWS::SQS::Queue":
            return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{STACK}-{name}"   # a queue's Ref: its URL
        return f"{STACK}-{name}"   # a resource's physical id

    def get_att(self, name: str, attribute: str) -> str:
        kind = self.resources[name]["Type"]
        if kind == "AWS::Logs::LogGroup":
            group = self.resolve(self.resources[name]["Properties"]["LogGroupName"])
            return f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group}:*"
        if kind == "AWS::SQS::Queue":
            return {"Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{STACK}-{name}", "QueueName": f"{STACK}-{name}"}[attribute]
        return f"arn:aws:pretend:{REGION}:{ACCOUNT}:{STACK}-{name}"


def _sub(template: Template, argument) -> str:
    text, names = (argument, {}) if isinstance(argument, str) else (argument[0], template.resolve(argument[1]))

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name in names:
            return str(names[name])
        if "." in name:
            return str(template.get_att(*name.split(".", 1)))
        return str(template.ref(name))
    return re.sub(r"\$\{([^}!]+)\}", value, text)


def _if(template: Template, argument):
    condition, yes, no = argument
    return template._resolve(yes if template.condition(condition) else no)


_FUNCTIONS = {
    "Ref": lambda t, name: t.ref(name),
    "Fn::Sub": _sub,
    "Fn::GetAtt": lambda t, arg: t.get_att(*(arg.split(".", 1) if isinstance(arg, str) else arg)),
    "Fn::If": _if,
    "Fn::Equals": lambda t, arg: t.resolve(arg[0]) == t.resolve(arg[1]),
    "Fn::Not": lambda t, arg: not t.resolve(arg[0]),
    "Fn::Or": lambda t, arg: any(t.resolve(a) for a in arg),
    "Fn::And": lambda t, arg: all(t.resolve(a) for a in arg),
    "Condition": lambda t, name: t.condition(name),
    "Fn::Select": lambda t, arg: t.resolve(arg[1])[int(arg[0])],
    "Fn::Split": lambda t, arg: t.resolve(arg[1]).split(arg[0]),
    "Fn::Join": lambda t, arg: arg[0].join(str(v) for v in t.resolve(arg[1])),
}

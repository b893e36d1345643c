"""Runs a sequence of requests with a `requests` Session as the legacy backend's Python clients set it
up (JSON default headers on every request, bodies or not), and prints every answer as JSON.

stdin: {"base": URL, "steps": [...], "vars": {...}, "tokens": {"admin": "..."}}; a step is
{"method", "path" (with {var} placeholders), "json"?, "data"?, "headers"?, "auth": "user"|"admin"|"none",
"capture"?: {var: [key, 0, key...]}}. A captured "token" signs the later "user" steps in.
stdout: [{"status", "headers": {...}, "body": <JSON or null>, "text"}...]
"""
import json
import sys

import requests


def dig(value, path):
    for key in path:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def main():
    plan = json.load(sys.stdin)
    variables = dict(plan.get("vars", {}))
    tokens = dict(plan.get("tokens", {}))
    session = requests.Session()
    session.headers.update({"Content-Type": "application/json", "Accept": "application/json"})
    results = []
    for step in plan["steps"]:
        url = plan["base"] + step["path"].format(**variables)
        headers = dict(step.get("headers", {}))
        token = tokens.get(step.get("auth", "none"))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        kwargs = {"headers": headers, "allow_redirects": False, "timeout": 60}
        if "json" in step:
            kwargs["json"] = step["json"]
        if "data" in step:
            kwargs["data"] = step["data"].encode()
        response = session.request(step["method"], url, **kwargs)
        try:
            body = response.json()
        except ValueError:
            body = None
        for name, path in step.get("capture", {}).items():
            value = dig(body, path)
            if value is not None:
                (tokens if name == "user" else variables)[name] = value
        results.append({
            "status": response.status_code,
            "headers": {k.lower(): v for k, v in response.headers.items()},
            "body": body,
            "text": response.text[:2000],
        })
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A legacy-style client of Ethcast's REST routes, on Python's standard library only.

Drives register -> login -> predict -> list -> get -> delete the way a script written for the old
FastAPI backend would, plus the bearer token the login answer now carries. Prints one JSON summary
line on success; on any unexpected answer prints one line to stderr and exits 1.

    python3 legacy_client.py --url http://127.0.0.1:3000 --username ana --password 'S3cure-passw0rd'
"""
import argparse
import json
import sys
import urllib.error
import urllib.request


class UnexpectedAnswer(Exception):
    pass


def request(base, method, path, body=None, token=None, language=None):
    """Sends JSON, returns (status, parsed JSON answer); HTTP errors are answers too."""
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode("utf-8")
    if token:
        headers["Authorization"] = "Bearer " + token
    if language:
        headers["X-Ethcast-Language"] = language  # Accept-Language does not change the Portuguese
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        raw = error.read().decode("utf-8")
        return error.code, json.loads(raw) if raw else {}


def expect(step, status, answer, wanted_status, keys):
    if status != wanted_status or not all(k in answer for k in keys):
        raise UnexpectedAnswer("%s: HTTP %s %s" % (step, status, json.dumps(answer, ensure_ascii=False)[:300]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--model", default="naive")
    parser.add_argument("--days", type=int, default=3)
    args = parser.parse_args()
    base = args.url.rstrip("/")
    credentials = {"username": args.username, "password": args.password}

    status, root = request(base, "GET", "/")
    expect("root", status, root, 200, ["message"])

    status, registered = request(base, "POST", "/users/register/", credentials)
    expect("register", status, registered, 200, ["message", "user_id"])
    user_id = registered["user_id"]

    status, logged = request(base, "POST", "/users/login/", credentials)
    expect("login", status, logged, 200, ["message", "user", "token"])
    if "password" in logged["user"]:
        raise UnexpectedAnswer("login: the answer carries a password")
    token = logged["token"]

    # The legacy body, as the old frontend sent it.
    legacy_body = {
        "username": args.username,
        "forecast": True,
        "forecast_result": "",
        "days": args.days,
        "user_id": user_id,
    }
    status, predicted = request(base, "POST", "/predicts/predict/" + args.model, legacy_body, token)
    expect("predict", status, predicted, 200, ["status", "data"])
    row = predicted["data"][0]
    points = row["forecast_result"]
    if len(points) != args.days or not all("day" in p and "value" in p for p in points):
        raise UnexpectedAnswer("predict: expected %d points, got %s" % (args.days, json.dumps(points)[:300]))

    status, listed = request(base, "GET", "/predicts/list/", token=token)
    expect("list", status, listed, 200, ["message", "predict"])
    listed_ids = [p["id"] for p in listed["predict"]]

    status, fetched = request(base, "GET", "/predicts/get/%d" % row["id"], token=token)
    expect("get", status, fetched, 200, ["message", "user"])

    status, deleted = request(base, "DELETE", "/predicts/delete/%d" % row["id"], token=token, language="en")
    expect("delete", status, deleted, 200, ["error", "message"])

    status, after = request(base, "GET", "/predicts/list/", token=token)
    if status == 404:  # nothing to list: the legacy backend answered 404, and so does Ethcast
        expect("list after delete", status, after, 404, ["error"])
        after = {"predict": []}
    else:
        expect("list after delete", status, after, 200, ["predict"])

    status, anonymous = request(base, "GET", "/predicts/list/")
    expect("anonymous list", status, anonymous, 401, ["error"])

    print(json.dumps({
        "user_id": user_id,
        "login_message": logged["message"],
        "predict_id": row["id"],
        "model": row["model"],
        "points": points,
        "listed_ids": listed_ids,
        "get_points": len(fetched["user"][0]["forecast_result"]),
        "delete": deleted,
        "listed_after_delete": [p["id"] for p in after["predict"]],
        "anonymous_error": anonymous["error"],
    }, ensure_ascii=False))


if __name__ == "__main__":
    try:
        main()
    except UnexpectedAnswer as error:
        print("legacy_client: %s" % error, file=sys.stderr)
        sys.exit(1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        print("legacy_client: %s" % error, file=sys.stderr)
        sys.exit(1)

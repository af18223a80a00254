"""PyPI authing 5.1.0 (ManagementClient with `host`) against `idconn-sim genauth`.

This SDK fetches a management token first (get-management-token), decodes its JWT payload with
non-urlsafe base64 to read `scoped_userpool_id`, then sends `Bearer` + `x-authing-userpool-id`
(reference/genauth.md §2a, §6). It returns the parsed body whatever the HTTP status.
"""

import sys

from authing import ManagementClient

from sim import Sim, same

KEYS = ["GENAUTH_HOST", "GENAUTH_ACCESS_KEY_ID", "GENAUTH_ACCESS_KEY_SECRET", "GENAUTH_USERPOOL_ID"]


def ok(what, response):
    if response.get("statusCode") != 200:
        raise AssertionError(f"{what}: {response!r}")
    return response["data"]


def story(env):
    client = ManagementClient(
        access_key_id=env["GENAUTH_ACCESS_KEY_ID"],
        access_key_secret=env["GENAUTH_ACCESS_KEY_SECRET"],
        host=env["GENAUTH_HOST"],
    )

    idp = ok("create_ext_idp", client.create_ext_idp(name="Conformance SAML", type="saml"))
    same("create_ext_idp: type", idp["type"], "saml")
    same(
        "the token's scoped_userpool_id reached the SDK",
        client.http_client.token_provider.get_access_token()[1],
        env["GENAUTH_USERPOOL_ID"],
    )

    fields = {
        "samlIdpEntityId": "https://idp.example.com/metadata",
        "samlSsoUrl": "https://idp.example.com/sso",
        "samlIdpCert": "MIIBcert",
    }
    conn = ok(
        "create_ext_idp_conn",
        client.create_ext_idp_conn(
            ext_idp_id=idp["id"],
            type="saml",
            identifier="conformance-saml",
            display_name="Conformance SAML",
            fields=fields,
            login_only=False,
        ),
    )
    same(
        "create_ext_idp_conn: identifier, displayName, loginOnly",
        [conn["identifier"], conn["displayName"], conn["loginOnly"]],
        ["conformance-saml", "Conformance SAML", False],
    )
    same("create_ext_idp_conn: no fields in the answer", "fields" in conn, False)

    duplicate = client.create_ext_idp_conn(
        ext_idp_id=idp["id"], type="saml", identifier="conformance-saml", display_name="Again", fields=fields
    )
    same("create_ext_idp_conn duplicate: envelope statusCode 409", duplicate.get("statusCode"), 409)

    detail = ok("get_ext_idp", client.get_ext_idp(id=idp["id"]))
    stored = [c for c in detail["connections"] if c["id"] == conn["id"]]
    same("get_ext_idp: the connection with its fields", [c["fields"] for c in stored], [fields])

    names = ["Conformance SAML"]
    for i in range(1, 5):
        names.append(ok("create_ext_idp", client.create_ext_idp(name=f"Conformance extra {i}", type="saml"))["name"])
    listed = ok("list_ext_idp", client.list_ext_idp())
    same("list_ext_idp: every source", sorted(s["name"] for s in listed["list"]), sorted(names))
    pages = []
    page = 1
    while True:
        data = ok("list_tenant_ext_idp", client.list_tenant_ext_idp(page=page, limit=2))
        if not data["list"]:
            break
        pages.append([s["name"] for s in data["list"]])
        page += 1
    same("list_tenant_ext_idp: 3 pages of at most 2", [len(p) for p in pages], [2, 2, 1])
    same("list_tenant_ext_idp: every source once", sorted(n for p in pages for n in p), sorted(names))

    updated = ok(
        "update_ext_idp_conn",
        client.update_ext_idp_conn(id=conn["id"], display_name="Renamed", fields={"samlSsoUrl": "https://idp.example.com/sso2"}),
    )
    same("update_ext_idp_conn: displayName", updated["displayName"], "Renamed")
    merged = [c for c in ok("get_ext_idp", client.get_ext_idp(id=idp["id"]))["connections"] if c["id"] == conn["id"]]
    same("update_ext_idp_conn: fields merged", merged[0]["fields"], {**fields, "samlSsoUrl": "https://idp.example.com/sso2"})

    same("delete_ext_idp_conn", ok("delete_ext_idp_conn", client.delete_ext_idp_conn(id=conn["id"])), {"success": True})
    same("delete_ext_idp_conn again: envelope statusCode 404", client.delete_ext_idp_conn(id=conn["id"]).get("statusCode"), 404)
    same("delete_ext_idp", ok("delete_ext_idp", client.delete_ext_idp(id=idp["id"])), {"success": True})
    same("get_ext_idp after delete: envelope statusCode 404", client.get_ext_idp(id=idp["id"]).get("statusCode"), 404)


def throttled(env):
    """Throttling is a real HTTP 429; this SDK returns its envelope as a value (genauth.md §3)."""
    client = ManagementClient(
        access_key_id=env["GENAUTH_ACCESS_KEY_ID"],
        access_key_secret=env["GENAUTH_ACCESS_KEY_SECRET"],
        host=env["GENAUTH_HOST"],
    )
    # The bucket holds 2: the token request and one call; the next call is refused.
    ok("list_ext_idp", client.list_ext_idp())
    refused = client.list_ext_idp()
    same("the next call: envelope statusCode 429 with a message", [refused.get("statusCode"), bool(refused.get("message"))], [429, True])


def run(name, story_fn, args=()):
    print(f"== {name}")
    with Sim("genauth", KEYS, args) as sim:
        try:
            story_fn(sim.env)
        except Exception as error:  # any difference ends the story
            print(f"== {name}: FAILED: {error!r}", file=sys.stderr)
            return False
    print(f"== {name}: passed")
    return True


def main():
    passed = run("authing 5.1.0 (python)", story) and run(
        "authing 5.1.0 (python) under a rate limit", throttled, ["--rate-limit", "2/0.01"]
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

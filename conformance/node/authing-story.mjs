// npm authing-node-sdk 4.0.1 (ManagementClient with `host`) against `idconn-sim genauth`.
//
// This SDK never asks for a management token: it signs every request with HMAC-SHA1 over the
// access key (reference/genauth.md §2a), which the simulator verifies. Errors come back as
// HTTP 200 envelopes with statusCode != 200, which the SDK returns as values.
import { ManagementClient } from "authing-node-sdk";
import { runStory, same, rejects } from "./sim.mjs";

const KEYS = ["GENAUTH_HOST", "GENAUTH_ACCESS_KEY_ID", "GENAUTH_ACCESS_KEY_SECRET"];

await runStory("authing-node-sdk 4.0.1 (node)", "genauth", KEYS, async (env) => {
  const client = new ManagementClient({
    accessKeyId: env.GENAUTH_ACCESS_KEY_ID,
    accessKeySecret: env.GENAUTH_ACCESS_KEY_SECRET,
    host: env.GENAUTH_HOST,
  });
  const ok = (what, response) => {
    if (response.statusCode !== 200) throw new Error(`${what}: ${JSON.stringify(response)}`);
    return response.data;
  };

  // The simulator checks the signature: a wrong secret is refused with apiCode 1300.
  const forger = new ManagementClient({
    accessKeyId: env.GENAUTH_ACCESS_KEY_ID,
    accessKeySecret: "not-the-secret",
    host: env.GENAUTH_HOST,
  });
  const refused = await forger.listExtIdp({});
  same("a wrong access key secret: statusCode 401, apiCode 1300", [refused.statusCode, refused.apiCode], [401, 1300]);

  const idp = ok("createExtIdp", await client.createExtIdp({ name: "Conformance OIDC", type: "oidc" }));
  same("createExtIdp: type", idp.type, "oidc");

  const fields = { clientId: "conformance-client", clientSecret: "conformance-secret", issuerUrl: "https://idp.example.com" };
  const conn = ok(
    "createExtIdpConn",
    await client.createExtIdpConn({
      extIdpId: idp.id,
      type: "oidc",
      identifier: "conformance-oidc",
      displayName: "Conformance OIDC",
      fields,
      loginOnly: true,
    }),
  );
  same("createExtIdpConn: identifier, displayName, loginOnly, extIdpId", [conn.identifier, conn.displayName, conn.loginOnly, conn.extIdpId], ["conformance-oidc", "Conformance OIDC", true, idp.id]);
  same("createExtIdpConn: no fields in the answer", conn.fields, undefined);

  const duplicate = await client.createExtIdpConn({
    extIdpId: idp.id,
    type: "oidc",
    identifier: "conformance-oidc",
    displayName: "Again",
    fields,
  });
  same("createExtIdpConn duplicate: envelope statusCode 409", duplicate.statusCode, 409);
  same("createExtIdpConn duplicate: a message", typeof duplicate.message === "string" && duplicate.message.length > 0, true);

  const detail = ok("getExtIdp", await client.getExtIdp({ id: idp.id }));
  same("getExtIdp: name and type", [detail.name, detail.type], ["Conformance OIDC", "oidc"]);
  const stored = detail.connections.find((c) => c.id === conn.id);
  same("getExtIdp: the connection with its fields", [stored.identifier, stored.fields], ["conformance-oidc", fields]);

  const names = ["Conformance OIDC"];
  for (let i = 1; i <= 4; i++) {
    names.push(ok("createExtIdp", await client.createExtIdp({ name: `Conformance extra ${i}`, type: "oidc" })).name);
  }
  const all = ok("listExtIdp", await client.listExtIdp({}));
  same("listExtIdp: totalCount and every source", [all.totalCount, all.list.map((s) => s.name).sort()], [5, [...names].sort()]);
  const paged = [];
  for (let page = 1; ; page++) {
    const data = ok("listTenantExtIdp", await client.listTenantExtIdp({ page, limit: 2 }));
    same(`listTenantExtIdp page ${page}: totalCount`, data.totalCount, 5);
    if (data.list.length === 0) break;
    paged.push(data.list.map((s) => s.name));
  }
  same("listTenantExtIdp: 3 pages of at most 2", paged.map((p) => p.length), [2, 2, 1]);
  same("listTenantExtIdp: every source once", paged.flat().sort(), [...names].sort());

  const updated = ok(
    "updateExtIdpConn",
    await client.updateExtIdpConn({ id: conn.id, displayName: "Renamed", fields: { clientSecret: "rotated" }, loginOnly: false }),
  );
  same("updateExtIdpConn: displayName and loginOnly", [updated.displayName, updated.loginOnly], ["Renamed", false]);
  const merged = ok("getExtIdp", await client.getExtIdp({ id: idp.id })).connections.find((c) => c.id === conn.id);
  same("updateExtIdpConn: fields merged", merged.fields, { ...fields, clientSecret: "rotated" });

  same("deleteExtIdpConn", ok("deleteExtIdpConn", await client.deleteExtIdpConn({ id: conn.id })), { success: true });
  const after = ok("getExtIdp", await client.getExtIdp({ id: idp.id }));
  same("getExtIdp after delete: no connection", after.connections.length, 0);
  const again = await client.deleteExtIdpConn({ id: conn.id });
  same("deleteExtIdpConn again: envelope statusCode 404", again.statusCode, 404);
  same("deleteExtIdp", ok("deleteExtIdp", await client.deleteExtIdp({ id: idp.id })), { success: true });
  const gone = await client.getExtIdp({ id: idp.id });
  same("getExtIdp after deleteExtIdp: envelope statusCode 404", gone.statusCode, 404);
});

// Throttling is a real HTTP 429, which this SDK (axios) throws as an error carrying the
// envelope (reference/genauth.md §3).
await runStory(
  "authing-node-sdk 4.0.1 (node) under a rate limit",
  "genauth",
  KEYS,
  async (env) => {
    const client = new ManagementClient({
      accessKeyId: env.GENAUTH_ACCESS_KEY_ID,
      accessKeySecret: env.GENAUTH_ACCESS_KEY_SECRET,
      host: env.GENAUTH_HOST,
    });
    same("first call", (await client.listExtIdp({})).statusCode, 200);
    await rejects(
      "second call: AxiosError with HTTP 429 and the envelope",
      client.listExtIdp({}),
      (e) => e.response && e.response.status === 429 && e.response.data.statusCode === 429,
    );
  },
  ["--rate-limit", "1/0.01"],
);

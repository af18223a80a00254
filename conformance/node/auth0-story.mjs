// npm auth0 7.1.0 (ManagementClient) against `idconn-sim auth0`.
//
// ManagementClient hard-codes https://{domain}/api/v2 and https://{domain}/oauth/token, but in
// 7.1.0 it forwards a custom `fetch` to every call and to its token provider, so a `fetch` that
// rewrites https://{domain} to the simulator's http base URL reaches it (reference/auth0.md §7).
import { ManagementClient, ManagementError } from "auth0";
import { runStory, same, rejects } from "./sim.mjs";

const KEYS = ["AUTH0_BASE_URL", "AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"];

/** A ManagementClient whose `fetch` sends its https://{domain} calls to the simulator. */
function client(env) {
  const origin = `https://${env.AUTH0_DOMAIN}`;
  const sent = [];
  const statuses = [];
  const rewrite = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(origin)) throw new Error(`the SDK called an unexpected URL: ${url}`);
    const local = new URL(env.AUTH0_BASE_URL + url.slice(origin.length));
    sent.push(`${(init && init.method) || "GET"} ${local.pathname}${local.search}`);
    const response = await fetch(local, init);
    statuses.push(response.status);
    return response;
  };
  const auth0 = new ManagementClient({
    domain: env.AUTH0_DOMAIN,
    clientId: env.AUTH0_CLIENT_ID,
    clientSecret: env.AUTH0_CLIENT_SECRET,
    fetch: rewrite,
  });
  return { connections: auth0.connections, clients: auth0.clients, sent, statuses };
}

await runStory("auth0 7.1.0 (node)", "auth0", KEYS, async (env) => {
  const { connections, clients, sent } = client(env);

  const options = {
    client_id: "conformance-client",
    client_secret: "conformance-secret",
    issuer: "https://idp.example.com",
    discovery_url: "https://idp.example.com/.well-known/openid-configuration",
    scope: "openid profile email",
    type: "back_channel",
  };
  const created = await connections.create({
    name: "conformance-oidc",
    strategy: "oidc",
    display_name: "Conformance OIDC",
    options,
  });
  same("create: token fetched first", sent[0], "POST /oauth/token");
  same("create: id is con_…", /^con_/.test(created.id), true);
  same("create: name", created.name, "conformance-oidc");
  same("create: strategy", created.strategy, "oidc");
  same("create: display_name", created.display_name, "Conformance OIDC");
  same("create: options.client_secret readable with read:connections_options", created.options.client_secret, "conformance-secret");

  await rejects(
    "create duplicate: ConflictError 409 connection_conflict",
    connections.create({ name: "conformance-oidc", strategy: "oidc", options }),
    (e) => e instanceof ManagementError && e.statusCode === 409 && e.body && e.body.errorCode === "connection_conflict",
  );

  const got = await connections.get(created.id);
  same("get: same connection", [got.id, got.name, got.display_name, got.strategy], [created.id, created.name, created.display_name, "oidc"]);
  same("get: options", got.options.client_id, "conformance-client");

  const names = ["conformance-oidc"];
  for (let i = 1; i <= 4; i++) {
    const extra = await connections.create({ name: `conformance-extra-${i}`, strategy: "oidc", options });
    names.push(extra.name);
  }
  let page = await connections.list({ take: 2 });
  const pages = [page.data.map((c) => c.name)];
  while (page.hasNextPage()) {
    page = await page.getNextPage();
    pages.push(page.data.map((c) => c.name));
  }
  same("list: more than one page of 2", pages.length >= 3 && pages.every((p) => p.length <= 2), true);
  same("list: every connection once", pages.flat().sort(), [...names].sort());
  const listed = [];
  for await (const connection of await connections.list({ take: 3 })) listed.push(connection.name);
  same("list: async iteration over pages", listed.sort(), [...names].sort());
  const saml = await connections.create({
    name: "conformance-saml",
    strategy: "samlp",
    options: { signInEndpoint: "https://idp.example.com/sso", signingCert: "MIIBcert" },
  });
  const oidcOnly = [];
  for await (const connection of await connections.list({ strategy: ["oidc"], take: 50 })) oidcOnly.push(connection.strategy);
  same("list by strategy: oidc only", [oidcOnly.length, new Set(oidcOnly).size, oidcOnly[0]], [names.length, 1, "oidc"]);
  const byName = await connections.list({ name: "conformance-saml" });
  same("list by name", byName.data.map((c) => c.id), [saml.id]);
  const trimmed = await connections.get(created.id, { fields: "id,name", include_fields: true });
  same("get with fields: only those", Object.keys(trimmed).sort(), ["id", "name"]);
  await connections.delete(saml.id);
  same("list: the query the SDK sends", sent.includes("GET /api/v2/connections?include_totals=true&take=2"), true);

  // Applications (POST /clients), then enabled clients: PATCH .../clients and checkpoint
  // pages of GET .../clients.
  const apps = [];
  for (const name of ["app-one", "app-two", "app-three"]) {
    apps.push((await clients.create({ name, app_type: "spa" })).client_id);
  }
  await connections.clients.update(created.id, apps.map((client_id) => ({ client_id, status: true })));
  await connections.clients.update(created.id, [{ client_id: apps[1], status: false }]);
  const enabled = [];
  for await (const client of await connections.clients.get(created.id, { take: 1 })) enabled.push(client.client_id);
  same("enabled clients, paged one at a time", enabled, [apps[0], apps[2]]);

  const updated = await connections.update(created.id, {
    display_name: "Renamed",
    options: { client_id: "conformance-client-2", client_secret: "s2", issuer: "https://idp.example.com", type: "back_channel" },
  });
  same("update: display_name", updated.display_name, "Renamed");
  same("update: options replaced whole", [updated.options.client_id, updated.options.scope], ["conformance-client-2", undefined]);
  const reset = await connections.update(created.id, { show_as_button: true });
  same("update without display_name resets it to the name", reset.display_name, "conformance-oidc");
  await rejects(
    "update of name: 400",
    connections.update(created.id, { name: "other" }),
    (e) => e instanceof ManagementError && e.statusCode === 400,
  );

  await connections.delete(created.id);
  same("delete: sent", sent.includes(`DELETE /api/v2/connections/${created.id}`), true);
  await rejects(
    "get after delete: NotFoundError 404 inexistent_connection",
    connections.get(created.id),
    (e) => e instanceof ManagementError && e.statusCode === 404 && e.body && e.body.errorCode === "inexistent_connection",
  );
  await rejects(
    "update after delete: 404",
    connections.update(created.id, { display_name: "x" }),
    (e) => e instanceof ManagementError && e.statusCode === 404,
  );
});

// The SDK's own retry reads Retry-After / X-RateLimit-Reset (epoch seconds): against a tight
// bucket every call still succeeds, after waiting out the 429s.
await runStory(
  "auth0 7.1.0 (node) under a rate limit",
  "auth0",
  KEYS,
  async (env) => {
    const { connections, statuses } = client(env);
    const started = Date.now();
    for (let i = 0; i < 6; i++) {
      const page = await connections.list({ take: 5 });
      same(`list ${i + 1} answered after any 429s`, Array.isArray(page.data), true);
    }
    same("the simulator answered 429 on the way", statuses.includes(429), true);
    same("the SDK waited for the reset rather than failing", Date.now() - started >= 900, true);
  },
  ["--rate-limit", "3/2"],
);

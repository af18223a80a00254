// npm auth0-deploy-cli 8.44.0 (the programmatic `dump` and `deploy`) against `idconn-sim auth0`:
// an export of clients and connections, one connection changed in the exported files, and an
// import restricted to connections, checked through the Management API.
//
// How deploy-cli reaches the simulator: it has no base-URL setting (its AUTH0_* keys name a
// domain, never a URL). It builds an AuthenticationClient and a ManagementClient of its own
// `auth0` SDK (6.x) from AUTH0_DOMAIN; those hard-code https://{domain}, drop any `fetch` option
// given to them, and call the process's global `fetch` (auth0 6.x `getFetchFn` returns `fetch`
// at request time; its token client binds `globalThis.fetch` when it is built). So this story
// replaces `globalThis.fetch`, for its own process only and before deploy-cli builds a client,
// with one that sends https://{domain}/... to the simulator's base URL and refuses every other
// URL, the same rewrite auth0-story.mjs hands the SDK as a custom `fetch`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { dump, deploy } from "auth0-deploy-cli";
import { runStory, same } from "./sim.mjs";

const KEYS = ["AUTH0_BASE_URL", "AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"];
const realFetch = globalThis.fetch;

/** Routes every https://{domain} call of this process to the simulator; returns the log of calls. */
function routeToSimulator(env) {
  const origin = `https://${env.AUTH0_DOMAIN}`;
  const calls = [];
  globalThis.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(origin + "/")) throw new Error(`deploy-cli called an unexpected URL: ${url}`);
    const method = (init && init.method) || (input instanceof Request ? input.method : "GET");
    const response = await realFetch(env.AUTH0_BASE_URL + url.slice(origin.length), init);
    // The path with ids and queries generalised, so that the story can name the routes.
    const route = new URL(url).pathname.replace(/con_[A-Za-z0-9]+/, "{id}");
    calls.push({ call: `${method.toUpperCase()} ${route}`, status: response.status });
    return response;
  };
  return calls;
}

/** The Management API as the story itself uses it to seed and to check (never rewritten). */
async function managementApi(env) {
  const token = await realFetch(`${env.AUTH0_BASE_URL}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "client_credentials",
      client_id: env.AUTH0_CLIENT_ID,
      client_secret: env.AUTH0_CLIENT_SECRET,
      audience: `https://${env.AUTH0_DOMAIN}/api/v2/`,
    }),
  }).then((r) => r.json());
  return async (method, route, body) => {
    const response = await realFetch(`${env.AUTH0_BASE_URL}/api/v2${route}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${token.access_token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

/** deploy-cli's settings for this simulator; `extra` adds to them. */
function settings(env, extra) {
  return {
    AUTH0_DOMAIN: env.AUTH0_DOMAIN,
    AUTH0_CLIENT_ID: env.AUTH0_CLIENT_ID,
    AUTH0_CLIENT_SECRET: env.AUTH0_CLIENT_SECRET,
    ...extra,
  };
}

/** The distinct calls in `calls`, sorted. */
const routes = (calls) => [...new Set(calls.map((c) => c.call))].sort();

/**
 * Fails unless the simulator served every call: a SCIM configuration's 404 is how the API says
 * a connection has none, every other answer must be a success.
 */
function served(what, calls) {
  const scim = "GET /api/v2/connections/{id}/scim-configuration";
  same(`${what}: every call served`, calls.filter(({ call, status }) => status >= 400 && call !== scim), []);
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, "utf8"));
const byName = (list) => Object.fromEntries(list.map((item) => [item.name, item]));

await runStory("auth0-deploy-cli 8.44.0 (node)", "auth0", KEYS, async (env) => {
  const api = await managementApi(env);
  const calls = routeToSimulator(env);

  // The tenant: two applications, and an OIDC, a SAML and a GitHub connection, the OIDC one
  // enabled for the web shop.
  const shop = await api("POST", "/clients", { name: "Web shop", app_type: "regular_web" });
  const office = await api("POST", "/clients", { name: "Back office", app_type: "spa" });
  const secrets = { "corp-oidc": "oidc-upstream-secret", github: "github-upstream-secret" };
  const seeded = [
    {
      name: "corp-oidc",
      strategy: "oidc",
      display_name: "Corp SSO",
      options: {
        client_id: "corp-client",
        client_secret: secrets["corp-oidc"],
        issuer: "https://idp.example.com",
        authorization_endpoint: "https://idp.example.com/authorize",
        token_endpoint: "https://idp.example.com/token",
        jwks_uri: "https://idp.example.com/jwks",
        scope: "openid email",
        type: "back_channel",
      },
    },
    {
      name: "corp-saml",
      strategy: "samlp",
      display_name: "Corp SAML",
      options: { signInEndpoint: "https://saml.example.com/sso", signingCert: "MIIBcert" },
    },
    {
      name: "github",
      strategy: "github",
      display_name: "GitHub",
      options: { client_id: "github-client", client_secret: secrets.github, scope: ["read:user"] },
    },
  ];
  for (const connection of seeded) await api("POST", "/connections", connection);
  const before = byName(await api("GET", "/connections"));
  await api("PATCH", `/connections/${before["corp-oidc"].id}/clients`, [{ client_id: shop.client_id, status: true }]);

  // Export.
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-cli-story-"));
  try {
    await dump({
      output_folder: folder,
      format: "directory",
      config: settings(env, { AUTH0_INCLUDED_ONLY: ["clients", "connections"] }),
    });
    served("export", calls);
    same("export: the reads it made", routes(calls), [
      "GET /api/v2/clients",
      "GET /api/v2/connections",
      "GET /api/v2/connections-directory-provisionings",
      "GET /api/v2/connections/{id}/clients",
      "GET /api/v2/connections/{id}/scim-configuration",
      "POST /oauth/token",
    ]);
    const files = (kind) => fs.readdirSync(path.join(folder, kind)).sort();
    same("export: one file per connection", files("connections"), ["corp-oidc.json", "corp-saml.json", "github.json"]);
    same("export: one file per application", files("clients"), ["Back office.json", "Web shop.json"]);
    const exported = Object.fromEntries(
      seeded.map((c) => [c.name, readJson(path.join(folder, "connections", `${c.name}.json`))]),
    );
    for (const connection of seeded) {
      const file = exported[connection.name];
      const { client_secret: secret, ...options } = file.options;
      const { client_secret: seededSecret, ...seededOptions } = before[connection.name].options;
      same(`export ${connection.name}: name and strategy`, [file.name, file.strategy], [connection.name, connection.strategy]);
      same(`export ${connection.name}: the simulator's options`, options, seededOptions);
      // deploy-cli writes a keyword in place of a secret, never the secret.
      same(`export ${connection.name}: secret as a keyword`, seededSecret === undefined || /^##\w+##$/.test(secret), true);
    }
    same("export corp-oidc: display_name", exported["corp-oidc"].display_name, "Corp SSO");
    same("export: enabled clients by application name", exported["corp-oidc"].enabled_clients, ["Web shop"]);
    same("export: the web shop application", readJson(path.join(folder, "clients", "Web shop.json")), {
      name: "Web shop",
      app_type: "regular_web",
    });

    // Change one connection in the exported files: a new display name, a wider scope and a
    // second application.
    const changed = exported["corp-oidc"];
    changed.display_name = "Corp single sign-on";
    changed.options.scope = "openid email profile";
    changed.enabled_clients = ["Web shop", "Back office"];
    fs.writeFileSync(path.join(folder, "connections", "corp-oidc.json"), JSON.stringify(changed, null, 2));

    // Import, connections only, nothing deleted; the keywords get the secrets back.
    const keywords = {};
    for (const connection of seeded) {
      const secret = exported[connection.name].options.client_secret;
      if (secret) keywords[secret.slice(2, -2)] = secrets[connection.name];
    }
    calls.length = 0;
    await deploy({
      input_file: folder,
      config: settings(env, {
        AUTH0_INCLUDED_ONLY: ["connections"],
        AUTH0_ALLOW_DELETE: false,
        AUTH0_KEYWORD_REPLACE_MAPPINGS: keywords,
      }),
    });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }

  served("import", calls);
  same("import: the writes it made", routes(calls).filter((c) => !c.startsWith("GET ") && c !== "POST /oauth/token"), [
    "PATCH /api/v2/connections/{id}",
    "PATCH /api/v2/connections/{id}/clients",
  ]);

  // The change landed, nothing was duplicated or deleted, the others kept their settings.
  const after = await api("GET", "/connections");
  same("after import: the same connections, once each", after.map((c) => [c.name, c.id]).sort(), Object.values(before).map((c) => [c.name, c.id]).sort());
  const oidc = byName(after)["corp-oidc"];
  same("after import: display_name", oidc.display_name, "Corp single sign-on");
  same("after import: scope", oidc.options.scope, "openid email profile");
  same("after import: the secret, not its keyword", oidc.options.client_secret, secrets["corp-oidc"]);
  const enabled = await api("GET", `/connections/${oidc.id}/clients`);
  same("after import: enabled for both applications", enabled.clients.map((c) => c.client_id).sort(), [shop.client_id, office.client_id].sort());
  for (const name of ["corp-saml", "github"]) {
    const [was, is] = [before[name], byName(after)[name]];
    same(`after import: ${name} unchanged`, [is.display_name, is.options], [was.display_name, was.options]);
  }
  same("after import: no application added", (await api("GET", "/clients")).length, 2);
});

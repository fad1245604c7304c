// The README's five-minute tour through a TypeScript client generated from
// openapi/openapi.json: types by openapi-typescript (generated/schema.d.ts, never edited),
// calls by openapi-fetch. `tsc --noEmit` (strict) checks every request body, path parameter
// and response field used here against the document; running it checks the server agrees.
//
//   npx openapi-typescript ../../../openapi/openapi.json -o generated/schema.d.ts
//   npx tsc --noEmit && npx tsx tour.ts --doc ../../../openapi/openapi.json \
//     --base-url http://127.0.0.1:8080 [--slug acme]
import { readFileSync } from "node:fs";
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./generated/schema.d.ts";

type Schemas = components["schemas"];

const OPERATOR = { email: "operator@switchboard.local", password: "operator-password-1" } as const;

class TourFailed extends Error {}

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : fallback;
  if (value === undefined) throw new TourFailed(`--${name} is required`);
  return value;
}

function step(title: string): void {
  console.log(`  ts: ${title}`);
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new TourFailed(message);
}

/**
 * The body of an openapi-fetch answer, which must have `status` and a body that is a `name`
 * (for the type checker, and at run time against the document: see `conformance`).
 */
function expect<K extends keyof Schemas>(
  name: K,
  answer: { data?: Schemas[K]; error?: unknown; response: Response },
  status: number,
  what: string,
): Schemas[K] {
  const { data, error, response } = answer;
  if (response.status !== status) {
    throw new TourFailed(
      `${what}: expected HTTP ${status}, got ${response.status}: ${JSON.stringify(error ?? data)}`,
    );
  }
  check(data !== undefined && data !== null, `${what}: HTTP ${status} without a body`);
  const problems: string[] = [];
  conformance({ $ref: `#/components/schemas/${name}` }, data, name, problems);
  if (problems.length > 0) {
    throw new TourFailed(`${what}: the answer does not match the document: ${problems.join("; ")}`);
  }
  return data;
}

// --- runtime conformance ---------------------------------------------------------------------
// The types are erased at run time; so every answer is also checked against its schema in the
// document the types were generated from: required fields present, no undocumented field,
// types, formats, enums and `nullable` as declared.
interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
}
let documentSchemas: Record<string, Schema> = {};

function resolve(schema: Schema): Schema {
  let s = schema;
  while (s.$ref !== undefined) {
    const target = documentSchemas[s.$ref.replace("#/components/schemas/", "")];
    if (target === undefined) throw new TourFailed(`the document has no ${s.$ref}`);
    s = { ...target, nullable: (s.nullable ?? false) || (target.nullable ?? false) };
  }
  if (s.allOf === undefined) return s;
  // allOf: the members' constraints together (the document uses it to wrap one $ref).
  const merged: Schema = { ...s, properties: { ...s.properties }, required: [...(s.required ?? [])] };
  delete merged.allOf;
  for (const member of s.allOf.map(resolve)) {
    for (const [k, v] of Object.entries(member)) {
      if (k === "properties") Object.assign(merged.properties ?? {}, v);
      else if (k === "required") merged.required?.push(...(v as string[]));
      else if (k !== "nullable" && k !== "description") (merged as Record<string, unknown>)[k] = v;
    }
  }
  if (Object.keys(merged.properties ?? {}).length === 0) delete merged.properties;
  return merged;
}

function conformance(schema: Schema, value: unknown, path: string, problems: string[]): void {
  const s = resolve(schema);
  if (value === null) {
    if (!s.nullable && !(s.enum ?? []).includes(null)) problems.push(`${path} is null, not nullable`);
    return;
  }
  if (s.enum !== undefined && !s.enum.includes(value)) problems.push(`${path} = ${JSON.stringify(value)} is not in its enum`);
  const kind = Array.isArray(value) ? "array" : typeof value;
  switch (s.type) {
    case "string":
      if (kind !== "string") problems.push(`${path} is a ${kind}, not a string`);
      else if (s.format === "uuid" && !isUuid(value)) problems.push(`${path} is not a uuid: ${String(value)}`);
      else if (s.format === "date-time" && !isDateTime(value)) problems.push(`${path} is not a date-time: ${String(value)}`);
      return;
    case "integer":
      if (!Number.isInteger(value)) problems.push(`${path} = ${JSON.stringify(value)} is not an integer`);
      return;
    case "number":
      if (kind !== "number") problems.push(`${path} is a ${kind}, not a number`);
      return;
    case "boolean":
      if (kind !== "boolean") problems.push(`${path} is a ${kind}, not a boolean`);
      return;
    case "array":
      if (!Array.isArray(value)) problems.push(`${path} is a ${kind}, not an array`);
      else if (s.items !== undefined) value.forEach((v, i) => conformance(s.items as Schema, v, `${path}[${i}]`, problems));
      return;
  }
  if (s.type === "object" || s.properties !== undefined) {
    if (kind !== "object") {
      problems.push(`${path} is a ${kind}, not an object`);
      return;
    }
    const object = value as Record<string, unknown>;
    for (const name of s.required ?? []) if (!(name in object)) problems.push(`${path}.${name} (required) is missing`);
    for (const [name, v] of Object.entries(object)) {
      const property = s.properties?.[name];
      if (property !== undefined) conformance(property, v, `${path}.${name}`, problems);
      else if (s.properties !== undefined && s.additionalProperties === undefined) problems.push(`${path}.${name} is not documented`);
    }
  }
}

const isUuid = (v: unknown): boolean =>
  typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
const isDateTime = (v: unknown): boolean => typeof v === "string" && !Number.isNaN(Date.parse(v));

/** Runtime checks of a `User` against its schema's required fields and their types. */
function checkUser(u: Schemas["User"], what: string): void {
  check(isUuid(u.id), `${what}.id is not a UUID: ${JSON.stringify(u.id)}`);
  check(typeof u.email === "string" && typeof u.display_name === "string", `${what}: ${JSON.stringify(u)}`);
  check(typeof u.active === "boolean" && typeof u.has_password === "boolean", `${what}: ${JSON.stringify(u)}`);
  check(typeof u.live_chat_permission === "boolean", `${what}.live_chat_permission is not a boolean`);
  check(isDateTime(u.created_at) && isDateTime(u.updated_at), `${what}: bad timestamps`);
  check(u.avatar_url === undefined || u.avatar_url === null || typeof u.avatar_url === "string", `${what}.avatar_url`);
}

async function tour(baseUrl: string, slug: string): Promise<string> {
  const apiUrl = `${baseUrl}/api/v1`;
  const anonymous = createClient<paths>({ baseUrl: apiUrl });
  const asUser = (token: string): Client<paths> =>
    createClient<paths>({ baseUrl: apiUrl, headers: { Authorization: `Bearer ${token}` } });

  async function logIn(body: Schemas["TokenRequest"]): Promise<string> {
    const what = `POST /auth/token as ${body.email}`;
    const token = expect("TokenResponse", await anonymous.POST("/auth/token", { body }), 200, what);
    check(typeof token.access_token === "string" && token.access_token.length > 0, "empty access_token");
    check(token.token_type === "Bearer", `token_type is ${JSON.stringify(token.token_type)}`);
    check(typeof token.expires_in === "number" && token.expires_in > 0, `expires_in is ${token.expires_in}`);
    return token.access_token;
  }

  const ana = { email: `ana@${slug}.example.com`, display_name: "Ana", password: "ana-password-1" };
  const bo = { email: `bo@${slug}.example.com`, display_name: "Bo", password: "bo-password-12" };

  // 1. The operator logs in and creates a tenant with its first admin (its owner).
  step("1. the operator logs in and creates the tenant");
  const operator = asUser(await logIn({ ...OPERATOR }));
  const tenant = expect(
    "CreatedTenant",
    await operator.POST("/platform/tenants", {
      body: { name: "Acme", slug, plan: "select", admin: ana },
    }),
    201,
    "POST /platform/tenants",
  );
  check(tenant.slug === slug && tenant.name === "Acme", `tenant: ${JSON.stringify(tenant)}`);
  check(tenant.plan === "select", `plan is ${JSON.stringify(tenant.plan)}`);
  check(isUuid(tenant.id) && tenant.engagements_used === 0, `tenant: ${JSON.stringify(tenant)}`);
  checkUser(tenant.admin, "tenant.admin");
  check(tenant.admin.email === ana.email, `admin email is ${tenant.admin.email}`);
  check(tenant.admin.role === "owner", `the first admin's role is ${tenant.admin.role}`);

  // 2. The admin logs in (naming the tenant by its slug) and adds an agent.
  step("2. the admin logs in and adds the agent Bo");
  const admin = asUser(await logIn({ tenant: slug, email: ana.email, password: ana.password }));
  const agent = expect(
    "CreatedUser",
    await admin.POST("/users", { body: { ...bo, role: "agent" } }),
    201,
    "POST /users",
  );
  checkUser(agent, "agent");
  check(agent.role === "agent" && agent.email === bo.email, `agent: ${JSON.stringify(agent)}`);
  check(agent.active && agent.has_password, `agent: ${JSON.stringify(agent)}`);
  check(agent.live_chat_permission === false, "a new agent already holds the live-chat permission");

  // 3. Grant Bo the live-chat permission.
  step("3. the admin grants Bo the live-chat permission");
  const granted = expect(
    "User",
    await admin.PUT("/users/{id}/live-chat-permission", { params: { path: { id: agent.id } } }),
    200,
    `PUT /users/${agent.id}/live-chat-permission`,
  );
  checkUser(granted, "granted");
  check(granted.id === agent.id, `the answer is about ${granted.id}, not ${agent.id}`);
  check(granted.live_chat_permission === true, "live_chat_permission is not true after the grant");

  // 4. What happened, as the audit log tells it; and where the plan stands.
  step("4. the audit log and the usage");
  const log = expect("AuditLog", await admin.GET("/audit-log"), 200, "GET /audit-log");
  check(Array.isArray(log.items) && log.items.length > 0, "the audit log is empty");
  const newest: Schemas["AuditEntry"] | undefined = log.items[0];
  check(newest !== undefined, "no items[0]");
  check(typeof newest.action === "string" && newest.action.length > 0, "items[0].action is empty");
  // Newest first: the grant is the last thing the tour did.
  check(
    newest.action === "live_chat_permission.granted",
    `items[0].action is ${JSON.stringify(newest.action)}, not "live_chat_permission.granted"`,
  );
  check(newest.target.id === agent.id, `items[0].target is ${JSON.stringify(newest.target)}`);
  check(newest.actor.kind === "user", `items[0].actor is ${JSON.stringify(newest.actor)}`);
  check(isUuid(newest.id) && isDateTime(newest.created_at), `items[0]: ${JSON.stringify(newest)}`);
  const actions = log.items.map((e) => e.action);
  check(actions.includes("user.created"), `no user.created in the audit log: ${actions.join(", ")}`);
  const usage = expect("Usage", await admin.GET("/usage"), 200, "GET /usage");
  check(usage.plan === "select", `usage.plan is ${usage.plan}`);
  check(usage.engagements_used === 0, `engagements_used is ${usage.engagements_used}`);
  check(usage.live_chat_agents === 1, `live_chat_agents is ${usage.live_chat_agents}`);
  check(usage.engagement_limit === 100, `engagement_limit is ${JSON.stringify(usage.engagement_limit)}`);

  // 5. To chat: publish a dialogue, then read the widget key from the settings.
  step("5. the admin creates and publishes a dialogue, then reads the widget key");
  const request: Schemas["DialogueRequest"] = {
    name: "Sales",
    cards: [{ id: "connect", kind: "live_chat", routing: { mode: "round_robin" } }],
  };
  const dialogue = expect(
    "Dialogue",
    await admin.POST("/dialogues", { body: request }),
    201,
    "POST /dialogues",
  );
  check(isUuid(dialogue.id), `dialogue.id is ${JSON.stringify(dialogue.id)}`);
  check(dialogue.name === "Sales" && dialogue.published === false, `dialogue: ${JSON.stringify(dialogue)}`);
  check(Array.isArray(dialogue.warnings), "dialogue.warnings is not an array");
  const card: Schemas["CardView"] | undefined = dialogue.cards[0];
  check(dialogue.cards.length === 1 && card !== undefined, `cards: ${JSON.stringify(dialogue.cards)}`);
  check(card.id === "connect" && card.kind === "live_chat", `card: ${JSON.stringify(card)}`);
  check(card.routing?.mode === "round_robin", `card.routing: ${JSON.stringify(card.routing)}`);
  const published = expect(
    "Dialogue",
    await admin.POST("/dialogues/{id}/publish", { params: { path: { id: dialogue.id } } }),
    200,
    `POST /dialogues/${dialogue.id}/publish`,
  );
  check(published.id === dialogue.id && published.published, `published: ${JSON.stringify(published)}`);
  check(isDateTime(published.published_at), `published_at is ${JSON.stringify(published.published_at)}`);
  const settings = expect("Settings", await admin.GET("/settings"), 200, "GET /settings");
  check(typeof settings.widget_key === "string" && settings.widget_key.length > 0, "no widget_key in /settings");
  return settings.widget_key;
}

try {
  const document = JSON.parse(readFileSync(arg("doc"), "utf8")) as { components: { schemas: Record<string, Schema> } };
  documentSchemas = document.components.schemas;
  const widgetKey = await tour(arg("base-url").replace(/\/+$/, ""), arg("slug", "acme"));
  console.log(`  ts: tour passed (widget key ${widgetKey})`);
} catch (e) {
  console.error(`ts tour FAILED: ${e instanceof TourFailed ? e.message : e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
}

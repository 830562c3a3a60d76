#!/usr/bin/env node
// The end-to-end checks of several instances, run by scripts/test against what it starts: two
// `leora` instances on one database, each reaching it through PgBouncer in transaction mode
// (DATABASE_POOLER=transaction, DIRECT_URL direct), behind HAProxy, which names the instance that
// answered in an `x-leora-instance` response header. Each check prints `ok - <name>` or
// `not ok - <name>: <why>`; the exit code is non-zero when one failed.
//
//   LEORA_URL=http://127.0.0.1:<balancer> LEORA_INSTANCE_URLS=http://127.0.0.1:<a>,http://127.0.0.1:<b> \
//     node scripts/e2e-instances.mjs
//
// Needs Node.js 20 and the `ws` package of clients/typescript (npm ci there first).
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(fileURLToPath(new URL("../clients/typescript/package.json", import.meta.url)));
const WebSocket = require("ws");

const balancer = process.env.LEORA_URL;
const [a, b] = (process.env.LEORA_INSTANCE_URLS ?? "").split(",");
if (!balancer || !a || !b) {
  console.error("e2e-instances: set LEORA_URL (the balancer) and LEORA_INSTANCE_URLS (two instances, comma-separated)");
  process.exit(2);
}
const tenantSlug = "well-crafted";
const password = "WellCrafted-demo-2026";
const admin = "admin@wellcrafted.example";
const rep = "rep@wellcrafted.example";
// Deliveries one worker holds in flight at once (WorkerConfig::new in
// crates/integrations/src/worker/mod.rs). More than this in flight at one moment means that both
// instances' workers are delivering.
const WORKER_CONCURRENCY = 8;
// Events of each kind: test deliveries (queued straight for the subscription) and password-reset
// events (fanned out by the workers from the outbox).
const EVENTS_PER_KIND = 15;

let failed = 0;
async function check(name, body) {
  try {
    await body();
    console.log(`ok - ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`not ok - ${name}: ${error instanceof Error ? error.message : error}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function graphql(base, query, variables = {}, token) {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  return { status: response.status, body, instance: response.headers.get("x-leora-instance") };
}
// The data of a reply without errors, else an error naming the first one.
function data(reply, what) {
  const error = reply.body.errors?.[0];
  if (error) throw new Error(`${what}: ${error.extensions?.code ?? ""} ${error.message}`);
  return reply.body.data;
}
function errorCode(reply) {
  return reply.body.errors?.[0]?.extensions?.code;
}

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;
const ME = `{ me { user { email } } }`;
async function login(base, email) {
  const reply = await graphql(base, LOGIN, { input: { tenantSlug, email, password } });
  return { ...data(reply, `login as ${email} on ${base}`).login, instance: reply.instance };
}
async function email(base, token) {
  const reply = await graphql(base, ME, {}, token);
  return { email: reply.body.data?.me?.user?.email, code: errorCode(reply), instance: reply.instance };
}

await check("a session begun on one instance is served, rotated and revoked on the other", async () => {
  const first = await login(a, admin);
  assert((await email(b, first.accessToken)).email === admin, `instance B does not serve A's access token`);
  const rotated = data(await graphql(b, REFRESH, { t: first.refreshToken }), "refreshSession on B").refreshSession;
  assert((await email(a, rotated.accessToken)).email === admin, "instance A does not serve the token B rotated");
  const replay = await graphql(a, REFRESH, { t: first.refreshToken });
  assert(errorCode(replay) === "UNAUTHENTICATED", `A accepted the refresh token B had already rotated: ${JSON.stringify(replay.body)}`);
  const after = await email(b, rotated.accessToken);
  assert(after.code === "UNAUTHENTICATED", `after the replay on A, B still serves the session's access token (${after.email ?? after.code})`);
  const revoked = await graphql(b, REFRESH, { t: rotated.refreshToken });
  assert(errorCode(revoked) === "UNAUTHENTICATED", "after the replay on A, B still rotates the session's latest refresh token");
});

await check("through the balancer, a client signs in on one instance and is served by the other", async () => {
  const session = await login(balancer, admin);
  assert(session.instance, "the balancer's reply names no instance (x-leora-instance)");
  const served = new Set([session.instance]);
  for (let attempt = 0; attempt < 4 && served.size < 2; attempt += 1) {
    const me = await email(balancer, session.accessToken);
    assert(me.email === admin, `${me.instance} did not serve the session begun on ${session.instance}: ${me.code}`);
    served.add(me.instance);
  }
  assert(served.size === 2, `every request went to ${[...served]}`);
});

// --- webhooks --------------------------------------------------------------------------------
// A receiver that verifies each request's signature and counts deliveries by event id. It holds
// its first answers until more than one worker's worth of deliveries are in flight at once (or
// HOLD_MS passes: well within the worker's 10 s request timeout, so that no attempt is retried).
const HOLD_MS = 6000;
const receiver = {
  secret: "",
  byEvent: new Map(),
  problems: [],
  held: [],
  mostInFlight: 0,
  released: false,
  firstHeldAt: 0,
  release() {
    this.released = true;
    for (const answer of this.held.splice(0)) answer();
  },
};
const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const eventId = request.headers["x-leora-event-id"];
    const timestamp = request.headers["x-leora-timestamp"];
    const expected = createHmac("sha256", receiver.secret).update(`${timestamp}.${body}`).digest("hex");
    const signatures = String(request.headers["x-leora-signature"] ?? "").split(",").map((part) => part.trim());
    if (!signatures.includes(`v1=${expected}`)) receiver.problems.push(`event ${eventId}: bad signature`);
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      receiver.problems.push(`event ${eventId}: the body is not JSON`);
    }
    if (parsed && parsed.id !== eventId) receiver.problems.push(`event ${eventId}: the body's id is ${parsed.id}`);
    receiver.byEvent.set(eventId, (receiver.byEvent.get(eventId) ?? 0) + 1);
    const answer = () => response.writeHead(200, { "content-length": "0" }).end();
    if (receiver.released) return answer();
    receiver.held.push(answer);
    receiver.firstHeldAt ||= Date.now();
    receiver.mostInFlight = Math.max(receiver.mostInFlight, receiver.held.length);
    if (receiver.held.length > WORKER_CONCURRENCY) receiver.release();
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const holdTimer = setInterval(() => {
  if (!receiver.released && receiver.firstHeldAt && Date.now() - receiver.firstHeldAt > HOLD_MS) receiver.release();
}, 100);

// A `webhookDeliveryUpdated` subscription on one instance, in the graphql-transport-ws protocol,
// keeping the status of each delivery as last heard.
async function listen(base, token, subscriptionId) {
  const socket = new WebSocket(`${base.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws");
  const heard = { statuses: new Map(), closed: null, socket };
  await new Promise((resolve, reject) => {
    socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } })));
    socket.on("error", reject);
    socket.on("close", (code, reason) => {
      heard.closed = `${code} ${reason}`;
      reject(new Error(`the WebSocket closed: ${heard.closed}`));
    });
    socket.on("message", (raw) => {
      const message = JSON.parse(String(raw));
      if (message.type === "connection_ack") {
        socket.send(JSON.stringify({
          id: "deliveries",
          type: "subscribe",
          payload: {
            query: "subscription($id: ID) { webhookDeliveryUpdated(subscriptionId: $id) { id status } }",
            variables: { id: subscriptionId },
          },
        }));
        resolve();
      } else if (message.type === "ping") {
        socket.send(JSON.stringify({ type: "pong" }));
      } else if (message.type === "next") {
        const delivery = message.payload?.data?.webhookDeliveryUpdated;
        if (delivery) heard.statuses.set(delivery.id, delivery.status);
      } else if (message.type === "error") {
        heard.closed = `error ${JSON.stringify(message.payload)}`;
      }
    });
  });
  return heard;
}

async function until(condition, ms) {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await sleep(100);
  return condition();
}

const hook = `http://127.0.0.1:${server.address().port}/hook`;
const staff = await login(a, admin).catch((error) => error);
let deliveries = [];
let listeners = [];
let setupError = staff instanceof Error ? staff : null;
let subscriptionId;
if (!setupError) {
  try {
    const token = staff.accessToken;
    const created = data(
      await graphql(b, `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { secret subscription { id } } }`, {
        input: { url: hook, eventTypes: ["user.password_reset_requested"], description: "scripts/e2e-instances.mjs" },
      }, token),
      "createWebhookSubscription",
    ).createWebhookSubscription;
    receiver.secret = created.secret;
    subscriptionId = created.subscription.id;
    listeners = [await listen(a, token, subscriptionId), await listen(b, token, subscriptionId)];
    // The subscriptions start once their instance has read them.
    await sleep(500);
    const users = data(await graphql(a, `{ users(first: 100) { edges { node { id email } } } }`, {}, token), "users").users.edges;
    const repId = users.find((edge) => edge.node.email === rep)?.node.id;
    assert(repId, `no user ${rep}`);
    // Half the events through each instance, a few requests at a time.
    const requests = [];
    for (let i = 0; i < EVENTS_PER_KIND; i += 1) {
      const base = i % 2 ? a : b;
      requests.push(() => graphql(base, `mutation($id: ID!) { sendTestWebhook(subscriptionId: $id) { id } }`, { id: subscriptionId }, token).then((reply) => data(reply, "sendTestWebhook")));
      requests.push(() => graphql(base, `mutation($id: ID!) { issuePasswordReset(userId: $id) { expiresAt } }`, { id: repId }, token).then((reply) => data(reply, "issuePasswordReset")));
    }
    while (requests.length) await Promise.all(requests.splice(0, 4).map((request) => request()));
    const expected = 2 * EVENTS_PER_KIND;
    const countReceived = () => [...receiver.byEvent.values()].reduce((sum, count) => sum + count, 0);
    await until(() => countReceived() >= expected, 30_000);
    // Two more worker rounds (1 s each), for a duplicate to show.
    await sleep(2500);
    const listed = data(
      await graphql(b, `query($id: ID!) { webhookDeliveries(first: 100, filter: { subscriptionId: $id }) { totalCount edges { node { id eventId status attempts } } } }`, { id: subscriptionId }, token),
      "webhookDeliveries",
    ).webhookDeliveries;
    deliveries = listed.edges.map((edge) => edge.node);
    assert(listed.totalCount === expected, `${listed.totalCount} deliveries were queued, not ${expected}`);
    await until(() => listeners.every((heard) => deliveries.every((delivery) => heard.statuses.get(delivery.id) === "SUCCEEDED")), 5000);
  } catch (error) {
    setupError = error;
  }
}

await check("the webhook workers of both instances deliver at once", async () => {
  if (setupError) throw setupError;
  assert(
    receiver.mostInFlight > WORKER_CONCURRENCY,
    `at most ${receiver.mostInFlight} deliveries were in flight at once, which one worker (of ${WORKER_CONCURRENCY} at a time) can do alone: the other instance's worker delivered nothing`,
  );
});

await check("each event is delivered exactly once, with its id, and signed", async () => {
  if (setupError) throw setupError;
  const events = new Set(deliveries.map((delivery) => delivery.eventId));
  assert(events.size === deliveries.length, `${deliveries.length} deliveries for ${events.size} events`);
  const unfinished = deliveries.filter((delivery) => delivery.status !== "SUCCEEDED" || delivery.attempts !== 1);
  assert(!unfinished.length, `deliveries not succeeded at the first attempt: ${JSON.stringify(unfinished.slice(0, 3))}`);
  const twice = [...receiver.byEvent].filter(([, count]) => count !== 1);
  assert(!twice.length, `events received more than once: ${JSON.stringify(twice.slice(0, 3))}`);
  const missing = [...events].filter((id) => !receiver.byEvent.has(id));
  assert(!missing.length, `events never received: ${missing.slice(0, 3)}`);
  const unknown = [...receiver.byEvent.keys()].filter((id) => !events.has(id));
  assert(!unknown.length, `events received that were not queued: ${unknown.slice(0, 3)}`);
  assert(!receiver.problems.length, receiver.problems.slice(0, 3).join("; "));
});

await check("subscribers on both instances hear every delivery, whichever instance's worker sent it", async () => {
  if (setupError) throw setupError;
  for (const [index, heard] of listeners.entries()) {
    const name = index ? "B" : "A";
    const unheard = deliveries.filter((delivery) => heard.statuses.get(delivery.id) !== "SUCCEEDED");
    assert(!unheard.length, `instance ${name}'s subscriber did not hear ${unheard.length} of ${deliveries.length} deliveries succeed${heard.closed ? ` (${heard.closed})` : ""}`);
  }
});

clearInterval(holdTimer);
receiver.release();
for (const heard of listeners) heard.socket.close();
if (subscriptionId && !(staff instanceof Error)) {
  await graphql(a, `mutation($id: ID!) { deleteWebhookSubscription(id: $id) }`, { id: subscriptionId }, staff.accessToken).catch(() => {});
}
server.close();
process.exit(failed ? 1 : 0);

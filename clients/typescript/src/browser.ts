// GraphiQL in a real browser: headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) opens $LEORA_URL/graphiql, pastes the login mutation into the query editor and
// runs it, reads the access token from the result pane, puts it in the Authorization header
// through GraphiQL's headers editor, runs a products query and expects Well Crafted's three wines
// in the result pane; then runs an orderUpdated subscription (GraphiQL sends the headers as the
// WebSocket's connection_init payload) and expects an order placed meanwhile in the result pane. Saves a screenshot to <repo>/target/graphiql.png (graphiql-failure.png when
// something fails).
//
// The /graphiql page loads React and GraphiQL from the server itself (crates/gateway/assets/
// graphiql/, copied from the versions pinned in this package): any request to another origin is
// refused and fails the test, so it proves the page works with no network beyond the server. It
// also checks the served files are still byte for byte those of node_modules.
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const url = process.env.LEORA_URL ?? "http://127.0.0.1:8080";
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const screenshot = join(repoRoot, "target", "graphiql.png");
const failureScreenshot = join(repoRoot, "target", "graphiql-failure.png");
const wines = ["Cabernet Sauvignon", "Chardonnay", "Pinot Noir"];
const loginMutation = `mutation {
  login(input: {tenantSlug: "well-crafted", email: "admin@wellcrafted.example", password: "WellCrafted-demo-2026"}) {
    accessToken
  }
}`;
const productsQuery = "{ products { edges { node { name } } } }";
const orderSubscription = "subscription { orderUpdated { id orderNumber status } }";
const timeout = 30_000;

const require = createRequire(import.meta.url);

/** The files /graphiql/assets/ serves, by URL name, and where node_modules holds each. */
const vendored: Array<[string, string, string]> = [
  ["react", "react", "umd/react.production.min.js"],
  ["react-dom", "react-dom", "umd/react-dom.production.min.js"],
  ["graphiql", "graphiql", "graphiql.min.js"],
  ["graphiql", "graphiql", "graphiql.min.css"],
];

/** Fails unless each asset the server serves is the pinned package's file, byte for byte. */
async function assetsMatchNodeModules(): Promise<void> {
  const page = await (await fetch(new URL("/graphiql", url))).text();
  for (const [name, pkg, file] of vendored) {
    const manifest = require.resolve(`${pkg}/package.json`);
    const { version } = JSON.parse(await readFile(manifest, "utf8")) as { version: string };
    const base = file.split("/").pop() ?? file;
    const served = base.replace(/^([a-z-]+?)(\.production)?\.min\./, `${name}-${version}$2.min.`);
    if (!page.includes(`/graphiql/assets/${served}`)) {
      throw new Error(`/graphiql does not load ${served}: update crates/gateway/src/http/graphiql.rs to ${pkg}@${version}`);
    }
    const response = await fetch(new URL(`/graphiql/assets/${served}`, url));
    const bytes = Buffer.from(await response.arrayBuffer());
    const pinned = await readFile(join(dirname(manifest), file));
    if (!response.ok || !bytes.equals(pinned)) {
      throw new Error(`/graphiql/assets/${served} is not ${pkg}@${version}'s ${file}: run scripts/vendor-graphiql`);
    }
  }
  console.log("  ok  the served GraphiQL and React are the pinned packages' files");
}

/** The text of a GraphiQL CodeMirror editor found by `selector`. */
function editorValue(page: Page, selector: string): Promise<string> {
  return page.locator(selector).first().evaluate((element) => {
    const editor = (element as HTMLElement & { CodeMirror?: { getValue(): string } }).CodeMirror;
    if (!editor) throw new Error("not a CodeMirror editor");
    return editor.getValue();
  });
}

/** Replaces an editor's text the way a user pastes: focus, select all, insert. */
async function paste(page: Page, selector: string, text: string): Promise<void> {
  const editor = page.locator(selector).first();
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
  const value = await editorValue(page, selector);
  if (value !== text) throw new Error(`the editor ${selector} holds ${JSON.stringify(value)} after pasting ${JSON.stringify(text)}`);
}

/** Runs the query editor's operation (its text contains `marker`) with the Run button and waits
 * until the result pane shows a new result that satisfies `expect`. */
async function execute(page: Page, marker: string, expect: (result: unknown) => boolean, what: string): Promise<unknown> {
  const resultPane = ".result-window .CodeMirror";
  const before = await editorValue(page, resultPane);
  const answered = page.waitForResponse((r) => r.url().endsWith("/graphql") && (r.request().postData() ?? "").includes(marker));
  await page.getByRole("button", { name: /Execute query/ }).click();
  await answered;
  const deadline = Date.now() + timeout;
  let last = "";
  while (Date.now() < deadline) {
    last = await editorValue(page, resultPane);
    if (last !== before) {
      try {
        const result: unknown = JSON.parse(last);
        if (expect(result)) return result;
      } catch {
        // Still being written.
      }
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`${what}: no such result within ${timeout / 1000} s; the result pane shows ${last.slice(0, 500) || "nothing"}`);
}

/** Places a draft order for the first customer and SKU, as `token`'s bearer, over HTTP. */
async function placeOrder(token: string): Promise<string> {
  const ask = async (query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> => {
    const response = await fetch(new URL("/graphql", url), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
    if (body.errors?.length || !body.data) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  // An active account and SKU: other tests (src/smoke.ts) leave deactivated ones behind, which
  // may sort first.
  const found = await ask(
    "{ customers(first: 1, filter: { statuses: [ACTIVE] }) { edges { node { id } } } skus(first: 1, filter: { statuses: [ACTIVE] }) { edges { node { id } } } }",
  );
  const input = {
    customerId: found.customers.edges[0].node.id,
    lines: [{ skuId: found.skus.edges[0].node.id, quantity: 1 }],
    submit: false,
  };
  const placed = await ask("mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }", { input });
  return placed.createOrder.id as string;
}

interface LoginResult {
  data?: { login?: { accessToken?: string } } | null;
  errors?: unknown[];
}
interface ProductsResult {
  data?: { products?: { edges: Array<{ node: { name: string } }> } } | null;
  errors?: unknown[];
}

async function run(context: BrowserContext): Promise<void> {
  const offsite: string[] = [];
  await context.route(/^(https?|wss?):\/\//, (route) => {
    const target = new URL(route.request().url());
    if (target.host === new URL(url).host) return route.fallback();
    offsite.push(`the page asked another origin for ${target.href}`);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1400, height: 800 });
  page.setDefaultTimeout(timeout);
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  // GraphiQL asks for the schema on load; remember what the server answered.
  const introspection = page.waitForResponse((r) => r.url().endsWith("/graphql") && r.request().method() === "POST")
    .then((r) => r.json() as Promise<{ errors?: Array<{ message: string }> }>)
    .catch((error: unknown) => ({ errors: [{ message: `no answer to the schema request: ${String(error)}` }] }));

  try {
    const response = await page.goto(new URL("/graphiql", url).toString());
    if (!response?.ok()) throw new Error(`GET /graphiql answered ${response?.status() ?? "nothing"} (is GRAPHIQL_ENABLED off?)`);
    await page.locator(".graphiql-query-editor .CodeMirror").first().waitFor({ state: "visible" });
    console.log("  ok  GraphiQL loaded");

    const schema = await introspection;
    if (schema.errors?.length) {
      throw new Error(`GraphiQL could not load the schema (no docs, no autocompletion): ${schema.errors.map((e) => e.message).join("; ")}`);
    }
    console.log("  ok  GraphiQL loaded the schema");

    await page.getByRole("button", { name: "Headers", exact: true }).click();
    const prefilled = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror";
    const hint = await editorValue(page, prefilled);
    if (!hint.includes("Bearer <accessToken>")) throw new Error(`the headers editor should say where the token goes; it holds ${JSON.stringify(hint)}`);
    console.log("  ok  the headers editor starts with where the token goes (not sent until filled in)");

    await paste(page, ".graphiql-query-editor .CodeMirror", loginMutation);
    const login = (await execute(page, "login", (r) => Boolean((r as LoginResult).data?.login?.accessToken || (r as LoginResult).errors), "login")) as LoginResult;
    const token = login.data?.login?.accessToken;
    if (!token) throw new Error(`login failed in GraphiQL: ${JSON.stringify(login.errors ?? login)}`);
    console.log("  ok  login mutation run in GraphiQL, token read from the result pane");

    const headersEditor = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror";
    await page.locator(headersEditor).first().waitFor({ state: "visible" });
    await paste(page, headersEditor, JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2));
    console.log("  ok  Authorization header set in the headers editor");

    await paste(page, ".graphiql-query-editor .CodeMirror", productsQuery);
    const products = (await execute(page, "products", (r) => Boolean((r as ProductsResult).data?.products || (r as ProductsResult).errors), "products")) as ProductsResult;
    if (!products.data?.products) throw new Error(`products failed in GraphiQL: ${JSON.stringify(products.errors ?? products)}`);
    const names = products.data.products.edges.map((edge) => edge.node.name);
    const shown = await page.locator(".result-window").innerText();
    const missing = wines.filter((wine) => !names.includes(wine) || !shown.includes(wine));
    if (missing.length > 0) throw new Error(`the result pane lacks ${missing.join(", ")} (got ${names.join(", ") || "no products"})`);
    console.log(`  ok  products query shows ${wines.join(", ")}`);

    await paste(page, ".graphiql-query-editor .CodeMirror", orderSubscription);
    // GraphiQL picks the transport from the document it parsed, which lags typing a little: run
    // too soon and the previous query's AST sends the subscription over HTTP.
    await page.waitForTimeout(1_000);
    const socket = page.waitForEvent("websocket");
    const subscribed = socket.then((ws) =>
      ws.waitForEvent("framesent", { predicate: (frame) => String(frame.payload).includes('"subscribe"') }),
    );
    await page.getByRole("button", { name: /Execute query/ }).click();
    await subscribed;
    // The server starts the subscription when it reads the message; give it a moment.
    await page.waitForTimeout(500);
    const order = await placeOrder(token);
    const resultPane = ".result-window .CodeMirror";
    const deadline = Date.now() + timeout;
    let shownResult = "";
    while (!shownResult.includes(order) && Date.now() < deadline) {
      await page.waitForTimeout(100);
      shownResult = await editorValue(page, resultPane);
    }
    if (!shownResult.includes(order)) {
      throw new Error(`the subscription did not show order ${order}; the result pane shows ${shownResult.slice(0, 500) || "nothing"}`);
    }
    console.log("  ok  orderUpdated subscription shows an order placed meanwhile");

    await mkdir(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot });
    console.log(`  ok  screenshot ${screenshot}`);
    if (offsite.length > 0) throw new Error(offsite.join("; "));
  } catch (error) {
    await mkdir(dirname(failureScreenshot), { recursive: true });
    await page.screenshot({ path: failureScreenshot }).catch(() => undefined);
    const extra = [...offsite, ...pageErrors.map((e) => `page error: ${e}`)];
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}${extra.length ? `\n  ${extra.join("\n  ")}` : ""}\n  (screenshot: ${failureScreenshot})`);
  }
}

async function main(): Promise<void> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: install Debian's chromium (apt-get install chromium)`);
  }
  console.log(`browser: ${url}/graphiql in ${chromiumPath}`);
  await assetsMatchNodeModules();
  const profile = await mkdtemp(join(tmpdir(), "leora-chromium-"));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      timeout,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    await run(context);
  } finally {
    await context?.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
  }
  console.log("browser: GraphiQL test passed");
}

main().catch((error: unknown) => {
  console.error(`browser: FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

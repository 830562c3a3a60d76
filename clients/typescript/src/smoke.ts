// Smoke test against a live server (LEORA_URL, default http://127.0.0.1:8080) seeded with the
// Well Crafted demo tenant: staff sign-in and catalog, then a portal buyer's cart → checkout →
// orders, a rep-style createOrder, and the buyer hearing of it over a subscription. Exits non-zero
// with the failing step on any failure.
import WebSocket from "ws";
import { createClient, type Client } from "./client.js";
import { createLiveClient } from "./live.js";
import { check, present, step, stepsPassed } from "./scenario.js";
import {
  AddToCartDocument,
  CartDocument,
  CheckoutCartDocument,
  CreateOrderDocument,
  LoginDocument,
  MeDocument,
  OrderUpdatedDocument,
  OrdersDocument,
  PortalLoginDocument,
  ProductsDocument,
  type ProductsQuery,
} from "./generated/graphql.js";

const url = process.env.LEORA_URL ?? "http://127.0.0.1:8080";
const tenantSlug = "well-crafted";
const password = "WellCrafted-demo-2026";
const admin = "admin@wellcrafted.example";
const buyer = "buyer@harborviewcellars.example";
const wines = ["Cabernet Sauvignon", "Chardonnay", "Pinot Noir"];
const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

type Sku = NonNullable<ProductsQuery["products"]["edges"][number]>["node"]["skus"][number];

/** The SKU with the most stock, so repeated runs against one database keep working. */
function mostAvailable(products: ProductsQuery): Sku {
  const skus = products.products.edges.flatMap((edge) => edge.node.skus);
  const best = skus.reduce<Sku | undefined>((a, b) => (a && a.inventory.available >= b.inventory.available ? a : b), undefined);
  check(best && best.inventory.available >= 2, `no SKU has stock left: ${JSON.stringify(skus.map((s) => [s.code, s.inventory.available]))}`);
  return best;
}

async function main(): Promise<void> {
  console.log(`smoke: ${url}`);
  const anonymous: Client = createClient({ url });

  // Staff: sign in, who am I, the catalog.
  const staffToken = await step(`login as ${admin}`, async () => {
    const login = present((await anonymous.request(LoginDocument, { input: { tenantSlug, email: admin, password } })).login, "login");
    check(login.accessToken.length > 0, "login returned an empty access token");
    return login.accessToken;
  });
  const staff = anonymous.withToken(staffToken);
  await step("me (staff)", async () => {
    const { me } = await staff.request(MeDocument);
    check(me.kind === "USER" && me.user?.email === admin, `me answered ${me.kind} ${me.user?.email}`);
    check(me.tenant.slug === tenantSlug, `me.tenant.slug is ${me.tenant.slug}`);
  });
  await step("a trusted document runs by its id", async () => {
    const byId = createClient({ url, token: staffToken, byDocumentId: true });
    const { me } = await byId.request(MeDocument);
    check(me.user?.email === admin, `me by documentId answered ${me.user?.email}`);
  });
  await step("products lists the three wines", async () => {
    const { products } = await staff.request(ProductsDocument, { first: 50 });
    const names = products.edges.map((edge) => edge.node.name);
    const missing = wines.filter((wine) => !names.includes(wine));
    check(missing.length === 0, `products lacks ${missing.join(", ")} (got ${names.join(", ") || "nothing"})`);
    check(products.edges.every((edge) => edge.node.skus.length > 0), "a wine has no SKU");
  });

  // Portal buyer: sign in, catalog at its own price, cart, checkout, orders.
  const buyerToken = await step(`portalLogin as ${buyer}`, async () => {
    const portalLogin = present((await anonymous.request(PortalLoginDocument, { input: { tenantSlug, email: buyer, password } })).portalLogin, "portalLogin");
    return portalLogin.accessToken;
  });
  const portal = anonymous.withToken(buyerToken);
  const customerId = await step("me (portal user)", async () => {
    const { me } = await portal.request(MeDocument);
    check(me.kind === "PORTAL_USER" && me.portalUser?.email === buyer, `me answered ${me.kind} ${me.portalUser?.email}`);
    check(me.customerId, "a portal user's me has no customerId");
    return me.customerId;
  });
  const sku = await step("products with the customer's price", async () => {
    const products = await portal.request(ProductsDocument, { first: 50, quantity: 2 });
    const sku = mostAvailable(products);
    check(Number(sku.price.unitPrice) > 0, `${sku.code} has price ${sku.price.unitPrice}`);
    return sku;
  });
  await step(`addToCart ${sku.code} x 2`, async () => {
    const { cart: before } = await portal.request(CartDocument);
    const had = before.items.find((item) => item.sku.id === sku.id)?.quantity ?? 0;
    const addToCart = present((await portal.request(AddToCartDocument, { skuId: sku.id, quantity: 2 })).addToCart, "addToCart");
    const item = addToCart.items.find((i) => i.sku.id === sku.id);
    check(item?.quantity === had + 2, `the cart holds ${item?.quantity ?? 0} of ${sku.code}, expected ${had + 2}`);
  });
  const idempotencyKey = `smoke-cart-${run}`;
  const order = await step("checkoutCart with an idempotency key", async () => {
    const { order: placed, cart } = present((await portal.request(CheckoutCartDocument, { input: { idempotencyKey } })).checkoutCart, "checkoutCart");
    check(placed.status === "SUBMITTED", `the order is ${placed.status}`);
    check(placed.lines.some((line) => line.sku.id === sku.id), `the order has no ${sku.code} line`);
    check(Number(placed.total) > 0, `the order total is ${placed.total}`);
    check(cart.items.length === 0, `after checkout the cart still holds ${cart.items.length} item(s)`);
    return placed;
  });
  await step("checkoutCart retried with the same key returns the same order", async () => {
    const { order: again } = present((await portal.request(CheckoutCartDocument, { input: { idempotencyKey } })).checkoutCart, "checkoutCart");
    check(again.id === order.id, `the retry placed ${again.orderNumber}, not ${order.orderNumber}`);
  });
  await step(`orders shows ${order.orderNumber}`, async () => {
    // A page of 20, the API's default: 100 orders with every line (up to 500 each) would cost more
    // than one request may spend (QUERY_TOO_EXPENSIVE; docs/architecture.md, "What a request may cost").
    const { orders } = await portal.request(OrdersDocument, { first: 20, orderBy: { field: "CREATED_AT", direction: "DESC" } });
    check(orders.edges.some((edge) => edge.node.id === order.id), `orders lacks ${order.orderNumber} (${orders.totalCount} order(s))`);
  });

  // Staff: an order placed for the customer, idempotent too.
  await step("createOrder for the customer (staff), idempotent", async () => {
    const input = { customerId, lines: [{ skuId: sku.id, quantity: 1 }], idempotencyKey: `smoke-rep-${run}`, submit: true };
    const first = present((await staff.request(CreateOrderDocument, { input })).createOrder, "createOrder");
    check(first.status === "SUBMITTED", `the order is ${first.status}`);
    const again = present((await staff.request(CreateOrderDocument, { input })).createOrder, "createOrder");
    check(again.id === first.id, `the retry placed ${again.orderNumber}, not ${first.orderNumber}`);
    const { orders } = await portal.request(OrdersDocument, { first: 20, orderBy: { field: "CREATED_AT", direction: "DESC" } });
    check(orders.edges.some((edge) => edge.node.id === first.id), `the buyer does not see ${first.orderNumber}`);
  });

  // The buyer hears of an order placed for its customer over a subscription (WebSocket).
  await step("orderUpdated over WebSocket reaches the buyer", async () => {
    const live = createLiveClient({ url, token: () => buyerToken, webSocketImpl: WebSocket });
    try {
      const updates = live.subscribe(OrderUpdatedDocument, {});
      const first = updates.next();
      // The server starts the subscription when it reads the message; give it a moment.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const input = { customerId, lines: [{ skuId: sku.id, quantity: 1 }], idempotencyKey: `smoke-live-${run}`, submit: false };
      const placed = present((await staff.request(CreateOrderDocument, { input })).createOrder, "createOrder");
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no orderUpdated within 10 s")), 10_000));
      const update = await Promise.race([first, timeout]);
      check(!update.done, "the subscription completed without a message");
      check(update.value.orderUpdated.id === placed.id, `orderUpdated sent ${update.value.orderUpdated.orderNumber}, not ${placed.orderNumber}`);
      check(update.value.orderUpdated.status === "DRAFT", `orderUpdated says ${update.value.orderUpdated.status}`);
      await updates.return?.();
    } finally {
      await live.dispose();
    }
  });

  console.log(`smoke: ${stepsPassed()} steps passed`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`smoke: FAILED after ${stepsPassed()} step(s): ${message}`);
  process.exit(1);
});

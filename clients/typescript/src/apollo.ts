// Apollo Client 4 against a live server (LEORA_URL, default http://127.0.0.1:8080) seeded with the
// Well Crafted demo tenant, set up as a front-end would: an InMemoryCache whose `Query.orders` is
// merged by relayStylePagination, a BatchHttpLink to /graphql, an auth link adding the bearer
// token and an ErrorLink that refreshes the session and retries an operation once when the server
// says TOKEN_EXPIRED. The checks:
//   - the pages of `orders` fetched with fetchMore merge into one list in the cache: no order
//     twice, as many as the server counts, the same ones a plain (non-Apollo) read returns;
//   - two mutations issued at once travel in one HTTP batch; the one that fails (an unknown SKU)
//     rejects with its code while the other's cart is in the cache and is what the server holds;
//   - a portal user reading a staff-only nullable field (`Sku.unitCost`) with errorPolicy "all"
//     gets the rest of the data, that field null and a FORBIDDEN error;
//   - an access token that expired (the server's ACCESS_TOKEN_TTL_SECONDS must be short, at most
//     60 s: scripts/test starts it so), sent with two queries in one batch, is refused once per
//     operation, refreshed once by the error link, and both queries succeed on their one retry;
//   - and Apollo, in development mode, wrote no warning or error to the console throughout.
// Run it with `npm run apollo`: Apollo's development build (its warnings, readable messages) is the
// `development` export condition, which the script passes to Node. Exits non-zero with the failing
// step on any failure.
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, InMemoryCache, version, type ObservableQuery } from "@apollo/client";
import { BatchHttpLink } from "@apollo/client/link/batch-http";
import { SetContextLink } from "@apollo/client/link/context";
import { ErrorLink } from "@apollo/client/link/error";
import { relayStylePagination } from "@apollo/client/utilities";
import { __DEV__ } from "@apollo/client/utilities/environment";
import { print, type FormattedExecutionResult, type GraphQLFormattedError } from "graphql";
import { filter, firstValueFrom, from, map, switchMap, throwError, timeout } from "rxjs";
import { format } from "node:util";
import { createClient } from "./client.js";
import { ScenarioFailure, check, present, step, stepsPassed } from "./scenario.js";
import {
  AddToCartDocument,
  CartDocument,
  CartFieldsFragmentDoc,
  CreateOrderDocument,
  CustomersDocument,
  LoginDocument,
  OrdersPageDocument,
  PortalLoginDocument,
  ProductsDocument,
  RefreshSessionDocument,
  RemoveFromCartDocument,
  SkuCostsDocument,
  UpdateCartItemDocument,
  type CartFieldsFragment,
  type CartQuery,
  type LoginInput,
  type OrdersPageQuery,
  type OrdersPageQueryVariables,
  type ProductsQuery,
} from "./generated/graphql.js";

const url = process.env.LEORA_URL ?? "http://127.0.0.1:8080";
const endpoint = new URL("/graphql", url).toString();
const tenantSlug = "well-crafted";
const password = "WellCrafted-demo-2026";
const admin = "admin@wellcrafted.example";
const rep = "rep@wellcrafted.example";
const buyer = "buyer@harborviewcellars.example";
const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
/** Small pages, so that even the seed's few orders take several. */
const pageSize = 3;
/** The longest access-token lifetime the TOKEN_EXPIRED check will wait out. */
const longestTtlSeconds = 60;

// --- console capture -----------------------------------------------------------------------------
// Apollo reports what it finds wrong ("Missing field … while writing result", "Cache data may be
// lost …") through console.warn and console.error, in development builds only. Everything written
// there during the scenario is kept (not echoed) and fails the last check.
const consoleMessages: string[] = [];
for (const level of ["warn", "error"] as const) {
  console[level] = (...args: unknown[]) => {
    consoleMessages.push(`console.${level}: ${format(...args)}`);
  };
}

// --- the network, observed -----------------------------------------------------------------------
/** One HTTP exchange with /graphql, as the links and the refresh made it. */
interface Exchange {
  /** The operation names in the body, in order. */
  operations: string[];
  /** The body was a JSON array (a batch). */
  batch: boolean;
  authorization: string | null;
  status: number;
  body: string;
}
const exchanges: Exchange[] = [];

/** fetch, recording every exchange (handed to the BatchHttpLink and used by the refresh). */
const observedFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const sent: unknown = JSON.parse(typeof init?.body === "string" ? init.body : "null");
  const operations = (Array.isArray(sent) ? sent : [sent]).map((op) => String((op as { operationName?: unknown } | null)?.operationName ?? "anonymous"));
  exchanges.push({
    operations,
    batch: Array.isArray(sent),
    authorization: new Headers(init?.headers).get("authorization"),
    status: response.status,
    body: await response.clone().text(),
  });
  return response;
};

function describe(list: readonly Exchange[]): string {
  return list.map((e) => `${e.batch ? "[" : ""}${e.operations.join(", ")}${e.batch ? "]" : ""} → ${e.status}`).join("; ");
}

function codes(errors: readonly GraphQLFormattedError[]): string[] {
  return errors.map((e) => String(e.extensions?.code ?? "NO_CODE"));
}

// --- a signed-in session and its Apollo client ---------------------------------------------------
interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
}

/** Whose requests the client makes: the token pair, rotated by refresh(). */
class Session {
  tokens: Tokens | null = null;
  refreshes = 0;
  private refreshing: Promise<void> | null = null;

  /** Rotates the pair. Concurrent callers share one refresh: a refresh token is single use, and
   * presenting it twice ends the whole session. */
  refresh(): Promise<void> {
    this.refreshing ??= this.rotate().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async rotate(): Promise<void> {
    const refreshToken = present(this.tokens, "the session's tokens").refreshToken;
    // A request of its own (the server runs refreshSession in its own transaction and refuses it
    // beside other fields), so not through the batching link; and without the expired token.
    const response = await observedFetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
      body: JSON.stringify({ operationName: "RefreshSession", query: print(RefreshSessionDocument), variables: { refreshToken } }),
    });
    const body = (await response.json()) as FormattedExecutionResult<{ refreshSession: Tokens | null }>;
    if (body.errors?.length || !body.data?.refreshSession) {
      // The query fails with the refresh's errors (SESSION_ENDED: sign in again).
      throw new CombinedGraphQLErrors(body.errors?.length ? body : { errors: [{ message: `refreshSession answered HTTP ${response.status} without tokens` }] });
    }
    this.tokens = body.data.refreshSession;
    this.refreshes += 1;
  }
}

declare module "@apollo/client" {
  interface DefaultContext {
    /** The access token the auth link sent the operation with. */
    bearer?: string;
    /** Set by the error link when it retries an operation after refreshing the session. */
    retriedAfterRefresh?: boolean;
  }
}

/** Operations the server runs in a request of their own. */
const soloOperations = new Set(["Login", "PortalLogin", "RefreshSession"]);
let soloRequests = 0;

function isTokenExpired(error: GraphQLFormattedError): boolean {
  return error.extensions?.code === "UNAUTHENTICATED" && error.extensions.reason === "TOKEN_EXPIRED";
}

function apolloClient(session: Session): ApolloClient {
  const auth = new SetContextLink((context) => {
    if (!session.tokens) return {};
    const bearer = session.tokens.accessToken;
    return { bearer, headers: { ...context.headers, authorization: `Bearer ${bearer}` } };
  });
  const refreshOnExpiry = new ErrorLink(({ error, operation, forward }) => {
    if (!CombinedGraphQLErrors.is(error) || !error.errors.some(isTokenExpired)) return;
    const { bearer, retriedAfterRefresh } = operation.getContext();
    if (retriedAfterRefresh) return; // once: its error goes to the caller
    operation.setContext({ retriedAfterRefresh: true });
    // Sent before another operation's refresh completed: the new token is already there.
    const renewed = bearer === session.tokens?.accessToken ? session.refresh() : Promise.resolve();
    return from(renewed).pipe(switchMap(() => forward(operation)));
  });
  const http = new BatchHttpLink({
    uri: endpoint,
    fetch: observedFetch,
    batchInterval: 20,
    // Operations with the same headers (the same bearer) share a batch; sign-in goes alone.
    batchKey: (operation) =>
      soloOperations.has(operation.operationName ?? "") ? `solo ${++soloRequests}` : JSON.stringify(operation.getContext().headers ?? {}),
  });
  return new ApolloClient({
    link: ApolloLink.from([refreshOnExpiry, auth, http]),
    cache: new InMemoryCache({
      typePolicies: {
        Query: {
          fields: {
            orders: relayStylePagination(["filter", "orderBy"]),
          },
        },
        // Every cart mutation answers the whole cart: its items replace the cached ones (Apollo
        // warns "Cache data may be lost" when a shorter list replaces a longer one unless told so).
        Cart: {
          fields: {
            items: { merge: false },
          },
        },
      },
    }),
  });
}

/** Signs in through Apollo (staff with `login`, a customer's buyer with `portalLogin`). */
async function signIn(kind: "staff" | "portal", email: string): Promise<{ session: Session; client: ApolloClient }> {
  const session = new Session();
  const client = apolloClient(session);
  const input: LoginInput = { tenantSlug, email, password };
  if (kind === "staff") {
    const { data } = await client.mutate({ mutation: LoginDocument, variables: { input } });
    session.tokens = present(data?.login, "login");
  } else {
    const { data } = await client.mutate({ mutation: PortalLoginDocument, variables: { input } });
    session.tokens = present(data?.portalLogin, "portalLogin");
  }
  check(session.tokens.accessToken.length > 0, `signing in as ${email} returned an empty access token`);
  return { session, client };
}

type Sku = NonNullable<ProductsQuery["products"]["edges"][number]>["node"]["skus"][number];

/** The SKU with the most stock, so repeated runs against one database keep working. */
function mostAvailable(products: ProductsQuery): Sku {
  const skus = products.products.edges.flatMap((edge) => edge.node.skus);
  const best = skus.reduce<Sku | undefined>((a, b) => (a && a.inventory.available >= b.inventory.available ? a : b), undefined);
  check(best && best.inventory.available >= 1, `no SKU has stock left: ${JSON.stringify(skus.map((s) => [s.code, s.inventory.available]))}`);
  return best;
}

function quantities(cart: CartFieldsFragment): string {
  return JSON.stringify(
    [...cart.items].sort((a, b) => a.sku.id.localeCompare(b.sku.id)).map((item) => [item.sku.code, item.quantity]),
  );
}

async function main(): Promise<void> {
  console.log(`apollo: ${url} (Apollo Client ${version})`);

  await step("Apollo runs its development build and its warnings are caught", async () => {
    check(__DEV__, "Apollo Client runs its production build, which prints no warnings: run with the development export condition (npm run apollo passes --conditions=development)");
    const probe = new InMemoryCache();
    const incomplete = { cart: { __typename: "Cart", id: "probe", status: "ACTIVE", items: [] } } as unknown as CartQuery;
    probe.writeQuery({ query: CartDocument, data: incomplete });
    const caught = consoleMessages.splice(0);
    check(caught.some((m) => m.includes("Missing field 'expiresAt'")), `writing a result without Cart.expiresAt printed ${JSON.stringify(caught)}, not Apollo's "Missing field" warning`);
  });

  // Signed in first so that its access token expires while the other checks run.
  const expiring = await step(`login as ${rep} (its access token is left to expire)`, () => signIn("staff", rep));
  const signedInAt = Date.now();

  // --- paging ------------------------------------------------------------------------------------
  const staff = await step(`login as ${admin}`, () => signIn("staff", admin));
  const variables: OrdersPageQueryVariables = { first: pageSize, orderBy: { field: "CREATED_AT", direction: "DESC" } };
  await step(`draft orders to page through (${pageSize} a page)`, async () => {
    // Counted without Apollo: a first page in the cache would answer the paged query below.
    const plain = createClient({ url, token: present(staff.session.tokens, "the admin's tokens").accessToken });
    const { orders: counted } = await plain.request(OrdersPageDocument, { ...variables, first: 1 });
    const missing = Math.max(0, 2 * pageSize + 1 - counted.totalCount);
    if (missing === 0) return;
    const { data: customers } = await staff.client.query({ query: CustomersDocument, variables: { first: 1 } });
    const customer = present(customers?.customers.edges[0], "the first customer").node;
    const { data: products } = await staff.client.query({ query: ProductsDocument, variables: { first: 1 } });
    const sku = present(products?.products.edges[0]?.node.skus[0], "the first SKU");
    for (let i = 0; i < missing; i++) {
      const input = { customerId: customer.id, lines: [{ skuId: sku.id, quantity: 1 }], idempotencyKey: `apollo-${run}-${i}`, submit: false };
      const { data } = await staff.client.mutate({ mutation: CreateOrderDocument, variables: { input } });
      check(present(data?.createOrder, "createOrder").status === "DRAFT", "createOrder without submit did not save a draft");
    }
  });
  await step("orders paged with fetchMore merge into one list in the cache", async () => {
    const watched = staff.client.watchQuery({ query: OrdersPageDocument, variables });
    const subscription = watched.subscribe({});
    try {
      const isReady = (r: ObservableQuery.Result<OrdersPageQuery>) => r.dataState === "complete" || r.error !== undefined;
      const first = await firstValueFrom(watched.pipe(filter(isReady)));
      check(!first.error && first.dataState === "complete", `the first page failed: ${first.error?.message}`);
      let page = first.data.orders;
      const total = page.totalCount;
      const fetched = page.edges.map((edge) => edge.node.id);
      let pages = 1;
      while (page.pageInfo.hasNextPage) {
        const after = present(page.pageInfo.endCursor, `page ${pages}'s endCursor`);
        const more = await watched.fetchMore({ variables: { after } });
        page = more.data.orders;
        pages += 1;
        check(page.edges.length > 0, `page ${pages} (after ${after}) is empty but the one before said hasNextPage`);
        fetched.push(...page.edges.map((edge) => edge.node.id));
        check(pages <= Math.ceil(total / pageSize) + 1, `still paging after ${pages} pages of ${pageSize} for ${total} orders`);
      }
      check(pages > 1, `all ${total} orders came in one page of ${pageSize}: nothing was merged`);

      const cached = present(staff.client.readQuery({ query: OrdersPageDocument, variables }), "the cached orders").orders;
      const ids = cached.edges.map((edge) => edge.node.id);
      const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
      check(duplicates.length === 0, `the cache's merged list holds ${duplicates.join(", ")} more than once`);
      check(ids.length === total, `the cache's merged list holds ${ids.length} orders; the server counts ${total}`);
      check(JSON.stringify(ids) === JSON.stringify(fetched), `the cache's merged list is not the pages in order:\n  cache ${ids.join(",")}\n  pages ${fetched.join(",")}`);
      check(cached.pageInfo.hasNextPage === false, "the merged list's pageInfo still says hasNextPage");
      // What a component watching the query renders: the merged list (delivered just after
      // fetchMore settles).
      const shown = await firstValueFrom(
        watched.pipe(
          map((r) => (r.dataState === "complete" ? r.data.orders.edges.map((edge) => edge.node.id) : [])),
          filter((list) => list.length === total),
          timeout({ first: 2_000, with: () => throwError(() => new ScenarioFailure(`the watching query shows ${watched.getCurrentResult().data?.orders?.edges?.length} orders, not ${total}`)) }),
        ),
      );
      check(JSON.stringify(shown) === JSON.stringify(ids), `the watching query shows the orders ${shown.join(",")}, the cache ${ids.join(",")}`);

      // The same list read without Apollo, in pages of 100.
      const plain = createClient({ url, token: present(staff.session.tokens, "the admin's tokens").accessToken });
      const direct: string[] = [];
      let cursor: string | null | undefined;
      do {
        const { orders } = await plain.request(OrdersPageDocument, { ...variables, first: 100, after: cursor ?? null });
        direct.push(...orders.edges.map((edge) => edge.node.id));
        cursor = orders.pageInfo.hasNextPage ? orders.pageInfo.endCursor : undefined;
      } while (cursor);
      check(JSON.stringify(direct) === JSON.stringify(ids), `a plain read of the orders differs from the cache's list:\n  plain ${direct.join(",")}\n  cache ${ids.join(",")}`);
      console.log(`      ${total} orders in ${pages} pages`);
    } finally {
      subscription.unsubscribe();
    }
  });

  // --- one batch, one failing mutation -----------------------------------------------------------
  const portal = await step(`portalLogin as ${buyer}`, () => signIn("portal", buyer));
  const sku = await step("products with the customer's price", async () => {
    const { data } = await portal.client.query({ query: ProductsDocument, variables: { first: 50 } });
    return mostAvailable(present(data, "products"));
  });
  await step(`addToCart ${sku.code} and addToCart of an unknown SKU in one HTTP batch`, async () => {
    const { data: before } = await portal.client.query({ query: CartDocument, fetchPolicy: "network-only" });
    const had = present(before, "cart").cart.items.find((item) => item.sku.id === sku.id)?.quantity ?? 0;
    const unknownSku = crypto.randomUUID();
    const sent = exchanges.length;
    const [failing, valid] = await Promise.allSettled([
      portal.client.mutate({ mutation: AddToCartDocument, variables: { skuId: unknownSku, quantity: 1 } }),
      portal.client.mutate({ mutation: AddToCartDocument, variables: { skuId: sku.id, quantity: 1 } }),
    ]);
    const requests = exchanges.slice(sent);
    check(requests.length === 1 && requests[0]?.batch && requests[0].operations.length === 2, `the two mutations took ${describe(requests)}, not one batch of two`);
    const answer: unknown = JSON.parse(requests[0].body);
    check(requests[0].status === 200 && Array.isArray(answer) && answer.length === 2, `the batch was answered ${requests[0].status}: ${requests[0].body}`);

    check(failing?.status === "rejected", `addToCart of the unknown SKU ${unknownSku} did not fail`);
    const failure: unknown = failing.reason;
    check(CombinedGraphQLErrors.is(failure), `addToCart of an unknown SKU rejected with ${String(failure)}, not GraphQL errors`);
    check(codes(failure.errors).join() === "NOT_FOUND", `addToCart of an unknown SKU failed with ${codes(failure.errors).join(", ")}, expected NOT_FOUND`);
    check(failure.data?.addToCart === null, `the failed addToCart stands as ${JSON.stringify(failure.data)}, not null`);

    check(valid?.status === "fulfilled", `addToCart ${sku.code} failed: ${valid?.status === "rejected" ? String(valid.reason) : ""}`);
    const added = present(valid.value.data?.addToCart, "addToCart");
    check(added.items.find((item) => item.sku.id === sku.id)?.quantity === had + 1, `addToCart answered ${quantities(added)}, expected ${had + 1} of ${sku.code}`);

    const cached = present(
      portal.client.cache.readFragment({ from: added, fragment: CartFieldsFragmentDoc, fragmentName: "CartFields" }),
      `Cart ${added.id} in the cache`,
    );
    check(quantities(cached) === quantities(added), `the cache holds ${quantities(cached)}, the mutation answered ${quantities(added)}`);
    const cachedQuery = present(portal.client.readQuery({ query: CartDocument }), "the cached cart query").cart;
    check(quantities(cachedQuery) === quantities(added), `the cached cart query shows ${quantities(cachedQuery)}, the mutation answered ${quantities(added)}`);

    const fresh = present((await portal.client.query({ query: CartDocument, fetchPolicy: "network-only" })).data, "cart");
    check(fresh.cart.id === added.id, `the server's cart is ${fresh.cart.id}, the mutation answered cart ${added.id}`);
    check(quantities(fresh.cart) === quantities(cached), `the server's cart holds ${quantities(fresh.cart)}, Apollo's cache ${quantities(cached)}`);
    check(!fresh.cart.items.some((item) => item.sku.id === unknownSku), "the cart holds the unknown SKU");

    // Leave the cart as it was.
    if (had === 0) await portal.client.mutate({ mutation: RemoveFromCartDocument, variables: { skuId: sku.id } });
    else await portal.client.mutate({ mutation: UpdateCartItemDocument, variables: { skuId: sku.id, quantity: had } });
  });

  // --- a forbidden nullable field ----------------------------------------------------------------
  await step("a portal user reads Sku.unitCost with errorPolicy all: null and FORBIDDEN, the rest of the data", async () => {
    const { data, error } = await portal.client.query({ query: SkuCostsDocument, variables: { first: 20 }, errorPolicy: "all", fetchPolicy: "network-only" });
    const products = present(data, "data").products.edges;
    const skus = products.flatMap((edge) => edge.node.skus);
    check(skus.length > 0 && products.every((edge) => edge.node.name.length > 0), `the catalog came back empty: ${JSON.stringify(data)}`);
    check(skus.every((s) => s.unitCost === null), `a portal user read unitCost ${JSON.stringify(skus.map((s) => [s.code, s.unitCost]))}`);
    check(CombinedGraphQLErrors.is(error), `the query answered ${String(error)}, not GraphQL errors`);
    check(error.errors.length === skus.length, `${error.errors.length} error(s) for ${skus.length} SKUs' unitCost`);
    for (const e of error.errors) {
      check(e.extensions?.code === "FORBIDDEN", `an error has code ${String(e.extensions?.code)}, expected FORBIDDEN: ${e.message}`);
      check(e.path?.at(-1) === "unitCost", `a FORBIDDEN error's path is ${JSON.stringify(e.path)}, not a unitCost`);
    }
    const { data: asStaff } = await staff.client.query({ query: SkuCostsDocument, variables: { first: 20 } });
    const staffSkus = present(asStaff, "products").products.edges.flatMap((edge) => edge.node.skus);
    check(staffSkus.some((s) => typeof s.unitCost === "string" && /^\d+\.\d{2}$/.test(s.unitCost)), `staff read no unitCost either: ${JSON.stringify(staffSkus.map((s) => s.unitCost))}`);
  });

  // --- TOKEN_EXPIRED -----------------------------------------------------------------------------
  await step("an expired access token in a batch of two is refreshed once and both queries retried", async () => {
    const tokens = present(expiring.session.tokens, "the rep's tokens");
    const expiresAt = Date.parse(tokens.expiresAt);
    const ttl = Math.round((expiresAt - signedInAt) / 1000);
    check(ttl <= longestTtlSeconds, `the server's access tokens live ${ttl} s: this check waits one out and takes at most ${longestTtlSeconds} s; start the server with ACCESS_TOKEN_TTL_SECONDS of at most ${longestTtlSeconds} (scripts/test does)`);
    // Access tokens end at expiresAt to the second, with no leeway.
    const wait = expiresAt + 1_000 - Date.now();
    if (wait > 0) {
      console.log(`      waiting ${(wait / 1000).toFixed(1)} s for the access token to expire`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const sent = exchanges.length;
    // Two queries at once share one HTTP batch, refused as a whole: each gets the refusal.
    const answers = await Promise.all(
      [5, 2].map((first) => expiring.client.query({ query: CustomersDocument, variables: { first }, fetchPolicy: "network-only" })),
    );
    for (const { data } of answers) {
      check(present(data, "customers").customers.totalCount > 0, "the rep sees no customers after the refresh");
    }
    const requests = exchanges.slice(sent);
    check(expiring.session.refreshes === 1, `the session was refreshed ${expiring.session.refreshes} time(s) (requests: ${describe(requests)})`);
    const [refused, refresh, ...retried] = requests;
    check(refused && refresh && retried.length > 0, `the queries took ${describe(requests)}, expected Customers,Customers → 401, RefreshSession → 200, then the retries → 200`);
    check(
      refused.operations.join() === "Customers,Customers" && refused.status === 401 && refused.authorization === `Bearer ${tokens.accessToken}`,
      `the first request was ${describe([refused])} with ${refused.authorization === `Bearer ${tokens.accessToken}` ? "the expired" : "another"} token`,
    );
    const refusals = JSON.parse(refused.body) as Array<{ errors?: GraphQLFormattedError[] }>;
    check(
      Array.isArray(refusals) && refusals.length === 2 && refusals.every((answer) => answer.errors?.[0]?.extensions?.reason === "TOKEN_EXPIRED"),
      `the server did not refuse each operation of the batch with TOKEN_EXPIRED: ${refused.body}`,
    );
    check(refresh.operations.join() === "RefreshSession" && refresh.status === 200 && refresh.authorization === null, `the refresh was ${describe([refresh])}`);
    const renewed = present(expiring.session.tokens, "the refreshed tokens");
    check(renewed.accessToken !== tokens.accessToken && renewed.refreshToken !== tokens.refreshToken, "refreshSession returned the same tokens");
    check(
      retried.flatMap((request) => request.operations).join() === "Customers,Customers" &&
        retried.every((request) => request.status === 200 && request.authorization === `Bearer ${renewed.accessToken}`),
      `the retries were ${describe(retried)}, not both queries once with the new token`,
    );
    // The new token serves the next request without another refresh.
    await expiring.client.query({ query: CustomersDocument, variables: { first: 1 }, fetchPolicy: "network-only" });
    check(expiring.session.refreshes === 1, "the next query refreshed the session again");
  });

  await step("Apollo printed no warning or error", async () => {
    check(consoleMessages.length === 0, `the console got:\n${consoleMessages.join("\n")}`);
  });

  console.log(`apollo: ${stepsPassed()} steps passed`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${endpoint}: ${error.cause.message})` : "";
    const message = error instanceof Error ? `${error.message}${cause}` : String(error);
    const extra = consoleMessages.length > 0 ? `\nthe console got meanwhile:\n${consoleMessages.join("\n")}` : "";
    process.stderr.write(`apollo: FAILED after ${stepsPassed()} step(s): ${message}${extra}\n`);
    process.exit(1);
  },
);

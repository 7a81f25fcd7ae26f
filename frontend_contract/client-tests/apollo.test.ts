// Apollo Client 4 against a live server (started by tests/e2e/test_apollo_client.py), as a
// front end would use it: token auth with no cookies, the normalised cache, typed documents.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { ApolloClient, type ApolloLink, type DocumentNode, HttpLink, InMemoryCache } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { generatePersistedQueryIdsFromManifest } from "@apollo/persisted-query-lists";

import {
  AccountStatementDocument,
  AccountTransfersDocument,
  CancelCardCheckoutDocument,
  CardCheckoutFieldsFragmentDoc,
  MyAccountsDocument,
  PayCardCheckoutDocument,
  PayWithAccountDocument,
  RedeemGiftCardDocument,
  RefetchNodeDocument,
  StartCardCheckoutDocument,
  TransfersDocument,
} from "../generated/client/graphql.js";
import {
  assertEveryManifestOperation,
  assertRan,
  BASE,
  contractOperations,
  env,
  type Exchange,
  expireCheckout,
  productUrl,
  recorder,
  rest,
  sha256,
  signIn,
} from "./wire.js";

// The server runs in persisted-only mode for a second pass that runs only the persisted-query tests.
const PERSISTED_ONLY = process.env.PERSISTED_ONLY === "1";
const open = { skip: PERSISTED_ONLY ? "the server is in persisted-only mode" : false };

function apollo(token: string, persisted = false) {
  const http = new HttpLink({ uri: `${BASE}/graphql/`, headers: { authorization: `Bearer ${token}` } });
  // npm runs the suite in frontend_contract/: the manifest is Apollo's, as the contract ships it
  const loadManifest = () => JSON.parse(readFileSync("generated/persisted-query-manifest.json", "utf8"));
  const link = persisted ? new PersistedQueryLink(generatePersistedQueryIdsFromManifest({ loadManifest })).concat(http) : http;
  return new ApolloClient({ link, cache: new InMemoryCache() });
}

// -- the normalised cache against the server ------------------------------------------------------
const WALLETS = { first: 10, history: 0 };
const money = (m: { amount: string } | null) => (m ? Number(m.amount).toFixed(2) : null);
// What a wallet page shows of each account: balance, held, available.
const view = (data: any) => data.myAccounts.edges.map(({ node }: any) => ({
  id: node.id, balance: money(node.balance), held: money(node.held), available: money(node.amountAvailable),
}));

// The cache's accounts equal a fresh network-only query's (from another client, so nothing is shared).
async function assertCacheTrue(client: ApolloClient, step: string) {
  const cached = client.readQuery({ query: MyAccountsDocument, variables: WALLETS });
  assert.ok(cached, `${step}: the accounts are not in the cache`);
  const fresh = await apollo(await signIn()).query({ query: MyAccountsDocument, variables: WALLETS, fetchPolicy: "network-only" });
  assert.deepEqual(view(cached), view(fresh.data), step);
}

test("sign in with a token (no cookies) and read myAccounts, paging forwards and backwards", open, async () => {
  const client = apollo(await signIn());
  const first = await client.query({ query: MyAccountsDocument, variables: { first: 2, history: 1 } });
  assert.equal(first.data?.myAccounts.totalCount, 3);
  assert.equal(first.data?.myAccounts.edges.length, 2);
  assert.equal(first.data?.myAccounts.pageInfo.hasNextPage, true);
  const after = first.data!.myAccounts.pageInfo.endCursor;
  const second = await client.query({ query: MyAccountsDocument, variables: { first: 2, after, history: 1 } });
  assert.equal(second.data?.myAccounts.edges.length, 1);
  const names = [...first.data!.myAccounts.edges, ...second.data!.myAccounts.edges].map((e) => e.node.name);
  assert.equal(new Set(names).size, 3);
  const before = second.data!.myAccounts.pageInfo.startCursor;
  const back = await client.query({ query: MyAccountsDocument, variables: { last: 2, before, history: 1 } });
  assert.deepEqual(back.data!.myAccounts.edges.map((e) => e.node.name), names.slice(0, 2));
  assert.equal(back.data!.myAccounts.pageInfo.hasPreviousPage, false);
});

test("redeeming a gift card updates the cached balance with no refetch", open, async () => {
  const client = apollo(await signIn());
  const before = await client.query({ query: MyAccountsDocument, variables: { first: 10, history: 0 } });
  const wallet = before.data!.myAccounts.edges.map((e) => e.node).find((a) => a.kind === "STORE_CREDIT")!;
  const redeemed = await client.mutate({ mutation: RedeemGiftCardDocument, variables: { input: { code: env("GIFT_CODE") } } });
  assert.deepEqual(redeemed.data?.redeemGiftCard.errors, []);
  assert.equal(redeemed.data?.redeemGiftCard.account?.id, wallet.id);
  const cached = client.readQuery({ query: MyAccountsDocument, variables: { first: 10, history: 0 } });
  const now = cached!.myAccounts.edges.map((e) => e.node).find((a) => a.id === wallet.id)!;
  assert.equal(Number(now.balance.amount), Number(wallet.balance.amount) + Number(env("GIFT_AMOUNT")));
  await assertCacheTrue(client, "redeem");
  const again = await client.mutate({ mutation: RedeemGiftCardDocument, variables: { input: { code: env("GIFT_CODE") } } });
  assert.deepEqual(again.data?.redeemGiftCard.errors.map((e) => e.code), ["INVALID_CODE"]);
  await assertCacheTrue(client, "a second redeem of the same code");
});

test("paying updates the cache; a refused payment says why", open, async () => {
  const token = await signIn();
  const client = apollo(token);
  const accounts = await client.query({ query: MyAccountsDocument, variables: { first: 10, history: 0 } });
  const wallet = accounts.data!.myAccounts.edges.map((e) => e.node).find((a) => a.kind === "STORE_CREDIT")!;
  await rest("/api/basket/add-product/", token, { url: productUrl(), quantity: 1 });
  const basket = await rest("/api/basket/", token);
  const address = { firstName: "Ada", lastName: "Lovelace", line1: "1 Row", line4: "London", postcode: "N1 9GU", country: "GB" };
  const refused = await client.mutate({
    mutation: PayWithAccountDocument,
    variables: { input: { basketId: String(basket.id), payments: [{ accountId: wallet.id, amount: "100000.00" }], shippingAddress: address } },
  });
  assert.deepEqual(refused.data?.payWithAccount.errors.map((e) => e.code), ["INSUFFICIENT_FUNDS"]);
  await assertCacheTrue(client, "refused payment");
  // The wallet's history is on screen (cached); the payment's transferEdges go on top of it.
  const history = { accountId: wallet.id, first: 10 };
  const shown = await client.query({ query: AccountTransfersDocument, variables: history });
  const paid = await client.mutate({
    mutation: PayWithAccountDocument,
    variables: { input: { basketId: String(basket.id), payments: [{ accountId: wallet.id }], shippingAddress: address } },
    update(cache, { data }) {
      for (const edge of data?.payWithAccount.transferEdges ?? []) {
        cache.updateQuery({ query: AccountTransfersDocument, variables: { ...history, accountId: edge.node.accountId } }, (page) => {
          if (!page?.node || !("transfers" in page.node)) return page;
          const { transfers } = page.node;
          return { node: { ...page.node, transfers: { ...transfers, totalCount: transfers.totalCount + 1,
            edges: [edge, ...transfers.edges], pageInfo: { ...transfers.pageInfo, startCursor: edge.cursor } } } };
        });
      }
    },
  });
  assert.deepEqual(paid.data?.payWithAccount.errors, []);
  const total = Number(paid.data!.payWithAccount.order!.total.amount);
  const cached = client.readQuery({ query: MyAccountsDocument, variables: { first: 10, history: 0 } });
  const now = cached!.myAccounts.edges.map((e) => e.node).find((a) => a.id === wallet.id)!;
  assert.equal(Number(now.balance.amount), Number(wallet.balance.amount) - total);
  await assertCacheTrue(client, "payment");
  const [edge] = paid.data!.payWithAccount.transferEdges;
  assert.equal(paid.data!.payWithAccount.transferEdges.length, 1);
  assert.equal(edge.node.accountId, wallet.id);
  assert.equal(edge.node.direction, "DEBIT");
  assert.equal(Number(edge.node.amount.amount), -total); // signed: money out of the wallet
  const cachedHistory = client.readQuery({ query: AccountTransfersDocument, variables: history });
  const freshHistory = await apollo(token).query({ query: AccountTransfersDocument, variables: history, fetchPolicy: "network-only" });
  const page = (data: any) => data.node.transfers;
  assert.equal(page(cachedHistory).totalCount, page(shown.data).totalCount + 1);
  assert.deepEqual(page(cachedHistory), page(freshHistory.data), "the history with the payment's edges on top is the server's");
});

test("an account refetched by node and its history paged through node", open, async () => {
  const client = apollo(await signIn());
  const accounts = await client.query({ query: MyAccountsDocument, variables: WALLETS });
  const wallet = accounts.data!.myAccounts.edges.map((e) => e.node).find((a) => a.kind === "STORE_CREDIT")!;
  const refetched = await client.query({ query: RefetchNodeDocument, variables: { id: wallet.id }, fetchPolicy: "network-only" });
  assert.equal(refetched.data?.node?.__typename, "Account");
  assert.equal(refetched.data?.node?.id, wallet.id);
  // someone else's id, or none at all: null, not an error
  const missing = await client.query({ query: RefetchNodeDocument, variables: { id: "QWNjb3VudDo5OTk5OTk5" }, errorPolicy: "all" });
  assert.equal(missing.data?.node, null);

  const whole = await client.query({ query: TransfersDocument, variables: { accountId: wallet.id, first: 100 } });
  const expected = whole.data!.transfers.edges.map((e) => e.node.id);
  assert.ok(expected.length >= 3, `the wallet has ${expected.length} entries`);
  const paged: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 50; pages += 1) {
    const page: any = await client.query({ query: AccountTransfersDocument, variables: { accountId: wallet.id, first: 2, after },
      fetchPolicy: "network-only" });
    const transfers = page.data.node.transfers;
    assert.equal(transfers.totalCount, expected.length);
    paged.push(...transfers.edges.map((e: any) => e.node.id));
    if (!transfers.pageInfo.hasNextPage) break;
    after = transfers.pageInfo.endCursor;
  }
  assert.deepEqual(paged, expected);
});

test("credit lots add up to the balance, and a statement's lines lead from its opening to its closing balance", open, async () => {
  const client = apollo(await signIn());
  const accounts = await client.query({ query: MyAccountsDocument, variables: { first: 10, history: 0, lots: 100 } });
  const wallet = accounts.data!.myAccounts.edges.map((e) => e.node).find((a) => a.kind === "STORE_CREDIT")!;
  const lots = wallet.lots.edges.map((e) => e.node);
  assert.ok(lots.length >= 1 && lots.every((lot) => lot.state === "USABLE" && lot.remaining.currency === "GBP"));
  assert.equal(lots.reduce((sum, lot) => sum + Number(lot.remaining.amount), 0).toFixed(2), Number(wallet.balance.amount).toFixed(2));
  const b2b = accounts.data!.myAccounts.edges.map((e) => e.node).find((a) => a.kind === "B2B_PREPAID")!;
  assert.equal(b2b.lots.totalCount, 0); // B2B prepaid accounts keep no lots

  const variables = { accountId: wallet.id, start: "1970-01-01T00:00:00Z", end: "2199-12-31T00:00:00Z", first: 100 };
  const statement = (await client.query({ query: AccountStatementDocument, variables, fetchPolicy: "network-only" })).data!.myAccountStatement;
  const moved = statement.lines.edges.reduce((sum, e) => sum + Number(e.node.amount.amount), 0);
  assert.equal(Number(statement.openingBalance.amount), 0);
  assert.equal((Number(statement.openingBalance.amount) + moved).toFixed(2), Number(statement.closingBalance.amount).toFixed(2));
  assert.equal(Number(statement.closingBalance.amount).toFixed(2), Number(wallet.balance.amount).toFixed(2));
  const bad = await client.query({ query: AccountStatementDocument, variables: { ...variables, start: "2199-12-31T00:00:00Z" },
    errorPolicy: "all", fetchPolicy: "network-only" });
  assert.deepEqual((bad.error as any)?.errors?.map((e: any) => e.extensions?.code), ["INVALID"]); // Apollo 4: CombinedGraphQLErrors
});

test("persisted-only mode with Apollo's persisted-query link and the manifest", async () => {
  const client = apollo(await signIn(), true);
  const result = await client.query({ query: MyAccountsDocument, variables: { first: 1, history: 0 } });
  assert.equal(result.data?.myAccounts.edges.length, 1);
  // the server refuses text it does not know in this mode
  const response = await fetch(`${BASE}/graphql/`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${await signIn()}` },
    body: JSON.stringify({ query: "{ myAccounts { totalCount } }" }),
  });
  assert.equal(response.status, PERSISTED_ONLY ? 400 : 200);
});

// -- every operation, three ways, as a standard client sends it -----------------------------------
type Mode = "manifest" | "apq" | "text";

function wire(token: string, mode: Mode, log: Exchange[]) {
  const http = new HttpLink({ uri: `${BASE}/graphql/`, headers: { authorization: `Bearer ${token}` }, fetch: recorder(log) });
  let link: ApolloLink = http;
  if (mode === "manifest") {
    const loadManifest = () => JSON.parse(readFileSync("generated/persisted-query-manifest.json", "utf8"));
    link = new PersistedQueryLink(generatePersistedQueryIdsFromManifest({ loadManifest })).concat(http);
  } else if (mode === "apq") {
    link = new PersistedQueryLink({ sha256 }).concat(http);
  }
  return new ApolloClient({ link, cache: new InMemoryCache() });
}

async function send(client: ApolloClient, document: DocumentNode, variables: Record<string, unknown>, mutation: boolean) {
  if (mutation) await client.mutate({ mutation: document, variables, errorPolicy: "all" });
  else await client.query({ query: document, variables, errorPolicy: "all", fetchPolicy: "network-only" });
}

test("every contract operation runs by manifest id, by APQ (hash, then hash and text) and as text", async () => {
  const token = await signIn();
  const accounts = await apollo(token, true).query({ query: MyAccountsDocument, variables: { first: 10, history: 0 } });
  const accountId = accounts.data!.myAccounts.edges[0].node.id;
  const operations = contractOperations(accountId);
  assertEveryManifestOperation(operations);
  let registered = 0;
  for (const [name, document, variables, mutation] of operations) {
    for (const mode of ["manifest", "apq", "text"] as Mode[]) {
      const log: Exchange[] = [];
      await send(wire(token, mode, log), document, variables, mutation);
      const where = `${name} (${mode}): ${JSON.stringify(log.map((e) => [e.status, e.codes]))}`;
      assertRan(log, where);
      if (mode === "manifest") {
        assert.equal(log.length, 1, where);
        assert.equal(log[0].body.query, undefined, where); // the id alone
      } else if (mode === "text") {
        assert.equal(log.length, 1, where);
        assert.equal(log[0].body.extensions?.persistedQuery, undefined, where);
      } else {
        // Apollo's own printing: unknown at first (then sent with its text and registered), unless
        // it is byte for byte the manifest's; from then on the hash alone runs it, for anyone.
        assert.equal(log[0].body.query, undefined, where);
        if (log.length === 2) {
          assert.deepEqual(log[0].codes, ["PERSISTED_QUERY_NOT_FOUND"], where);
          assert.equal(typeof log[1].body.query, "string", where);
          registered += 1;
        } else assert.equal(log.length, 1, where);
        const again: Exchange[] = [];
        await send(wire(token, "apq", again), document, variables, mutation);
        assert.equal(again.length, 1, `${name} again: ${JSON.stringify(again.map((e) => e.codes))}`);
        assertRan(again, `${name} again`);
      }
    }
  }
  // the documents Apollo prints from codegen's documents are not the manifest's texts for most operations
  assert.ok(registered >= 6, `only ${registered} operations needed registering`);
});

// -- the card checkout keeps the normalised cache true -------------------------------------------
test("after every card-checkout step the cache equals a fresh query", open, async () => {
  const token = await signIn();
  const client = apollo(token);
  const start = await client.query({ query: MyAccountsDocument, variables: WALLETS });
  const wallet = start.data!.myAccounts.edges.map((e) => e.node).find((a) => a.kind === "STORE_CREDIT")!;
  const cachedCheckout = (id: string) =>
    client.cache.readFragment({ id: client.cache.identify({ __typename: "CardCheckout", id }), fragment: CardCheckoutFieldsFragmentDoc,
      fragmentName: "CardCheckoutFields" });
  // The checkout as the server has it: cancelling an ended checkout changes nothing and answers
  // with it (a paid one with CHECKOUT_CLOSED), from another client, so nothing is shared. A
  // PENDING one is compared with what the wallet shows held.
  const freshCheckout = async (id: string) =>
    (await apollo(token).mutate({ mutation: CancelCardCheckoutDocument, variables: { input: { checkoutId: id } } })).data!
      .cancelCardCheckout;
  const same = async (step: string, checkoutId: string, status: string) => {
    await assertCacheTrue(client, step);
    const cached = cachedCheckout(checkoutId);
    assert.equal(cached?.status, status, step);
    if (status === "PENDING") {
      const held = view(client.readQuery({ query: MyAccountsDocument, variables: WALLETS })).find((a: any) => a.id === wallet.id).held;
      assert.equal(money(cached!.fromAccounts), held, `${step}: the checkout holds what the wallet shows held`);
    } else {
      const fresh = await freshCheckout(checkoutId);
      assert.deepEqual(fresh.errors.map((e) => e.code), status === "PAID" ? ["CHECKOUT_CLOSED"] : [], step);
      assert.deepEqual(cached, fresh.checkout, step);
    }
  };
  await rest("/api/basket/add-product/", token, { url: productUrl(), quantity: 1 });
  const address = { firstName: "Ada", lastName: "Lovelace", line1: "1 Row", line4: "London", postcode: "N1 9GU", country: "GB" };
  const begin = async (cardToken?: string) => {
    const basket = await rest("/api/basket/", token);
    const payments = [{ accountId: wallet.id, amount: "5.00" }];
    const input = { basketId: String(basket.id), payments, shippingAddress: address, ...(cardToken ? { cardToken } : {}) };
    return (await client.mutate({ mutation: StartCardCheckoutDocument, variables: { input } })).data!.startCardCheckout;
  };
  const payCard = async (checkoutId: string, cardToken: string) =>
    (await client.mutate({ mutation: PayCardCheckoutDocument, variables: { input: { checkoutId, cardToken } } })).data!.payCardCheckout;
  const cancel = async (checkoutId: string) =>
    (await client.mutate({ mutation: CancelCardCheckoutDocument, variables: { input: { checkoutId } } })).data!.cancelCardCheckout;
  await assertCacheTrue(client, "before");

  const soft = await begin("4000000000000119"); // a soft decline at start still gives the checkout
  assert.deepEqual(soft.errors.map((e) => e.code), ["CARD_RETRY"]);
  const id = soft.checkout!.id;
  await same("soft decline at start", id, "PENDING");
  assert.equal(money(soft.accounts.find((a) => a.id === wallet.id)!.held), "5.00");
  const retry = await payCard(id, "4000000000000119");
  assert.deepEqual(retry.errors.map((e) => e.code), ["CARD_RETRY"]);
  await same("soft decline", id, "PENDING");
  const declined = await payCard(id, "4000000000000002");
  assert.deepEqual(declined.errors.map((e) => e.code), ["CARD_DECLINED"]);
  await same("declined", id, "FAILED");
  const closed = await payCard(id, "4242424242424242");
  assert.deepEqual(closed.errors.map((e) => e.code), ["CHECKOUT_CLOSED"]);
  await same("closed", id, "FAILED");

  const pending = (await begin()).checkout!.id;
  await same("pending", pending, "PENDING");
  const cancelled = await cancel(pending);
  assert.deepEqual(cancelled.errors, []);
  await same("cancelled", pending, "CANCELLED");

  // time runs out while the shopper is away; paying then ends it
  const late = (await begin()).checkout!.id;
  await same("pending, then late", late, "PENDING");
  expireCheckout(late);
  const tooLate = await payCard(late, "4242424242424242");
  assert.ok(tooLate.errors.length > 0, "paying an expired checkout is refused");
  await same("expired on paying", late, "EXPIRED");

  // the sweep ends it first: the cache is stale until the client asks; node refetches the wallet
  const swept = (await begin()).checkout!.id;
  await same("pending, then swept", swept, "PENDING");
  expireCheckout(swept, true);
  await client.query({ query: RefetchNodeDocument, variables: { id: wallet.id }, fetchPolicy: "network-only" });
  await assertCacheTrue(client, "swept: the wallet refetched by node");
  const gone = await cancel(swept); // already ended: changes nothing, says how it ended
  assert.deepEqual(gone.errors, []);
  await same("swept", swept, "EXPIRED");

  const last = (await begin()).checkout!.id;
  const paid = await payCard(last, "4242424242424242");
  assert.deepEqual(paid.errors, []);
  await same("paid", last, "PAID");
  const after = view(client.readQuery({ query: MyAccountsDocument, variables: WALLETS })).find((a: any) => a.id === wallet.id);
  assert.equal(Number(after.balance), Number(wallet.balance.amount) - 5);
});

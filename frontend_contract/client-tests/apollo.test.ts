// Apollo Client 4 against a live server (started by tests/e2e/test_apollo_client.py), as a
// front end would use it: token auth with no cookies, the normalised cache, typed documents.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { generatePersistedQueryIdsFromManifest } from "@apollo/persisted-query-lists";

import {
  MyAccountsDocument,
  PayWithAccountDocument,
  RedeemGiftCardDocument,
} from "../generated/client/graphql.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const BASE = env("API_URL");
// The server runs in persisted-only mode for a second pass that runs only the last test.
const PERSISTED_ONLY = process.env.PERSISTED_ONLY === "1";
const open = { skip: PERSISTED_ONLY ? "the server is in persisted-only mode" : false };

async function rest(path: string, token: string | null, body?: unknown): Promise<any> {
  const response = await fetch(`${BASE}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Token ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${path}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

async function signIn(): Promise<string> {
  const { token } = await rest("/api/token/", null, { username: env("USERNAME"), password: env("PASSWORD") });
  return token;
}

function apollo(token: string, persisted = false) {
  const http = new HttpLink({ uri: `${BASE}/graphql/`, headers: { authorization: `Bearer ${token}` } });
  // npm runs the suite in frontend_contract/: the manifest is Apollo's, as the contract ships it
  const loadManifest = () => JSON.parse(readFileSync("generated/persisted-query-manifest.json", "utf8"));
  const link = persisted ? new PersistedQueryLink(generatePersistedQueryIdsFromManifest({ loadManifest })).concat(http) : http;
  return new ApolloClient({ link, cache: new InMemoryCache() });
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
});

test("paying updates the cache; a refused payment says why", open, async () => {
  const token = await signIn();
  const client = apollo(token);
  const accounts = await client.query({ query: MyAccountsDocument, variables: { first: 10, history: 0 } });
  const wallet = accounts.data!.myAccounts.edges.map((e) => e.node).find((a) => a.kind === "STORE_CREDIT")!;
  await rest("/api/basket/add-product/", token, { url: env("PRODUCT_URL"), quantity: 1 });
  const basket = await rest("/api/basket/", token);
  const address = { firstName: "Ada", lastName: "Lovelace", line1: "1 Row", line4: "London", postcode: "N1 9GU", country: "GB" };
  const refused = await client.mutate({
    mutation: PayWithAccountDocument,
    variables: { input: { basketId: String(basket.id), payments: [{ accountId: wallet.id, amount: "100000.00" }], shippingAddress: address } },
  });
  assert.deepEqual(refused.data?.payWithAccount.errors.map((e) => e.code), ["INSUFFICIENT_FUNDS"]);
  const paid = await client.mutate({
    mutation: PayWithAccountDocument,
    variables: { input: { basketId: String(basket.id), payments: [{ accountId: wallet.id }], shippingAddress: address } },
  });
  assert.deepEqual(paid.data?.payWithAccount.errors, []);
  const total = Number(paid.data!.payWithAccount.order!.total.amount);
  const cached = client.readQuery({ query: MyAccountsDocument, variables: { first: 10, history: 0 } });
  const now = cached!.myAccounts.edges.map((e) => e.node).find((a) => a.id === wallet.id)!;
  assert.equal(Number(now.balance.amount), Number(wallet.balance.amount) - total);
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

// Shared by the client suites: what went over the wire, and every contract operation with
// variables that run it without changing anything (refusals in the payload are fine).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import type { DocumentNode } from "graphql";

import {
  AccountBalanceDocument,
  AccountStatementDocument,
  AccountTransfersDocument,
  CancelCardCheckoutDocument,
  GiftCardBalanceDocument,
  MyAccountsDocument,
  PayCardCheckoutDocument,
  PayWithAccountDocument,
  RedeemGiftCardDocument,
  RefetchNodeDocument,
  StartCardCheckoutDocument,
  TransfersDocument,
} from "../generated/client/graphql.js";

export const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
export const BASE = env("API_URL");

export async function rest(path: string, token: string | null, body?: unknown): Promise<any> {
  const response = await fetch(`${BASE}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Token ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${path}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

let token: Promise<string> | undefined;

// One token for the run (the production profile's password hashing is deliberately slow).
export function signIn(): Promise<string> {
  token ??= rest("/api/token/", null, { username: env("USERNAME"), password: env("PASSWORD") }).then((body) => body.token);
  return token;
}

export const productUrl = (): string => `${BASE}/api/products/${env("PRODUCT_ID")}/`;

// The clock: a card checkout's time runs out (with `sweep`, the scheduled sweep also ends it).
export function expireCheckout(checkoutId: string, sweep = false): void {
  const [command, ...args] = JSON.parse(env("EXPIRE_CHECKOUT")) as string[];
  execFileSync(command, [...args, checkoutId, ...(sweep ? ["sweep"] : [])], { stdio: "inherit", timeout: 120_000 });
}

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

// npm runs the suites in frontend_contract/: the manifest is Apollo's, as the contract ships it
export const manifest = (): { operations: { id: string; name: string; body: string }[] } =>
  JSON.parse(readFileSync("generated/persisted-query-manifest.json", "utf8"));

// Each request's body and the codes of the answer's errors.
export type Exchange = { body: any; status: number; codes: string[] };

export function recorder(log: Exchange[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const json = await response.clone().json();
    log.push({
      body: JSON.parse(String(init?.body)),
      status: response.status,
      codes: (json.errors ?? []).map((e: any) => e.extensions?.code),
    });
    return response;
  };
}

// Refusals that would mean the server did not run the document as sent.
export const NOT_RUN = ["PERSISTED_QUERY_NOT_FOUND", "PERSISTED_OPERATION_REQUIRED", "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST"];

export type Operation = [name: string, document: DocumentNode, variables: Record<string, unknown>, mutation: boolean];

export function contractOperations(accountId: string): Operation[] {
  return [
    ["AccountBalance", AccountBalanceDocument, { accountId }, false],
    ["AccountStatement", AccountStatementDocument, { accountId, start: "2026-01-01T00:00:00Z", end: "2199-12-31T00:00:00Z", first: 2 }, false],
    ["AccountTransfers", AccountTransfersDocument, { accountId, first: 2 }, false],
    ["GiftCardBalance", GiftCardBalanceDocument, { code: "NOT-A-CODE" }, false],
    ["MyAccounts", MyAccountsDocument, { first: 2, history: 1 }, false],
    ["Transfers", TransfersDocument, { accountId, first: 2 }, false],
    ["PayWithAccount", PayWithAccountDocument, { input: { basketId: "999999999", payments: [{ accountId }] } }, true],
    ["RedeemGiftCard", RedeemGiftCardDocument, { input: { code: "NOT-A-CODE" } }, true],
    ["RefetchNode", RefetchNodeDocument, { id: accountId }, false],
    ["StartCardCheckout", StartCardCheckoutDocument, { input: { basketId: "999999999", payments: [{ accountId }] } }, true],
    ["PayCardCheckout", PayCardCheckoutDocument, { input: { checkoutId: "nope", cardToken: "4242424242424242" } }, true],
    ["CancelCardCheckout", CancelCardCheckoutDocument, { input: { checkoutId: "nope" } }, true],
  ];
}

export function assertEveryManifestOperation(operations: Operation[]): void {
  assert.deepEqual(operations.map(([name]) => name).sort(), manifest().operations.map((op) => op.name).sort());
}

// The answer that ended an exchange ran the document (whatever the payload says).
export function assertRan(log: Exchange[], where: string): void {
  const last = log.at(-1)!;
  const detail = `${where}: ${JSON.stringify(log.map((e) => [e.status, e.codes]))}`;
  assert.equal(last.status, 200, detail);
  assert.deepEqual(last.codes.filter((code) => NOT_RUN.includes(code)), [], detail);
}

// A small typed client: every call's variables and result are checked against the contract.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";

import { MyAccountsDocument, PayWithAccountDocument } from "../generated/client/graphql";

export async function run<TResult, TVariables>(
  endpoint: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  headers: Record<string, string> = {},
): Promise<TResult> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: TResult; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors[0].message);
  return body.data as TResult;
}

export async function balances(endpoint: string, token: string): Promise<string[]> {
  const data = await run(endpoint, MyAccountsDocument, { first: 10, history: 0 }, { authorization: `Token ${token}` });
  return data.myAccounts.edges.map((edge) => `${edge.node.name}: ${edge.node.balance.amount} ${edge.node.balance.currency}`);
}

export async function payFromWallet(endpoint: string, token: string, basketId: string, accountId: string) {
  const data = await run(endpoint, PayWithAccountDocument, {
    input: { basketId, payments: [{ accountId }] },
  }, { authorization: `Token ${token}` });
  const payload = data.payWithAccount;
  return payload.errors.length ? payload.errors.map((error) => error.code) : payload.order?.number;
}

// An external project using the contract package as a front end would: typed documents, their
// types, the manifest. Compiled with tsc under moduleResolution bundler and nodenext, then run.
import type { ResultOf, TypedDocumentNode, VariablesOf } from "@graphql-typed-document-node/core";
import { print } from "graphql";

import {
  type AccountErrorCode,
  AccountTransfersDocument,
  graphql,
  MyAccountsDocument,
  type MyAccountsQuery,
  type MyAccountsQueryVariables,
  PayWithAccountDocument,
  type PayWithAccountMutation,
  RefetchNodeDocument,
} from "@headless-store/frontend-contract";
import manifest from "@headless-store/frontend-contract/persisted-query-manifest.json" with { type: "json" };

function request<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): TResult {
  void print(document);
  void variables;
  return undefined as unknown as TResult;
}

const accounts: MyAccountsQuery = request(MyAccountsDocument, { first: 10, history: 2 });
const balance: string | undefined = accounts?.myAccounts.edges[0]?.node.balance.amount;
const variables: MyAccountsQueryVariables = { first: 1 };
const codes: AccountErrorCode[] = ["INSUFFICIENT_FUNDS", "INVALID_CODE"];
type Paid = ResultOf<typeof PayWithAccountDocument>;
const paid: Paid["payWithAccount"]["errors"] = [] satisfies PayWithAccountMutation["payWithAccount"]["errors"];
const page: VariablesOf<typeof AccountTransfersDocument> = { accountId: "QWNjb3VudDox", first: 5 };
request(RefetchNodeDocument, { id: page.accountId });

// @ts-expect-error: a variable the operation does not take
request(MyAccountsDocument, { firstt: 10 });
// @ts-expect-error: PayWithAccount needs its input
request(PayWithAccountDocument, {});
// @ts-expect-error: not an error code of the contract
const wrong: AccountErrorCode = "NOT_A_CODE";

const names = [MyAccountsDocument, PayWithAccountDocument, AccountTransfersDocument, RefetchNodeDocument]
  .map((document) => (document.definitions[0] as { name?: { value: string } }).name?.value);
console.log(JSON.stringify({
  names,
  manifest: manifest.operations.length,
  graphql: typeof graphql,
  unused: [balance, variables, codes, paid, wrong].length,
}));

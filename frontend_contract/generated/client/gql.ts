/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query AccountBalance($accountId: ID!) {\n  balance(accountId: $accountId) {\n    ...MoneyFields\n  }\n}": typeof types.AccountBalanceDocument,
    "fragment CardCheckoutFields on CardCheckout {\n  id\n  status\n  expiresAt\n  card\n  failure\n  order {\n    number\n    status\n    placedAt\n    guestEmail\n    total {\n      ...MoneyFields\n    }\n    shipping {\n      ...MoneyFields\n    }\n  }\n  fromAccounts {\n    ...MoneyFields\n  }\n  byCard {\n    ...MoneyFields\n  }\n  holds {\n    accountId\n    status\n    amount {\n      ...MoneyFields\n    }\n  }\n}\n\nmutation StartCardCheckout($input: StartCardCheckoutInput!) {\n  startCardCheckout(input: $input) {\n    checkout {\n      ...CardCheckoutFields\n    }\n    transfers {\n      ...TransferFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}\n\nmutation PayCardCheckout($input: PayCardCheckoutInput!) {\n  payCardCheckout(input: $input) {\n    checkout {\n      ...CardCheckoutFields\n    }\n    transfers {\n      ...TransferFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}\n\nmutation CancelCardCheckout($input: CancelCardCheckoutInput!) {\n  cancelCardCheckout(input: $input) {\n    checkout {\n      ...CardCheckoutFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}": typeof types.CardCheckoutFieldsFragmentDoc,
    "query GiftCardBalance($code: String!) {\n  balance(code: $code) {\n    ...MoneyFields\n  }\n}": typeof types.GiftCardBalanceDocument,
    "query MyAccounts($first: Int, $after: String, $filter: AccountFilter, $history: Int) {\n  myAccounts(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        ...AccountFields\n        transfers(first: $history) {\n          totalCount\n          edges {\n            node {\n              ...TransferFields\n            }\n          }\n        }\n      }\n    }\n  }\n}": typeof types.MyAccountsDocument,
    "mutation PayWithAccount($input: PayWithAccountInput!) {\n  payWithAccount(input: $input) {\n    order {\n      number\n      status\n      placedAt\n      guestEmail\n      total {\n        ...MoneyFields\n      }\n      shipping {\n        ...MoneyFields\n      }\n    }\n    transfers {\n      ...TransferFields\n    }\n    amountDue {\n      ...MoneyFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}": typeof types.PayWithAccountDocument,
    "mutation RedeemGiftCard($input: RedeemGiftCardInput!) {\n  redeemGiftCard(input: $input) {\n    account {\n      ...AccountFields\n    }\n    transfer {\n      ...TransferFields\n    }\n    amount {\n      ...MoneyFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}": typeof types.RedeemGiftCardDocument,
    "query Transfers($accountId: ID, $first: Int, $after: String) {\n  transfers(accountId: $accountId, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        ...TransferFields\n      }\n    }\n  }\n}": typeof types.TransfersDocument,
    "fragment MoneyFields on Money {\n  amount\n  currency\n}\n\nfragment ErrorFields on AccountError {\n  field\n  code\n  message\n  retryAfter\n}\n\nfragment AccountFields on Account {\n  id\n  name\n  kind\n  currency\n  status\n  isActive\n  codeLast4\n  endDate\n  balance {\n    ...MoneyFields\n  }\n  amountAvailable {\n    ...MoneyFields\n  }\n  held {\n    ...MoneyFields\n  }\n  creditLimit {\n    ...MoneyFields\n  }\n}\n\nfragment TransferFields on Transfer {\n  id\n  reference\n  accountId\n  direction\n  amount {\n    ...MoneyFields\n  }\n  balanceAfter {\n    ...MoneyFields\n  }\n  description\n  merchantReference\n  counterparty\n  isReversal\n  createdAt\n}": typeof types.MoneyFieldsFragmentDoc,
};
const documents: Documents = {
    "query AccountBalance($accountId: ID!) {\n  balance(accountId: $accountId) {\n    ...MoneyFields\n  }\n}": types.AccountBalanceDocument,
    "fragment CardCheckoutFields on CardCheckout {\n  id\n  status\n  expiresAt\n  card\n  failure\n  order {\n    number\n    status\n    placedAt\n    guestEmail\n    total {\n      ...MoneyFields\n    }\n    shipping {\n      ...MoneyFields\n    }\n  }\n  fromAccounts {\n    ...MoneyFields\n  }\n  byCard {\n    ...MoneyFields\n  }\n  holds {\n    accountId\n    status\n    amount {\n      ...MoneyFields\n    }\n  }\n}\n\nmutation StartCardCheckout($input: StartCardCheckoutInput!) {\n  startCardCheckout(input: $input) {\n    checkout {\n      ...CardCheckoutFields\n    }\n    transfers {\n      ...TransferFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}\n\nmutation PayCardCheckout($input: PayCardCheckoutInput!) {\n  payCardCheckout(input: $input) {\n    checkout {\n      ...CardCheckoutFields\n    }\n    transfers {\n      ...TransferFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}\n\nmutation CancelCardCheckout($input: CancelCardCheckoutInput!) {\n  cancelCardCheckout(input: $input) {\n    checkout {\n      ...CardCheckoutFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}": types.CardCheckoutFieldsFragmentDoc,
    "query GiftCardBalance($code: String!) {\n  balance(code: $code) {\n    ...MoneyFields\n  }\n}": types.GiftCardBalanceDocument,
    "query MyAccounts($first: Int, $after: String, $filter: AccountFilter, $history: Int) {\n  myAccounts(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        ...AccountFields\n        transfers(first: $history) {\n          totalCount\n          edges {\n            node {\n              ...TransferFields\n            }\n          }\n        }\n      }\n    }\n  }\n}": types.MyAccountsDocument,
    "mutation PayWithAccount($input: PayWithAccountInput!) {\n  payWithAccount(input: $input) {\n    order {\n      number\n      status\n      placedAt\n      guestEmail\n      total {\n        ...MoneyFields\n      }\n      shipping {\n        ...MoneyFields\n      }\n    }\n    transfers {\n      ...TransferFields\n    }\n    amountDue {\n      ...MoneyFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}": types.PayWithAccountDocument,
    "mutation RedeemGiftCard($input: RedeemGiftCardInput!) {\n  redeemGiftCard(input: $input) {\n    account {\n      ...AccountFields\n    }\n    transfer {\n      ...TransferFields\n    }\n    amount {\n      ...MoneyFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}": types.RedeemGiftCardDocument,
    "query Transfers($accountId: ID, $first: Int, $after: String) {\n  transfers(accountId: $accountId, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        ...TransferFields\n      }\n    }\n  }\n}": types.TransfersDocument,
    "fragment MoneyFields on Money {\n  amount\n  currency\n}\n\nfragment ErrorFields on AccountError {\n  field\n  code\n  message\n  retryAfter\n}\n\nfragment AccountFields on Account {\n  id\n  name\n  kind\n  currency\n  status\n  isActive\n  codeLast4\n  endDate\n  balance {\n    ...MoneyFields\n  }\n  amountAvailable {\n    ...MoneyFields\n  }\n  held {\n    ...MoneyFields\n  }\n  creditLimit {\n    ...MoneyFields\n  }\n}\n\nfragment TransferFields on Transfer {\n  id\n  reference\n  accountId\n  direction\n  amount {\n    ...MoneyFields\n  }\n  balanceAfter {\n    ...MoneyFields\n  }\n  description\n  merchantReference\n  counterparty\n  isReversal\n  createdAt\n}": types.MoneyFieldsFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AccountBalance($accountId: ID!) {\n  balance(accountId: $accountId) {\n    ...MoneyFields\n  }\n}"): (typeof documents)["query AccountBalance($accountId: ID!) {\n  balance(accountId: $accountId) {\n    ...MoneyFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment CardCheckoutFields on CardCheckout {\n  id\n  status\n  expiresAt\n  card\n  failure\n  order {\n    number\n    status\n    placedAt\n    guestEmail\n    total {\n      ...MoneyFields\n    }\n    shipping {\n      ...MoneyFields\n    }\n  }\n  fromAccounts {\n    ...MoneyFields\n  }\n  byCard {\n    ...MoneyFields\n  }\n  holds {\n    accountId\n    status\n    amount {\n      ...MoneyFields\n    }\n  }\n}\n\nmutation StartCardCheckout($input: StartCardCheckoutInput!) {\n  startCardCheckout(input: $input) {\n    checkout {\n      ...CardCheckoutFields\n    }\n    transfers {\n      ...TransferFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}\n\nmutation PayCardCheckout($input: PayCardCheckoutInput!) {\n  payCardCheckout(input: $input) {\n    checkout {\n      ...CardCheckoutFields\n    }\n    transfers {\n      ...TransferFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}\n\nmutation CancelCardCheckout($input: CancelCardCheckoutInput!) {\n  cancelCardCheckout(input: $input) {\n    checkout {\n      ...CardCheckoutFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}"): (typeof documents)["fragment CardCheckoutFields on CardCheckout {\n  id\n  status\n  expiresAt\n  card\n  failure\n  order {\n    number\n    status\n    placedAt\n    guestEmail\n    total {\n      ...MoneyFields\n    }\n    shipping {\n      ...MoneyFields\n    }\n  }\n  fromAccounts {\n    ...MoneyFields\n  }\n  byCard {\n    ...MoneyFields\n  }\n  holds {\n    accountId\n    status\n    amount {\n      ...MoneyFields\n    }\n  }\n}\n\nmutation StartCardCheckout($input: StartCardCheckoutInput!) {\n  startCardCheckout(input: $input) {\n    checkout {\n      ...CardCheckoutFields\n    }\n    transfers {\n      ...TransferFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}\n\nmutation PayCardCheckout($input: PayCardCheckoutInput!) {\n  payCardCheckout(input: $input) {\n    checkout {\n      ...CardCheckoutFields\n    }\n    transfers {\n      ...TransferFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}\n\nmutation CancelCardCheckout($input: CancelCardCheckoutInput!) {\n  cancelCardCheckout(input: $input) {\n    checkout {\n      ...CardCheckoutFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GiftCardBalance($code: String!) {\n  balance(code: $code) {\n    ...MoneyFields\n  }\n}"): (typeof documents)["query GiftCardBalance($code: String!) {\n  balance(code: $code) {\n    ...MoneyFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyAccounts($first: Int, $after: String, $filter: AccountFilter, $history: Int) {\n  myAccounts(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        ...AccountFields\n        transfers(first: $history) {\n          totalCount\n          edges {\n            node {\n              ...TransferFields\n            }\n          }\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query MyAccounts($first: Int, $after: String, $filter: AccountFilter, $history: Int) {\n  myAccounts(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        ...AccountFields\n        transfers(first: $history) {\n          totalCount\n          edges {\n            node {\n              ...TransferFields\n            }\n          }\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PayWithAccount($input: PayWithAccountInput!) {\n  payWithAccount(input: $input) {\n    order {\n      number\n      status\n      placedAt\n      guestEmail\n      total {\n        ...MoneyFields\n      }\n      shipping {\n        ...MoneyFields\n      }\n    }\n    transfers {\n      ...TransferFields\n    }\n    amountDue {\n      ...MoneyFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}"): (typeof documents)["mutation PayWithAccount($input: PayWithAccountInput!) {\n  payWithAccount(input: $input) {\n    order {\n      number\n      status\n      placedAt\n      guestEmail\n      total {\n        ...MoneyFields\n      }\n      shipping {\n        ...MoneyFields\n      }\n    }\n    transfers {\n      ...TransferFields\n    }\n    amountDue {\n      ...MoneyFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RedeemGiftCard($input: RedeemGiftCardInput!) {\n  redeemGiftCard(input: $input) {\n    account {\n      ...AccountFields\n    }\n    transfer {\n      ...TransferFields\n    }\n    amount {\n      ...MoneyFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}"): (typeof documents)["mutation RedeemGiftCard($input: RedeemGiftCardInput!) {\n  redeemGiftCard(input: $input) {\n    account {\n      ...AccountFields\n    }\n    transfer {\n      ...TransferFields\n    }\n    amount {\n      ...MoneyFields\n    }\n    errors {\n      ...ErrorFields\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Transfers($accountId: ID, $first: Int, $after: String) {\n  transfers(accountId: $accountId, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        ...TransferFields\n      }\n    }\n  }\n}"): (typeof documents)["query Transfers($accountId: ID, $first: Int, $after: String) {\n  transfers(accountId: $accountId, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        ...TransferFields\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment MoneyFields on Money {\n  amount\n  currency\n}\n\nfragment ErrorFields on AccountError {\n  field\n  code\n  message\n  retryAfter\n}\n\nfragment AccountFields on Account {\n  id\n  name\n  kind\n  currency\n  status\n  isActive\n  codeLast4\n  endDate\n  balance {\n    ...MoneyFields\n  }\n  amountAvailable {\n    ...MoneyFields\n  }\n  held {\n    ...MoneyFields\n  }\n  creditLimit {\n    ...MoneyFields\n  }\n}\n\nfragment TransferFields on Transfer {\n  id\n  reference\n  accountId\n  direction\n  amount {\n    ...MoneyFields\n  }\n  balanceAfter {\n    ...MoneyFields\n  }\n  description\n  merchantReference\n  counterparty\n  isReversal\n  createdAt\n}"): (typeof documents)["fragment MoneyFields on Money {\n  amount\n  currency\n}\n\nfragment ErrorFields on AccountError {\n  field\n  code\n  message\n  retryAfter\n}\n\nfragment AccountFields on Account {\n  id\n  name\n  kind\n  currency\n  status\n  isActive\n  codeLast4\n  endDate\n  balance {\n    ...MoneyFields\n  }\n  amountAvailable {\n    ...MoneyFields\n  }\n  held {\n    ...MoneyFields\n  }\n  creditLimit {\n    ...MoneyFields\n  }\n}\n\nfragment TransferFields on Transfer {\n  id\n  reference\n  accountId\n  direction\n  amount {\n    ...MoneyFields\n  }\n  balanceAfter {\n    ...MoneyFields\n  }\n  description\n  merchantReference\n  counterparty\n  isReversal\n  createdAt\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** Date with time (isoformat) */
  DateTime: { input: string; output: string; }
  /** A decimal number as a string, e.g. "12.50". Money amounts have at most the currency's decimal places (GBP 2, JPY 0). */
  Decimal: { input: string; output: string; }
};

/** An account holding money for you: store credit, a gift card, points, a B2B account. */
export type Account = {
  __typename?: 'Account';
  /** What can be spent now: balance plus credit limit. Null when unlimited. */
  amountAvailable?: Maybe<Money>;
  /** Money in the account now (negative when a B2B account owes). */
  balance: Money;
  /** May pay for shipping and other charges. */
  canBeUsedForNonProducts: Scalars['Boolean']['output'];
  /** A gift card's code, masked to its last 4 characters (••••ABCD). The full code is never shown again. */
  codeLast4?: Maybe<Scalars['String']['output']>;
  /** How far below zero the balance may go (0 for most accounts). Null when unlimited. */
  creditLimit?: Maybe<Money>;
  /** ISO 4217 currency of everything in this account. */
  currency: Scalars['String']['output'];
  /** When the account expires; unspent money lapses. */
  endDate?: Maybe<Scalars['DateTime']['output']>;
  /** Global ID. */
  id: Scalars['ID']['output'];
  /** Inside its validity dates now. */
  isActive: Scalars['Boolean']['output'];
  /** What the account is for. */
  kind: AccountKind;
  /** The account's name. */
  name: Scalars['String']['output'];
  /** Name of the product range this account may pay for; null: any product. */
  productRange?: Maybe<Scalars['String']['output']>;
  /** First moment the account can be used. */
  startDate?: Maybe<Scalars['DateTime']['output']>;
  /** OPEN, FROZEN (by staff) or CLOSED. */
  status: AccountStatus;
  /** This account's history, newest first (at most 100 per page). */
  transfers: TransferConnection;
};


/** An account holding money for you: store credit, a gift card, points, a B2B account. */
export type AccountTransfersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of items (Relay connection). */
export type AccountConnection = {
  __typename?: 'AccountConnection';
  /** The items on this page, newest first. */
  edges: Array<AccountEdge>;
  /** Paging information. */
  pageInfo: PageInfo;
  /** How many items there are in all pages together. */
  totalCount: Scalars['Int']['output'];
};

/** An item and its cursor. */
export type AccountEdge = {
  __typename?: 'AccountEdge';
  /** Opaque position of this item. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: Account;
};

/** A refusal: which input field (if one), a stable code, and a message for people. */
export type AccountError = {
  __typename?: 'AccountError';
  /** Stable machine-readable reason. */
  code: AccountErrorCode;
  /** The input field at fault, e.g. `payments.0.amount`; null when none is. */
  field?: Maybe<Scalars['String']['output']>;
  /** What went wrong, in words a shopper can read. */
  message: Scalars['String']['output'];
  /** With CODE_ATTEMPTS_BLOCKED: seconds to wait before entering codes again. */
  retryAfter?: Maybe<Scalars['Int']['output']>;
};

/** Why an operation was refused. Stable: front ends switch on these. */
export type AccountErrorCode =
  | 'ACCOUNT_CLOSED'
  | 'ACCOUNT_FROZEN'
  | 'ACCOUNT_INACTIVE'
  | 'BASKET_CHANGED'
  | 'BASKET_EMPTY'
  | 'CODE_ATTEMPTS_BLOCKED'
  | 'CURRENCY_MISMATCH'
  | 'IDEMPOTENCY_CONFLICT'
  | 'INSUFFICIENT_FUNDS'
  | 'INVALID'
  | 'INVALID_AMOUNT'
  | 'INVALID_CODE'
  | 'NOT_FOUND'
  | 'ORDER_PLACEMENT_FAILED'
  | 'PAYMENT_INCOMPLETE'
  | 'PERMISSION_DENIED'
  | 'REVERSAL_NOT_PERMITTED';

/** Narrow `myAccounts`; every field is optional and they combine with AND. */
export type AccountFilter = {
  /** Only this ISO 4217 currency. */
  currency?: InputMaybe<Scalars['String']['input']>;
  /** Only accounts inside (true) or outside (false) their validity dates. */
  isActive?: InputMaybe<Scalars['Boolean']['input']>;
  /** Only these kinds of account. */
  kind?: InputMaybe<Array<AccountKind>>;
  /** Only these statuses. */
  status?: InputMaybe<Array<AccountStatus>>;
};

/** What an account is for. */
export type AccountKind =
  | 'B2B_PREPAID'
  | 'GIFT_CARD'
  | 'LOYALTY_POINTS'
  | 'OTHER'
  | 'REFUND_WALLET'
  | 'STORE_CREDIT';

/** Whether money can move in and out of an account. */
export type AccountStatus =
  | 'CLOSED'
  | 'FROZEN'
  | 'OPEN';

/** A postal address (as Oscar stores it). */
export type AddressInput = {
  /** ISO 3166-1 alpha-2 country code, e.g. GB. */
  country: Scalars['String']['input'];
  /** Given name. */
  firstName: Scalars['String']['input'];
  /** Family name. */
  lastName: Scalars['String']['input'];
  /** First address line. */
  line1: Scalars['String']['input'];
  /** Second address line. */
  line2?: InputMaybe<Scalars['String']['input']>;
  /** Third address line. */
  line3?: InputMaybe<Scalars['String']['input']>;
  /** City or town. */
  line4: Scalars['String']['input'];
  /** Delivery instructions. */
  notes?: InputMaybe<Scalars['String']['input']>;
  /** Phone number in international format. */
  phoneNumber?: InputMaybe<Scalars['String']['input']>;
  /** Postal code. */
  postcode: Scalars['String']['input'];
  /** State, county or region. */
  state?: InputMaybe<Scalars['String']['input']>;
  /** Mr, Ms, Dr... */
  title?: InputMaybe<Scalars['String']['input']>;
};

/** An amount of money in one currency. */
export type Money = {
  __typename?: 'Money';
  /** The amount, with the currency's decimal places. */
  amount: Scalars['Decimal']['output'];
  /** ISO 4217 currency code, e.g. GBP. */
  currency: Scalars['String']['output'];
};

/** Move money: redeem gift cards, pay baskets, reverse transfers (staff). */
export type Mutation = {
  __typename?: 'Mutation';
  /** Pay the basket you built through /api/basket/ from your accounts and/or gift-card codes, and place the order. All or nothing: on any error no money moves and the basket stays open. Guests pay with codes and give `guestEmail`. */
  payWithAccount: PayWithAccountPayload;
  /** Move a gift card's whole balance into your store-credit account of its currency (opened on first use). Unknown, expired, closed, empty and redeemed codes all answer INVALID_CODE; too many failures answer CODE_ATTEMPTS_BLOCKED with `retryAfter`. Requires sign-in. */
  redeemGiftCard: RedeemGiftCardPayload;
  /** Reverse a transfer (staff with the reverse_transfer permission): in full, or partly up to what is still left. The money goes back to the original source and the reversal links to the original. */
  reverseTransfer: ReverseTransferPayload;
};


/** Move money: redeem gift cards, pay baskets, reverse transfers (staff). */
export type MutationPayWithAccountArgs = {
  input: PayWithAccountInput;
};


/** Move money: redeem gift cards, pay baskets, reverse transfers (staff). */
export type MutationRedeemGiftCardArgs = {
  input: RedeemGiftCardInput;
};


/** Move money: redeem gift cards, pay baskets, reverse transfers (staff). */
export type MutationReverseTransferArgs = {
  input: ReverseTransferInput;
};

/** An Oscar order placed by payWithAccount. */
export type Order = {
  __typename?: 'Order';
  /** The email given for a guest checkout. */
  guestEmail?: Maybe<Scalars['String']['output']>;
  /** The order number (also the merchant reference of its payments). */
  number: Scalars['String']['output'];
  /** When the order was placed. */
  placedAt: Scalars['DateTime']['output'];
  /** Shipping charge including tax. */
  shipping: Money;
  /** Oscar's order status. */
  status: Scalars['String']['output'];
  /** Order total including tax and shipping. */
  total: Money;
};

/** Where this page sits in the whole list (Relay). */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last item; pass it as `after` for the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** More items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Items precede this page. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** Cursor of the first item on this page. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** Pay a django-oscar-api basket from accounts and place the order. */
export type PayWithAccountInput = {
  /** The basket id from django-oscar-api (`/api/basket/` -> `id`). */
  basketId: Scalars['ID']['input'];
  /** Billing address, if different. */
  billingAddress?: InputMaybe<AddressInput>;
  /** Required when not signed in. */
  guestEmail?: InputMaybe<Scalars['String']['input']>;
  /** Repeat the same key to retry safely: the first result comes back, nothing is paid twice. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Where the money comes from, in order (at most 10). */
  payments: Array<PaymentSourceInput>;
  /** Needed when the basket needs shipping. */
  shippingAddress?: InputMaybe<AddressInput>;
  /** From `/api/basket/shipping-methods/`; default: the shop's default. */
  shippingMethodCode?: InputMaybe<Scalars['String']['input']>;
  /** The total the shopper was shown; BASKET_CHANGED if the order total now differs. */
  total?: InputMaybe<Scalars['Decimal']['input']>;
};

/** The result of payWithAccount. */
export type PayWithAccountPayload = {
  __typename?: 'PayWithAccountPayload';
  /** With PAYMENT_INCOMPLETE: what the given sources leave unpaid. */
  amountDue?: Maybe<Money>;
  /** Why nothing was paid, if so. */
  errors: Array<AccountError>;
  /** The placed order. */
  order?: Maybe<Order>;
  /** One entry per account charged. */
  transfers: Array<Transfer>;
};

/** One way to pay: one of your accounts or a gift-card code. Give exactly one. */
export type PaymentSourceInput = {
  /** One of your accounts. */
  accountId?: InputMaybe<Scalars['ID']['input']>;
  /** How much to take from this source; omitted: as much as it may pay of what is still due. */
  amount?: InputMaybe<Scalars['Decimal']['input']>;
  /** A gift-card code (guests pay this way). */
  code?: InputMaybe<Scalars['String']['input']>;
};

/** Read your accounts, balances and history. */
export type Query = {
  __typename?: 'Query';
  /** The balance of one of your accounts (`accountId`, needs sign-in) or of a gift card (`code`; failed attempts are counted and throttled). Give exactly one. */
  balance?: Maybe<Money>;
  /** Your accounts (as primary or secondary user), newest first. Requires sign-in. */
  myAccounts: AccountConnection;
  /** Your history across your accounts (or one of them), newest first. Requires sign-in. */
  transfers: TransferConnection;
};


/** Read your accounts, balances and history. */
export type QueryBalanceArgs = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  code?: InputMaybe<Scalars['String']['input']>;
};


/** Read your accounts, balances and history. */
export type QueryMyAccountsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AccountFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Read your accounts, balances and history. */
export type QueryTransfersArgs = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A gift-card code to redeem into your store credit. */
export type RedeemGiftCardInput = {
  /** The code as printed; case, spaces and dashes do not matter. */
  code: Scalars['String']['input'];
  /** Repeat the same key to retry safely: the first result comes back, nothing moves twice. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
};

/** The result of redeemGiftCard. */
export type RedeemGiftCardPayload = {
  __typename?: 'RedeemGiftCardPayload';
  /** Your store-credit account that received the money. */
  account?: Maybe<Account>;
  /** How much was moved. */
  amount?: Maybe<Money>;
  /** Why nothing happened, if so. */
  errors: Array<AccountError>;
  /** The entry on that account. */
  transfer?: Maybe<Transfer>;
};

/** Reverse a transfer in full or in part. */
export type ReverseTransferInput = {
  /** Omit to reverse everything still left. */
  amount?: InputMaybe<Scalars['Decimal']['input']>;
  /** Repeat the same key to retry safely. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Recorded as the reversal's description. */
  reason?: InputMaybe<Scalars['String']['input']>;
  /** The transfer: an entry's ID or the transfer's reference. */
  transferId: Scalars['ID']['input'];
};

/** The result of reverseTransfer. */
export type ReverseTransferPayload = {
  __typename?: 'ReverseTransferPayload';
  /** Why nothing happened, if so. */
  errors: Array<AccountError>;
  /** The reversal, as an entry on the account that got its money back. */
  transfer?: Maybe<Transfer>;
};

/** One entry in an account's history: the account's side of a transfer. */
export type Transfer = {
  __typename?: 'Transfer';
  /** The account this entry belongs to. */
  accountId: Scalars['ID']['output'];
  /** Signed change to the account: positive in, negative out. */
  amount: Money;
  /** The account's balance right after this entry. */
  balanceAfter: Money;
  /** Where the money came from or went: one of your accounts, a gift card, or the shop. Null when it is nobody you may know of. */
  counterparty?: Maybe<Scalars['String']['output']>;
  /** When the transfer was made. */
  createdAt: Scalars['DateTime']['output'];
  /** What the transfer was for. */
  description?: Maybe<Scalars['String']['output']>;
  /** CREDIT: money in; DEBIT: money out. */
  direction: TransferDirection;
  /** Global ID of this entry. */
  id: Scalars['ID']['output'];
  /** This entry reverses or refunds an earlier transfer. */
  isReversal: Scalars['Boolean']['output'];
  /** The order number, for payments and refunds. */
  merchantReference?: Maybe<Scalars['String']['output']>;
  /** The transfer's reference, for support and receipts. */
  reference: Scalars['String']['output'];
};

/** A page of items (Relay connection). */
export type TransferConnection = {
  __typename?: 'TransferConnection';
  /** The items on this page, newest first. */
  edges: Array<TransferEdge>;
  /** Paging information. */
  pageInfo: PageInfo;
  /** How many items there are in all pages together. */
  totalCount: Scalars['Int']['output'];
};

/** Whether an entry added money to the account or took it out. */
export type TransferDirection =
  | 'CREDIT'
  | 'DEBIT';

/** An item and its cursor. */
export type TransferEdge = {
  __typename?: 'TransferEdge';
  /** Opaque position of this item. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: Transfer;
};

/** Why an operation was refused. Stable: front ends switch on these. */
export type AccountErrorCode =
  | 'ACCOUNT_CLOSED'
  | 'ACCOUNT_FROZEN'
  | 'ACCOUNT_INACTIVE'
  | 'BASKET_CHANGED'
  | 'BASKET_EMPTY'
  | 'CODE_ATTEMPTS_BLOCKED'
  | 'CURRENCY_MISMATCH'
  | 'IDEMPOTENCY_CONFLICT'
  | 'INSUFFICIENT_FUNDS'
  | 'INVALID'
  | 'INVALID_AMOUNT'
  | 'INVALID_CODE'
  | 'NOT_FOUND'
  | 'ORDER_PLACEMENT_FAILED'
  | 'PAYMENT_INCOMPLETE'
  | 'PERMISSION_DENIED'
  | 'REVERSAL_NOT_PERMITTED';

/** Narrow `myAccounts`; every field is optional and they combine with AND. */
export type AccountFilter = {
  /** Only this ISO 4217 currency. */
  currency?: string | null | undefined;
  /** Only accounts inside (true) or outside (false) their validity dates. */
  isActive?: boolean | null | undefined;
  /** Only these kinds of account. */
  kind?: Array<AccountKind> | null | undefined;
  /** Only these statuses. */
  status?: Array<AccountStatus> | null | undefined;
};

/** What an account is for. */
export type AccountKind =
  | 'B2B_PREPAID'
  | 'GIFT_CARD'
  | 'LOYALTY_POINTS'
  | 'OTHER'
  | 'REFUND_WALLET'
  | 'STORE_CREDIT';

/** Whether money can move in and out of an account. */
export type AccountStatus =
  | 'CLOSED'
  | 'FROZEN'
  | 'OPEN';

/** A postal address (as Oscar stores it). */
export type AddressInput = {
  /** ISO 3166-1 alpha-2 country code, e.g. GB. */
  country: string;
  /** Given name. */
  firstName: string;
  /** Family name. */
  lastName: string;
  /** First address line. */
  line1: string;
  /** Second address line. */
  line2?: string | null | undefined;
  /** Third address line. */
  line3?: string | null | undefined;
  /** City or town. */
  line4: string;
  /** Delivery instructions. */
  notes?: string | null | undefined;
  /** Phone number in international format. */
  phoneNumber?: string | null | undefined;
  /** Postal code. */
  postcode: string;
  /** State, county or region. */
  state?: string | null | undefined;
  /** Mr, Ms, Dr... */
  title?: string | null | undefined;
};

/** Pay a django-oscar-api basket from accounts and place the order. */
export type PayWithAccountInput = {
  /** The basket id from django-oscar-api (`/api/basket/` -> `id`). */
  basketId: string | number;
  /** Billing address, if different. */
  billingAddress?: AddressInput | null | undefined;
  /** Required when not signed in. */
  guestEmail?: string | null | undefined;
  /** Repeat the same key to retry safely: the first result comes back, nothing is paid twice. */
  idempotencyKey?: string | null | undefined;
  /** Where the money comes from, in order (at most 10). */
  payments: Array<PaymentSourceInput>;
  /** Needed when the basket needs shipping. */
  shippingAddress?: AddressInput | null | undefined;
  /** From `/api/basket/shipping-methods/`; default: the shop's default. */
  shippingMethodCode?: string | null | undefined;
  /** The total the shopper was shown; BASKET_CHANGED if the order total now differs. */
  total?: string | null | undefined;
};

/** One way to pay: one of your accounts or a gift-card code. Give exactly one. */
export type PaymentSourceInput = {
  /** One of your accounts. */
  accountId?: string | number | null | undefined;
  /** How much to take from this source; omitted: as much as it may pay of what is still due. */
  amount?: string | null | undefined;
  /** A gift-card code (guests pay this way). */
  code?: string | null | undefined;
};

/** A gift-card code to redeem into your store credit. */
export type RedeemGiftCardInput = {
  /** The code as printed; case, spaces and dashes do not matter. */
  code: string;
  /** Repeat the same key to retry safely: the first result comes back, nothing moves twice. */
  idempotencyKey?: string | null | undefined;
};

/** Whether an entry added money to the account or took it out. */
export type TransferDirection =
  | 'CREDIT'
  | 'DEBIT';

export type AccountBalanceQueryVariables = Exact<{
  accountId: string | number;
}>;


export type AccountBalanceQuery = { balance: { amount: string, currency: string } | null };

export type GiftCardBalanceQueryVariables = Exact<{
  code: string;
}>;


export type GiftCardBalanceQuery = { balance: { amount: string, currency: string } | null };

export type MyAccountsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: AccountFilter | null | undefined;
  history?: number | null | undefined;
}>;


export type MyAccountsQuery = { myAccounts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, kind: AccountKind, currency: string, status: AccountStatus, isActive: boolean, codeLast4: string | null, endDate: string | null, transfers: { totalCount: number, edges: Array<{ node: { id: string, reference: string, accountId: string, direction: TransferDirection, description: string | null, merchantReference: string | null, counterparty: string | null, isReversal: boolean, createdAt: string, amount: { amount: string, currency: string }, balanceAfter: { amount: string, currency: string } } }> }, balance: { amount: string, currency: string }, amountAvailable: { amount: string, currency: string } | null, creditLimit: { amount: string, currency: string } | null } }> } };

export type PayWithAccountMutationVariables = Exact<{
  input: PayWithAccountInput;
}>;


export type PayWithAccountMutation = { payWithAccount: { order: { number: string, status: string, placedAt: string, guestEmail: string | null, total: { amount: string, currency: string }, shipping: { amount: string, currency: string } } | null, transfers: Array<{ id: string, reference: string, accountId: string, direction: TransferDirection, description: string | null, merchantReference: string | null, counterparty: string | null, isReversal: boolean, createdAt: string, amount: { amount: string, currency: string }, balanceAfter: { amount: string, currency: string } }>, amountDue: { amount: string, currency: string } | null, errors: Array<{ field: string | null, code: AccountErrorCode, message: string, retryAfter: number | null }> } };

export type RedeemGiftCardMutationVariables = Exact<{
  input: RedeemGiftCardInput;
}>;


export type RedeemGiftCardMutation = { redeemGiftCard: { account: { id: string, name: string, kind: AccountKind, currency: string, status: AccountStatus, isActive: boolean, codeLast4: string | null, endDate: string | null, balance: { amount: string, currency: string }, amountAvailable: { amount: string, currency: string } | null, creditLimit: { amount: string, currency: string } | null } | null, transfer: { id: string, reference: string, accountId: string, direction: TransferDirection, description: string | null, merchantReference: string | null, counterparty: string | null, isReversal: boolean, createdAt: string, amount: { amount: string, currency: string }, balanceAfter: { amount: string, currency: string } } | null, amount: { amount: string, currency: string } | null, errors: Array<{ field: string | null, code: AccountErrorCode, message: string, retryAfter: number | null }> } };

export type TransfersQueryVariables = Exact<{
  accountId?: string | number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type TransfersQuery = { transfers: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, reference: string, accountId: string, direction: TransferDirection, description: string | null, merchantReference: string | null, counterparty: string | null, isReversal: boolean, createdAt: string, amount: { amount: string, currency: string }, balanceAfter: { amount: string, currency: string } } }> } };

export type MoneyFieldsFragment = { amount: string, currency: string };

export type ErrorFieldsFragment = { field: string | null, code: AccountErrorCode, message: string, retryAfter: number | null };

export type AccountFieldsFragment = { id: string, name: string, kind: AccountKind, currency: string, status: AccountStatus, isActive: boolean, codeLast4: string | null, endDate: string | null, balance: { amount: string, currency: string }, amountAvailable: { amount: string, currency: string } | null, creditLimit: { amount: string, currency: string } | null };

export type TransferFieldsFragment = { id: string, reference: string, accountId: string, direction: TransferDirection, description: string | null, merchantReference: string | null, counterparty: string | null, isReversal: boolean, createdAt: string, amount: { amount: string, currency: string }, balanceAfter: { amount: string, currency: string } };

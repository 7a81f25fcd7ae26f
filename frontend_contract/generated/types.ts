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
  /** Date (isoformat) */
  Date: { input: unknown; output: unknown; }
  /** Date with time (isoformat) */
  DateTime: { input: string; output: string; }
  /** A decimal number as a string, e.g. "12.50". Money amounts have at most the currency's decimal places (GBP 2, JPY 0). */
  Decimal: { input: string; output: string; }
};

/** An account holding money for you: store credit, a gift card, points, a B2B account. */
export type Account = {
  __typename?: 'Account';
  /** What can be spent now: balance, less what checkouts hold, plus credit limit. Null when unlimited. */
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
  /** Reserved by checkouts waiting for a card payment: still in the balance, not spendable. */
  held: Money;
  /** Global ID (the same in the customer and the staff API). */
  id: Scalars['ID']['output'];
  /** Inside its validity dates now. */
  isActive: Scalars['Boolean']['output'];
  /** What the account is for (OTHER for the shop's own accounts). */
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
  | 'CARD_DECLINED'
  | 'CARD_RETRY'
  | 'CHECKOUT_CLOSED'
  | 'CHECKOUT_IN_PROGRESS'
  | 'CODE_ATTEMPTS_BLOCKED'
  | 'CURRENCY_MISMATCH'
  | 'IDEMPOTENCY_CONFLICT'
  | 'INSUFFICIENT_FUNDS'
  | 'INVALID'
  | 'INVALID_AMOUNT'
  | 'INVALID_CODE'
  | 'NOT_FOUND'
  | 'ORDER_PLACEMENT_FAILED'
  | 'PAYMENT_GATEWAY_ERROR'
  | 'PAYMENT_INCOMPLETE'
  | 'PERMISSION_DENIED'
  | 'REFUND_NOT_POSSIBLE'
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

/** How to order `accounts`. */
export type AccountOrdering =
  | 'BALANCE_ASC'
  | 'BALANCE_DESC'
  | 'EXPIRING_SOON'
  | 'NAME'
  | 'NEWEST'
  | 'OLDEST';

/** The result of an account operation. */
export type AccountPayload = {
  __typename?: 'AccountPayload';
  /** The account as it is now. */
  account?: Maybe<LedgerAccount>;
  /** Why nothing changed, if so. */
  errors: Array<AccountError>;
};

/** Freeze, thaw or close an account. */
export type AccountStateInput = {
  /** The account. */
  accountId: Scalars['ID']['input'];
};

/** Whether money can move in and out of an account. */
export type AccountStatus =
  | 'CLOSED'
  | 'FROZEN'
  | 'OPEN';

/** A node of the chart of accounts. */
export type AccountTypeNode = {
  __typename?: 'AccountTypeNode';
  /** Sub-types. */
  children: Array<AccountTypeNode>;
  /** Stable code, e.g. gift_cards. */
  code: Scalars['String']['output'];
  /** Ancestors' names and its own, joined with ' / '. */
  fullName: Scalars['String']['output'];
  /** Name. */
  name: Scalars['String']['output'];
};

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

/** Deferred income in one age band (days until expiry). */
export type AgeBucket = {
  __typename?: 'AgeBucket';
  /** Accounts holding money in this band. */
  accounts: Scalars['Int']['output'];
  /** One of: no_expiry, expired, within_30, within_60, within_90, over_90. */
  bucket: Scalars['String']['output'];
  /** The band in words. */
  label: Scalars['String']['output'];
  /** What they hold. */
  total: Money;
};

/** Give up a card checkout: its holds are released and its order cancelled. */
export type CancelCardCheckoutInput = {
  /** From startCardCheckout. */
  checkoutId: Scalars['ID']['input'];
};

/** A checkout paid partly from accounts (held) and the rest by card. */
export type CardCheckout = {
  __typename?: 'CardCheckout';
  /** What is left for the card. */
  byCard: Money;
  /** The card that paid, e.g. 'Visa ending 4242'. */
  card?: Maybe<Scalars['String']['output']>;
  /** Pay by then, or the holds are released and the order cancelled. */
  expiresAt: Scalars['DateTime']['output'];
  /** Why it ended, when it did. */
  failure?: Maybe<Scalars['String']['output']>;
  /** What the accounts pay (held now, taken on payment). */
  fromAccounts: Money;
  /** The accounts held for this checkout. */
  holds: Array<HeldPayment>;
  /** This checkout's secret id: pass it to payCardCheckout. */
  id: Scalars['ID']['output'];
  /** The order, placed as 'Pending payment' until the card is paid. */
  order: Order;
  /** PENDING: waiting for the card; PAID: done; FAILED, CANCELLED, EXPIRED: ended, nothing taken. */
  status: CardCheckoutStatus;
};

/** The result of startCardCheckout, payCardCheckout and cancelCardCheckout. */
export type CardCheckoutPayload = {
  __typename?: 'CardCheckoutPayload';
  /** The checkout, as it now is. */
  checkout?: Maybe<CardCheckout>;
  /** Why nothing changed, if so. */
  errors: Array<AccountError>;
  /** Once PAID: one entry per account charged. */
  transfers: Array<Transfer>;
};

/** Where a card checkout is. */
export type CardCheckoutStatus =
  | 'AUTHORISING'
  | 'CANCELLED'
  | 'EXPIRED'
  | 'FAILED'
  | 'PAID'
  | 'PENDING';

/** Open a new account of any type. */
export type CreateAccountInput = {
  /** May pay for shipping too. */
  canBeUsedForNonProducts?: Scalars['Boolean']['input'];
  /** How far below zero it may go (default 0). */
  creditLimit?: InputMaybe<Scalars['Decimal']['input']>;
  /** ISO 4217 currency. */
  currency: Scalars['String']['input'];
  /** Free text for staff. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Expiry. */
  endDate?: InputMaybe<Scalars['DateTime']['input']>;
  /** Name. */
  name: Scalars['String']['input'];
  /** Money to load at once. */
  openingBalance?: InputMaybe<Scalars['Decimal']['input']>;
  /** Owner's email. */
  primaryUserEmail?: InputMaybe<Scalars['String']['input']>;
  /** Oscar range id it may pay for. */
  productRangeId?: InputMaybe<Scalars['ID']['input']>;
  /** Who else may spend from it. */
  secondaryUserEmails?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Where the opening balance comes from (default: Unpaid source). */
  sourceAccountId?: InputMaybe<Scalars['ID']['input']>;
  /** Validity start. */
  startDate?: InputMaybe<Scalars['DateTime']['input']>;
  /** Account type code, e.g. store_credit, gift_cards, b2b_prepaid. */
  typeCode: Scalars['String']['input'];
  /** No credit limit at all (source accounts). */
  unlimitedCredit?: Scalars['Boolean']['input'];
};

/** Register a URL for signed events. */
export type CreateWebhookEndpointInput = {
  /** What it is for. */
  description?: Scalars['String']['input'];
  /** Types to send; empty: all. */
  eventTypes?: Array<Scalars['String']['input']>;
  /** http(s) URL that receives POSTs. */
  url: Scalars['String']['input'];
};

/** Ledger totals in one currency. */
export type CurrencySummary = {
  __typename?: 'CurrencySummary';
  /** Accounts. */
  accounts: Scalars['Int']['output'];
  /** Sum of all balances (zero when healthy). */
  balanceTotal: Money;
  /** Currency. */
  currency: Scalars['String']['output'];
  /** What deferred-income accounts hold. */
  customerBalances: Money;
  /** Transfers. */
  transfers: Scalars['Int']['output'];
};

/** What the shop owes its customers at the end of a day. */
export type DeferredIncomeReport = {
  __typename?: 'DeferredIncomeReport';
  /** Balances include every leg before this instant. */
  cutoff: Scalars['DateTime']['output'];
  /** The day reported on. */
  date: Scalars['Date']['output'];
  /** Per account type and currency. */
  rows: Array<DeferredIncomeRow>;
  /** Grand total per currency. */
  totals: Array<Money>;
};

/** One account type in one currency. */
export type DeferredIncomeRow = {
  __typename?: 'DeferredIncomeRow';
  /** Account type name. */
  accountType: Scalars['String']['output'];
  /** Accounts holding money. */
  accounts: Scalars['Int']['output'];
  /** The same, by days until expiry. */
  buckets: Array<AgeBucket>;
  /** Currency. */
  currency: Scalars['String']['output'];
  /** What they hold in all. */
  total: Money;
};

/** Remove an endpoint and its delivery log. */
export type DeleteWebhookEndpointInput = {
  /** The endpoint. */
  endpointId: Scalars['ID']['input'];
};

/** One ledger invariant and how many rows break it. */
export type HealthCheck = {
  __typename?: 'HealthCheck';
  /** Stable code of the check. */
  code: Scalars['String']['output'];
  /** The invariant. */
  description: Scalars['String']['output'];
  /** Up to 10 of them (references or account IDs). */
  examples: Array<Scalars['String']['output']>;
  /** Rows that break it (0 when healthy). */
  violations: Scalars['Int']['output'];
};

/** Money held on one of the checkout's accounts until the card is paid. */
export type HeldPayment = {
  __typename?: 'HeldPayment';
  /** The account held. */
  accountId: Scalars['ID']['output'];
  /** How much is held (taken when the card is paid). */
  amount: Money;
  /** PENDING, CAPTURED, VOIDED or EXPIRED. */
  status: Scalars['String']['output'];
};

/** Issue up to 1,000 gift cards of one amount. */
export type IssueGiftCardsInput = {
  /** Value of each card. */
  amount: Scalars['Decimal']['input'];
  /** How many (1 to 1,000). */
  count: Scalars['Int']['input'];
  /** ISO 4217 currency. */
  currency: Scalars['String']['input'];
  /** Expiry. */
  endDate?: InputMaybe<Scalars['DateTime']['input']>;
  /** Oscar range id the cards may pay for. */
  productRangeId?: InputMaybe<Scalars['ID']['input']>;
  /** Where the money comes from (default: Unpaid source). */
  sourceAccountId?: InputMaybe<Scalars['ID']['input']>;
  /** Validity start. */
  startDate?: InputMaybe<Scalars['DateTime']['input']>;
};

/** The result of issueGiftCards: the codes, shown this once. */
export type IssueGiftCardsPayload = {
  __typename?: 'IssueGiftCardsPayload';
  /** Why nothing was issued, if so. */
  errors: Array<AccountError>;
  /** The new cards with their codes. */
  giftCards: Array<IssuedGiftCard>;
  /** Value issued in all. */
  total?: Maybe<Money>;
};

/** A new gift card and its code, shown this once. */
export type IssuedGiftCard = {
  __typename?: 'IssuedGiftCard';
  /** The gift-card account. */
  account: LedgerAccount;
  /** The full code, in groups of 4. It is never shown again. */
  code: Scalars['String']['output'];
};

/** Any account in the ledger, as staff see it. */
export type LedgerAccount = {
  __typename?: 'LedgerAccount';
  /** Name of its account type, e.g. Gift cards. */
  accountType: Scalars['String']['output'];
  /** Code of its account type, e.g. gift_cards. */
  accountTypeCode: Scalars['String']['output'];
  /** What can be spent now: balance, less what checkouts hold, plus credit limit. Null when unlimited. */
  amountAvailable?: Maybe<Money>;
  /** Money in the account now (negative when a B2B account owes). */
  balance: Money;
  /** May pay for shipping and other charges. */
  canBeUsedForNonProducts: Scalars['Boolean']['output'];
  /** A gift card's code, masked to its last 4 characters (••••ABCD). The full code is never shown again. */
  codeLast4?: Maybe<Scalars['String']['output']>;
  /** When it was opened. */
  createdAt: Scalars['DateTime']['output'];
  /** How far below zero the balance may go (0 for most accounts). Null when unlimited. */
  creditLimit?: Maybe<Money>;
  /** ISO 4217 currency of everything in this account. */
  currency: Scalars['String']['output'];
  /** Free text for staff. */
  description: Scalars['String']['output'];
  /** When the account expires; unspent money lapses. */
  endDate?: Maybe<Scalars['DateTime']['output']>;
  /** Its legs, newest first, each with the balance after it (at most 100 per page). */
  entries: LedgerEntryConnection;
  /** Reserved by checkouts waiting for a card payment: still in the balance, not spendable. */
  held: Money;
  /** Global ID (the same in the customer and the staff API). */
  id: Scalars['ID']['output'];
  /** Inside its validity dates now. */
  isActive: Scalars['Boolean']['output'];
  /** Its end date has passed. */
  isExpired: Scalars['Boolean']['output'];
  /** What the account is for (OTHER for the shop's own accounts). */
  kind: AccountKind;
  /** The account's name. */
  name: Scalars['String']['output'];
  /** Email of the owner. */
  primaryUserEmail?: Maybe<Scalars['String']['output']>;
  /** Name of the product range this account may pay for; null: any product. */
  productRange?: Maybe<Scalars['String']['output']>;
  /** Emails of the secondary users, who may also spend from it. */
  secondaryUserEmails: Array<Scalars['String']['output']>;
  /** First moment the account can be used. */
  startDate?: Maybe<Scalars['DateTime']['output']>;
  /** OPEN, FROZEN (by staff) or CLOSED. */
  status: AccountStatus;
};


/** Any account in the ledger, as staff see it. */
export type LedgerAccountEntriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of items (Relay connection). */
export type LedgerAccountConnection = {
  __typename?: 'LedgerAccountConnection';
  /** Contains the nodes in this connection */
  edges: Array<LedgerAccountEdge>;
  /** Pagination data for this connection */
  pageInfo: PageInfo;
  /** How many items there are in all pages together. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type LedgerAccountEdge = {
  __typename?: 'LedgerAccountEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: LedgerAccount;
};

/** Narrow `accounts`; fields combine with AND. */
export type LedgerAccountFilter = {
  /** A gift card's last 4 code characters. */
  codeLast4?: InputMaybe<Scalars['String']['input']>;
  /** Only this currency. */
  currency?: InputMaybe<Scalars['String']['input']>;
  /** Inside (true) or outside (false) the validity window. */
  isActive?: InputMaybe<Scalars['Boolean']['input']>;
  /** End date passed (true) or not (false). */
  isExpired?: InputMaybe<Scalars['Boolean']['input']>;
  /** Primary or secondary user's email (exact, any case). */
  ownerEmail?: InputMaybe<Scalars['String']['input']>;
  /** Only these statuses. */
  status?: InputMaybe<Array<AccountStatus>>;
  /** Account type codes, e.g. gift_cards. */
  typeCode?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** The name and ID of an account a transfer touches. */
export type LedgerAccountRef = {
  __typename?: 'LedgerAccountRef';
  /** Code of its account type. */
  accountTypeCode: Scalars['String']['output'];
  /** Global ID. */
  id: Scalars['ID']['output'];
  /** Name (gift cards show only the code's last 4 characters). */
  name: Scalars['String']['output'];
};

/** One leg: an account's side of a transfer. */
export type LedgerEntry = {
  __typename?: 'LedgerEntry';
  /** Signed change to the account. */
  amount: Money;
  /** The account's balance right after it. */
  balanceAfter: Money;
  /** When. */
  createdAt: Scalars['DateTime']['output'];
  /** The transfer's description. */
  description?: Maybe<Scalars['String']['output']>;
  /** Global ID of the leg (a Transfer ID in the customer API). */
  id: Scalars['ID']['output'];
  /** The transfer's merchant reference. */
  merchantReference?: Maybe<Scalars['String']['output']>;
  /** Reference of its transfer. */
  transferReference: Scalars['String']['output'];
  /** Who made the transfer (empty for the system). */
  username: Scalars['String']['output'];
};

/** A page of items (Relay connection). */
export type LedgerEntryConnection = {
  __typename?: 'LedgerEntryConnection';
  /** Contains the nodes in this connection */
  edges: Array<LedgerEntryEdge>;
  /** Pagination data for this connection */
  pageInfo: PageInfo;
  /** How many items there are in all pages together. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type LedgerEntryEdge = {
  __typename?: 'LedgerEntryEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: LedgerEntry;
};

/** The reconciliation checks, as data. */
export type LedgerHealth = {
  __typename?: 'LedgerHealth';
  /** Every check. */
  checks: Array<HealthCheck>;
  /** Totals per currency. */
  currencies: Array<CurrencySummary>;
  /** True when no check has a violation. */
  ok: Scalars['Boolean']['output'];
};

/** A transfer in full: both accounts, who and why. */
export type LedgerTransfer = {
  __typename?: 'LedgerTransfer';
  /** Amount moved. */
  amount: Money;
  /** When. */
  createdAt: Scalars['DateTime']['output'];
  /** Why. */
  description?: Maybe<Scalars['String']['output']>;
  /** Where it went. */
  destination: LedgerAccountRef;
  /** Global ID. */
  id: Scalars['ID']['output'];
  /** Order number or other merchant reference. */
  merchantReference?: Maybe<Scalars['String']['output']>;
  /** The transfer this one reverses or refunds. */
  parentReference?: Maybe<Scalars['String']['output']>;
  /** Unique reference (32 hex characters). */
  reference: Scalars['String']['output'];
  /** What can still be reversed or refunded. */
  refundable: Money;
  /** Where the money came from. */
  source: LedgerAccountRef;
  /** Who (a snapshot that survives the user's deletion). */
  username: Scalars['String']['output'];
};

/** A page of items (Relay connection). */
export type LedgerTransferConnection = {
  __typename?: 'LedgerTransferConnection';
  /** Contains the nodes in this connection */
  edges: Array<LedgerTransferEdge>;
  /** Pagination data for this connection */
  pageInfo: PageInfo;
  /** How many items there are in all pages together. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type LedgerTransferEdge = {
  __typename?: 'LedgerTransferEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: LedgerTransfer;
};

/** How loyalty points are earned (edited in the dashboard: Accounts > Loyalty rule). */
export type LoyaltyRule = {
  __typename?: 'LoyaltyRule';
  /** Code of the account type points go to. */
  accountType: Scalars['String']['output'];
  /** With DAYS: how many days after payment. */
  days: Scalars['Int']['output'];
  /** Whether orders earn points. */
  isActive: Scalars['Boolean']['output'];
  /** Points per currency unit paid (gift cards and points excluded). */
  rate: Scalars['Decimal']['output'];
  /** PLACEMENT, DISPATCH or DAYS: when points can be spent. */
  spendable: Scalars['String']['output'];
};

/** An amount of money in one currency. */
export type Money = {
  __typename?: 'Money';
  /** The amount, with the currency's decimal places. */
  amount: Scalars['Decimal']['output'];
  /** ISO 4217 currency code, e.g. GBP. */
  currency: Scalars['String']['output'];
};

/** Move money into or out of an account. */
export type MoveMoneyInput = {
  /** The account. */
  accountId: Scalars['ID']['input'];
  /** How much. */
  amount: Scalars['Decimal']['input'];
  /** The other side: Bank, Unpaid source or Promotions (default: Unpaid source). */
  counterAccountId?: InputMaybe<Scalars['ID']['input']>;
  /** Why (recorded on the transfer). */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Repeat the same key to retry safely. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
};

/** The result of a top-up or withdrawal. */
export type MoveMoneyPayload = {
  __typename?: 'MoveMoneyPayload';
  /** The account as it is now. */
  account?: Maybe<LedgerAccount>;
  /** Why nothing moved, if so. */
  errors: Array<AccountError>;
  /** The transfer made. */
  transfer?: Maybe<LedgerTransfer>;
};

/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Give up a card checkout that is not paid: the holds are released, the order is cancelled and the basket is open again. */
  cancelCardCheckout: CardCheckoutPayload;
  /** Close an empty account for good; refused while it holds or owes money. Requires staff with ledger.manage_accounts. */
  closeAccount: AccountPayload;
  /** Open an account of any type, optionally with an opening balance. Requires staff with ledger.manage_accounts. */
  createAccount: AccountPayload;
  /** Register a webhook endpoint; its signing secret is in the answer, once. Requires staff with events.manage_webhooks. */
  createWebhookEndpoint: WebhookEndpointPayload;
  /** Remove a webhook endpoint and its delivery log. Requires staff with events.manage_webhooks. */
  deleteWebhookEndpoint: WebhookEndpointPayload;
  /** Stop all money movement on an open account. Requires staff with ledger.manage_accounts. */
  freezeAccount: AccountPayload;
  /** Issue up to 1,000 gift cards; each code is in this payload and never shown again. Requires staff with ledger.issue_gift_cards. */
  issueGiftCards: IssueGiftCardsPayload;
  /** Pay the rest of a card checkout by card. Approved: the held accounts are charged and the order is paid (PAID). CARD_DECLINED or PAYMENT_GATEWAY_ERROR: the checkout has ended, the holds are released and the basket is open again. CARD_RETRY: try again, with this card or another. Repeating it for a PAID checkout returns it again. */
  payCardCheckout: CardCheckoutPayload;
  /** Pay the basket you built through /api/basket/ from your accounts and/or gift-card codes, and place the order. All or nothing: on any error no money moves and the basket stays open. Guests pay with codes and give `guestEmail`. */
  payWithAccount: PayWithAccountPayload;
  /** Move a gift card's whole balance into your store-credit account of its currency (opened on first use). Unknown, expired, closed, empty and redeemed codes all answer INVALID_CODE; too many failures answer CODE_ATTEMPTS_BLOCKED with `retryAfter`. Requires sign-in. */
  redeemGiftCard: RedeemGiftCardPayload;
  /** Refund (part of) an order, an amount or some lines: to the card it was paid with, back to the accounts and gift cards that paid it, or to the customer's store credit. Capped by what was paid that way and not refunded yet, and by what is left of the order's total. Loyalty points earned by the order are taken back pro rata. Requires staff with ledger.reverse_transfer. */
  refundOrder: RefundOrderPayload;
  /** Reverse a transfer: in full, or partly up to what is still left. The money goes back to the original source and the reversal links to the original. Requires staff with ledger.reverse_transfer. */
  reverseTransfer: ReverseTransferPayload;
  /** Start paying the basket you built through /api/basket/ partly from your accounts and/or gift-card codes and the rest by card. The accounts are held (not yet taken), the order is placed as 'Pending payment' and the basket is frozen; pay the rest with payCardCheckout before `expiresAt`, or give `cardToken` here to charge the card at once (the same outcomes and codes as payCardCheckout). When the accounts cover everything, the checkout is PAID at once. */
  startCardCheckout: CardCheckoutPayload;
  /** Reopen a frozen account; a closed one stays closed. Requires staff with ledger.manage_accounts. */
  thawAccount: AccountPayload;
  /** Load money into an account from Bank, Unpaid source or Promotions. Requires staff with ledger.move_money. */
  topUpAccount: MoveMoneyPayload;
  /** Change an account's details, credit limit and dates included; never its balance or status. Requires staff with ledger.manage_accounts. */
  updateAccount: AccountPayload;
  /** Change a webhook endpoint, or pause it. Requires staff with events.manage_webhooks. */
  updateWebhookEndpoint: WebhookEndpointPayload;
  /** Return money from an account to Bank, Unpaid source or Promotions. Requires staff with ledger.move_money. */
  withdrawFromAccount: MoveMoneyPayload;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationCancelCardCheckoutArgs = {
  input: CancelCardCheckoutInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationCloseAccountArgs = {
  input: AccountStateInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationCreateAccountArgs = {
  input: CreateAccountInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationCreateWebhookEndpointArgs = {
  input: CreateWebhookEndpointInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationDeleteWebhookEndpointArgs = {
  input: DeleteWebhookEndpointInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationFreezeAccountArgs = {
  input: AccountStateInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationIssueGiftCardsArgs = {
  input: IssueGiftCardsInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationPayCardCheckoutArgs = {
  input: PayCardCheckoutInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationPayWithAccountArgs = {
  input: PayWithAccountInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationRedeemGiftCardArgs = {
  input: RedeemGiftCardInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationRefundOrderArgs = {
  input: RefundOrderInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationReverseTransferArgs = {
  input: ReverseTransferInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationStartCardCheckoutArgs = {
  input: StartCardCheckoutInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationThawAccountArgs = {
  input: AccountStateInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationTopUpAccountArgs = {
  input: MoveMoneyInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationUpdateAccountArgs = {
  input: UpdateAccountInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationUpdateWebhookEndpointArgs = {
  input: UpdateWebhookEndpointInput;
};


/** Customers redeem gift cards and pay baskets; staff run accounts and move money. */
export type MutationWithdrawFromAccountArgs = {
  input: MoveMoneyInput;
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

/** Information to aid in pagination. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** When paginating forwards, the cursor to continue. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** When paginating forwards, are there more items? */
  hasNextPage: Scalars['Boolean']['output'];
  /** When paginating backwards, are there more items? */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** When paginating backwards, the cursor to continue. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** Pay what the held accounts leave, by card. */
export type PayCardCheckoutInput = {
  /** The card processor's token for the card, made in the browser by its library. The sandbox takes a test card number (see the README). */
  cardToken: Scalars['String']['input'];
  /** From startCardCheckout. Keep it secret. */
  checkoutId: Scalars['ID']['input'];
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

/** One line of the profit and loss report. */
export type ProfitLossLine = {
  __typename?: 'ProfitLossLine';
  /** Total over the period. */
  amount: Money;
  /** Stable code of the line. */
  code: Scalars['String']['output'];
  /** The line in words. */
  label: Scalars['String']['output'];
};

/** Money through the ledger between two days, and the net income. */
export type ProfitLossReport = {
  __typename?: 'ProfitLossReport';
  /** Currency. */
  currency: Scalars['String']['output'];
  /** Last day, included. */
  endDate: Scalars['Date']['output'];
  /** Each kind of movement. */
  lines: Array<ProfitLossLine>;
  /** Redemptions - refunds + lapsed - promotions. */
  net: Money;
  /** First day, included. */
  startDate: Scalars['Date']['output'];
};

/** Customers read their accounts, balances and history; staff read the whole ledger. */
export type Query = {
  __typename?: 'Query';
  /** One account with its legs. Requires staff with ledger.view_account. */
  account: LedgerAccount;
  /** The chart of accounts as a tree. Requires staff with ledger.view_account. */
  accountTypes: Array<AccountTypeNode>;
  /** Every account, filtered, searched and ordered. Requires staff with ledger.view_account. */
  accounts: LedgerAccountConnection;
  /** Every transfer, newest first, filtered. Requires staff with ledger.view_transfer. */
  allTransfers: LedgerTransferConnection;
  /** The balance of one of your accounts (`accountId`, needs sign-in) or of a gift card (`code`; failed attempts are counted and throttled). Give exactly one. */
  balance?: Maybe<Money>;
  /** What the shop owes customers at the end of a day, aged by expiry. Requires staff with ledger.view_reports. */
  deferredIncomeReport: DeferredIncomeReport;
  /** Every reconciliation check, as data. Requires staff with ledger.view_reports. */
  ledgerHealth: LedgerHealth;
  /** The loyalty rule in force. Requires staff with loyalty.manage_loyalty. */
  loyaltyRule: LoyaltyRule;
  /** Your accounts (as primary or secondary user), newest first. Requires sign-in. */
  myAccounts: AccountConnection;
  /** Money in, redemptions, refunds, lapsed, withdrawals and net between two days. Requires staff with ledger.view_reports. */
  profitLossReport: ProfitLossReport;
  /** One transfer by ID or reference. Requires staff with ledger.view_transfer. */
  transfer: LedgerTransfer;
  /** Your history across your accounts (or one of them), newest first. Requires sign-in. */
  transfers: TransferConnection;
  /** The delivery log, newest first (at most 100). Requires staff with events.manage_webhooks. */
  webhookDeliveries: Array<WebhookDelivery>;
  /** The registered webhook endpoints. Requires staff with events.manage_webhooks. */
  webhookEndpoints: Array<WebhookEndpoint>;
};


/** Customers read their accounts, balances and history; staff read the whole ledger. */
export type QueryAccountArgs = {
  id: Scalars['ID']['input'];
};


/** Customers read their accounts, balances and history; staff read the whole ledger. */
export type QueryAccountsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<LedgerAccountFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  ordering?: AccountOrdering;
  search?: InputMaybe<Scalars['String']['input']>;
};


/** Customers read their accounts, balances and history; staff read the whole ledger. */
export type QueryAllTransfersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<TransferFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** Customers read their accounts, balances and history; staff read the whole ledger. */
export type QueryBalanceArgs = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  code?: InputMaybe<Scalars['String']['input']>;
};


/** Customers read their accounts, balances and history; staff read the whole ledger. */
export type QueryDeferredIncomeReportArgs = {
  currency?: InputMaybe<Scalars['String']['input']>;
  date: Scalars['Date']['input'];
};


/** Customers read their accounts, balances and history; staff read the whole ledger. */
export type QueryMyAccountsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AccountFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Customers read their accounts, balances and history; staff read the whole ledger. */
export type QueryProfitLossReportArgs = {
  currency: Scalars['String']['input'];
  endDate: Scalars['Date']['input'];
  startDate: Scalars['Date']['input'];
};


/** Customers read their accounts, balances and history; staff read the whole ledger. */
export type QueryTransferArgs = {
  id?: InputMaybe<Scalars['ID']['input']>;
  reference?: InputMaybe<Scalars['String']['input']>;
};


/** Customers read their accounts, balances and history; staff read the whole ledger. */
export type QueryTransfersArgs = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Customers read their accounts, balances and history; staff read the whole ledger. */
export type QueryWebhookDeliveriesArgs = {
  endpointId?: InputMaybe<Scalars['ID']['input']>;
  first?: Scalars['Int']['input'];
  status?: InputMaybe<Scalars['String']['input']>;
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

/** Where a refund goes. */
export type RefundDestination =
  | 'ACCOUNTS'
  | 'CARD'
  | 'STORE_CREDIT';

/** Some of one order line to refund. */
export type RefundLineInput = {
  /** The Oscar order line's id. */
  lineId: Scalars['Int']['input'];
  /** How many of it (at most what is left after earlier refunds). */
  quantity: Scalars['Int']['input'];
};

/** Refund (part of) an order: an amount or some lines, to its card, to the accounts that paid it, or to the customer's store credit. */
export type RefundOrderInput = {
  /** How much; at most what was paid that way and not refunded yet. Or give `lines`. */
  amount?: InputMaybe<Scalars['Decimal']['input']>;
  /** CARD: back to the card; ACCOUNTS: back to the wallets and gift cards that paid, oldest payment first; STORE_CREDIT: to the customer's store-credit wallet, whatever paid (not for guest orders). */
  destination: RefundDestination;
  /** Repeat the same key to retry safely: the first refund comes back. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Lines to refund at their unit price (instead of `amount`). */
  lines?: InputMaybe<Array<RefundLineInput>>;
  /** The Oscar order number. */
  orderNumber: Scalars['String']['input'];
  /** Shown in the accounts' history. */
  reason?: InputMaybe<Scalars['String']['input']>;
};

/** The result of refundOrder. */
export type RefundOrderPayload = {
  __typename?: 'RefundOrderPayload';
  /** The card processor's reference. */
  cardRefundReference?: Maybe<Scalars['String']['output']>;
  /** Why nothing was refunded, if so. */
  errors: Array<AccountError>;
  /** The refunded order. */
  order?: Maybe<Order>;
  /** How much was refunded. */
  refunded?: Maybe<Money>;
  /** ACCOUNTS and STORE_CREDIT: one entry per account credited. */
  transfers: Array<Transfer>;
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

/** Start a checkout paid partly from accounts and gift cards (held now) and the rest by card. */
export type StartCardCheckoutInput = {
  /** The basket id from django-oscar-api (`/api/basket/` -> `id`). */
  basketId: Scalars['ID']['input'];
  /** Billing address, if different. */
  billingAddress?: InputMaybe<AddressInput>;
  /** Charge the card at once (one round trip), as payCardCheckout would; omitted: the checkout waits for payCardCheckout. */
  cardToken?: InputMaybe<Scalars['String']['input']>;
  /** Required when not signed in. */
  guestEmail?: InputMaybe<Scalars['String']['input']>;
  /** Repeat the same key to retry safely: the first result comes back, nothing is paid twice. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Accounts and gift-card codes to hold, in order (at most 10); empty: all by card. */
  payments?: Array<PaymentSourceInput>;
  /** Needed when the basket needs shipping. */
  shippingAddress?: InputMaybe<AddressInput>;
  /** From `/api/basket/shipping-methods/`; default: the shop's default. */
  shippingMethodCode?: InputMaybe<Scalars['String']['input']>;
  /** The total the shopper was shown; BASKET_CHANGED if the order total now differs. */
  total?: InputMaybe<Scalars['Decimal']['input']>;
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

/** Narrow `allTransfers`; fields combine with AND. */
export type TransferFilter = {
  /** Touching this account. */
  accountId?: InputMaybe<Scalars['ID']['input']>;
  /** From this day (included). */
  dateFrom?: InputMaybe<Scalars['Date']['input']>;
  /** To this day (included). */
  dateTo?: InputMaybe<Scalars['Date']['input']>;
  /** This merchant reference (exact). */
  merchantReference?: InputMaybe<Scalars['String']['input']>;
  /** Made by this user. */
  userEmail?: InputMaybe<Scalars['String']['input']>;
};

/** Change an account's details; omitted fields stay as they are. */
export type UpdateAccountInput = {
  /** The account. */
  accountId: Scalars['ID']['input'];
  /** May pay for shipping too. */
  canBeUsedForNonProducts?: InputMaybe<Scalars['Boolean']['input']>;
  /** New credit limit; null: unlimited. */
  creditLimit?: InputMaybe<Scalars['Decimal']['input']>;
  /** Free text for staff. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Expiry; null clears it. */
  endDate?: InputMaybe<Scalars['DateTime']['input']>;
  /** Name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Owner's email; null: nobody. */
  primaryUserEmail?: InputMaybe<Scalars['String']['input']>;
  /** Oscar range id; null: any product. */
  productRangeId?: InputMaybe<Scalars['ID']['input']>;
  /** Replaces the secondary users. */
  secondaryUserEmails?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Validity start; null clears it. */
  startDate?: InputMaybe<Scalars['DateTime']['input']>;
};

/** Change an endpoint; omitted fields stay as they are. */
export type UpdateWebhookEndpointInput = {
  /** New description. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The endpoint. */
  endpointId: Scalars['ID']['input'];
  /** New event types; empty: all. */
  eventTypes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Pause (false) or resume (true). */
  isActive?: InputMaybe<Scalars['Boolean']['input']>;
  /** New URL. */
  url?: InputMaybe<Scalars['String']['input']>;
};

/** One event sent (or being sent) to one endpoint. */
export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  /** POSTs made so far. */
  attempts: Scalars['Int']['output'];
  /** When it succeeded. */
  deliveredAt?: Maybe<Scalars['DateTime']['output']>;
  /** The endpoint. */
  endpointId: Scalars['ID']['output'];
  /** The event's id, sent as `webhook-id`: stable across retries. */
  eventId: Scalars['String']['output'];
  /** e.g. transfer.posted. */
  eventType: Scalars['String']['output'];
  /** Why the last attempt failed. */
  lastError?: Maybe<Scalars['String']['output']>;
  /** The endpoint's last HTTP status. */
  lastStatusCode?: Maybe<Scalars['Int']['output']>;
  /** When it is tried again (PENDING). */
  nextAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  /** PENDING, SUCCEEDED or FAILED (gave up). */
  status: Scalars['String']['output'];
};

/** A URL that receives signed events (Standard Webhooks). */
export type WebhookEndpoint = {
  __typename?: 'WebhookEndpoint';
  /** When it was registered. */
  createdAt: Scalars['DateTime']['output'];
  /** What it is for. */
  description: Scalars['String']['output'];
  /** Event types it receives; empty: all. */
  eventTypes: Array<Scalars['String']['output']>;
  /** The endpoint's id. */
  id: Scalars['ID']['output'];
  /** Inactive endpoints receive nothing. */
  isActive: Scalars['Boolean']['output'];
  /** The signing secret (whsec_...): shown once, when the endpoint is created. */
  secret?: Maybe<Scalars['String']['output']>;
  /** Where events are POSTed. */
  url: Scalars['String']['output'];
};

/** The result of a webhook endpoint operation. */
export type WebhookEndpointPayload = {
  __typename?: 'WebhookEndpointPayload';
  /** The endpoint as it is now. */
  endpoint?: Maybe<WebhookEndpoint>;
  /** Why nothing changed, if so. */
  errors: Array<AccountError>;
};

/** Why an operation was refused. Stable: front ends switch on these. */
export type AccountErrorCode =
  | 'ACCOUNT_CLOSED'
  | 'ACCOUNT_FROZEN'
  | 'ACCOUNT_INACTIVE'
  | 'BASKET_CHANGED'
  | 'BASKET_EMPTY'
  | 'CARD_DECLINED'
  | 'CARD_RETRY'
  | 'CHECKOUT_CLOSED'
  | 'CHECKOUT_IN_PROGRESS'
  | 'CODE_ATTEMPTS_BLOCKED'
  | 'CURRENCY_MISMATCH'
  | 'IDEMPOTENCY_CONFLICT'
  | 'INSUFFICIENT_FUNDS'
  | 'INVALID'
  | 'INVALID_AMOUNT'
  | 'INVALID_CODE'
  | 'NOT_FOUND'
  | 'ORDER_PLACEMENT_FAILED'
  | 'PAYMENT_GATEWAY_ERROR'
  | 'PAYMENT_INCOMPLETE'
  | 'PERMISSION_DENIED'
  | 'REFUND_NOT_POSSIBLE'
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

/** Give up a card checkout: its holds are released and its order cancelled. */
export type CancelCardCheckoutInput = {
  /** From startCardCheckout. */
  checkoutId: string | number;
};

/** Where a card checkout is. */
export type CardCheckoutStatus =
  | 'AUTHORISING'
  | 'CANCELLED'
  | 'EXPIRED'
  | 'FAILED'
  | 'PAID'
  | 'PENDING';

/** Pay what the held accounts leave, by card. */
export type PayCardCheckoutInput = {
  /** The card processor's token for the card, made in the browser by its library. The sandbox takes a test card number (see the README). */
  cardToken: string;
  /** From startCardCheckout. Keep it secret. */
  checkoutId: string | number;
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

/** Start a checkout paid partly from accounts and gift cards (held now) and the rest by card. */
export type StartCardCheckoutInput = {
  /** The basket id from django-oscar-api (`/api/basket/` -> `id`). */
  basketId: string | number;
  /** Billing address, if different. */
  billingAddress?: AddressInput | null | undefined;
  /** Charge the card at once (one round trip), as payCardCheckout would; omitted: the checkout waits for payCardCheckout. */
  cardToken?: string | null | undefined;
  /** Required when not signed in. */
  guestEmail?: string | null | undefined;
  /** Repeat the same key to retry safely: the first result comes back, nothing is paid twice. */
  idempotencyKey?: string | null | undefined;
  /** Accounts and gift-card codes to hold, in order (at most 10); empty: all by card. */
  payments?: Array<PaymentSourceInput>;
  /** Needed when the basket needs shipping. */
  shippingAddress?: AddressInput | null | undefined;
  /** From `/api/basket/shipping-methods/`; default: the shop's default. */
  shippingMethodCode?: string | null | undefined;
  /** The total the shopper was shown; BASKET_CHANGED if the order total now differs. */
  total?: string | null | undefined;
};

/** Whether an entry added money to the account or took it out. */
export type TransferDirection =
  | 'CREDIT'
  | 'DEBIT';

export type AccountBalanceQueryVariables = Exact<{
  accountId: string | number;
}>;


export type AccountBalanceQuery = { balance: { amount: string, currency: string } | null };

export type CardCheckoutFieldsFragment = { id: string, status: CardCheckoutStatus, expiresAt: string, card: string | null, failure: string | null, order: { number: string, status: string, placedAt: string, guestEmail: string | null, total: { amount: string, currency: string }, shipping: { amount: string, currency: string } }, fromAccounts: { amount: string, currency: string }, byCard: { amount: string, currency: string }, holds: Array<{ accountId: string, status: string, amount: { amount: string, currency: string } }> };

export type StartCardCheckoutMutationVariables = Exact<{
  input: StartCardCheckoutInput;
}>;


export type StartCardCheckoutMutation = { startCardCheckout: { checkout: { id: string, status: CardCheckoutStatus, expiresAt: string, card: string | null, failure: string | null, order: { number: string, status: string, placedAt: string, guestEmail: string | null, total: { amount: string, currency: string }, shipping: { amount: string, currency: string } }, fromAccounts: { amount: string, currency: string }, byCard: { amount: string, currency: string }, holds: Array<{ accountId: string, status: string, amount: { amount: string, currency: string } }> } | null, transfers: Array<{ id: string, reference: string, accountId: string, direction: TransferDirection, description: string | null, merchantReference: string | null, counterparty: string | null, isReversal: boolean, createdAt: string, amount: { amount: string, currency: string }, balanceAfter: { amount: string, currency: string } }>, errors: Array<{ field: string | null, code: AccountErrorCode, message: string, retryAfter: number | null }> } };

export type PayCardCheckoutMutationVariables = Exact<{
  input: PayCardCheckoutInput;
}>;


export type PayCardCheckoutMutation = { payCardCheckout: { checkout: { id: string, status: CardCheckoutStatus, expiresAt: string, card: string | null, failure: string | null, order: { number: string, status: string, placedAt: string, guestEmail: string | null, total: { amount: string, currency: string }, shipping: { amount: string, currency: string } }, fromAccounts: { amount: string, currency: string }, byCard: { amount: string, currency: string }, holds: Array<{ accountId: string, status: string, amount: { amount: string, currency: string } }> } | null, transfers: Array<{ id: string, reference: string, accountId: string, direction: TransferDirection, description: string | null, merchantReference: string | null, counterparty: string | null, isReversal: boolean, createdAt: string, amount: { amount: string, currency: string }, balanceAfter: { amount: string, currency: string } }>, errors: Array<{ field: string | null, code: AccountErrorCode, message: string, retryAfter: number | null }> } };

export type CancelCardCheckoutMutationVariables = Exact<{
  input: CancelCardCheckoutInput;
}>;


export type CancelCardCheckoutMutation = { cancelCardCheckout: { checkout: { id: string, status: CardCheckoutStatus, expiresAt: string, card: string | null, failure: string | null, order: { number: string, status: string, placedAt: string, guestEmail: string | null, total: { amount: string, currency: string }, shipping: { amount: string, currency: string } }, fromAccounts: { amount: string, currency: string }, byCard: { amount: string, currency: string }, holds: Array<{ accountId: string, status: string, amount: { amount: string, currency: string } }> } | null, errors: Array<{ field: string | null, code: AccountErrorCode, message: string, retryAfter: number | null }> } };

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


export type MyAccountsQuery = { myAccounts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, kind: AccountKind, currency: string, status: AccountStatus, isActive: boolean, codeLast4: string | null, endDate: string | null, transfers: { totalCount: number, edges: Array<{ node: { id: string, reference: string, accountId: string, direction: TransferDirection, description: string | null, merchantReference: string | null, counterparty: string | null, isReversal: boolean, createdAt: string, amount: { amount: string, currency: string }, balanceAfter: { amount: string, currency: string } } }> }, balance: { amount: string, currency: string }, amountAvailable: { amount: string, currency: string } | null, held: { amount: string, currency: string }, creditLimit: { amount: string, currency: string } | null } }> } };

export type PayWithAccountMutationVariables = Exact<{
  input: PayWithAccountInput;
}>;


export type PayWithAccountMutation = { payWithAccount: { order: { number: string, status: string, placedAt: string, guestEmail: string | null, total: { amount: string, currency: string }, shipping: { amount: string, currency: string } } | null, transfers: Array<{ id: string, reference: string, accountId: string, direction: TransferDirection, description: string | null, merchantReference: string | null, counterparty: string | null, isReversal: boolean, createdAt: string, amount: { amount: string, currency: string }, balanceAfter: { amount: string, currency: string } }>, amountDue: { amount: string, currency: string } | null, errors: Array<{ field: string | null, code: AccountErrorCode, message: string, retryAfter: number | null }> } };

export type RedeemGiftCardMutationVariables = Exact<{
  input: RedeemGiftCardInput;
}>;


export type RedeemGiftCardMutation = { redeemGiftCard: { account: { id: string, name: string, kind: AccountKind, currency: string, status: AccountStatus, isActive: boolean, codeLast4: string | null, endDate: string | null, balance: { amount: string, currency: string }, amountAvailable: { amount: string, currency: string } | null, held: { amount: string, currency: string }, creditLimit: { amount: string, currency: string } | null } | null, transfer: { id: string, reference: string, accountId: string, direction: TransferDirection, description: string | null, merchantReference: string | null, counterparty: string | null, isReversal: boolean, createdAt: string, amount: { amount: string, currency: string }, balanceAfter: { amount: string, currency: string } } | null, amount: { amount: string, currency: string } | null, errors: Array<{ field: string | null, code: AccountErrorCode, message: string, retryAfter: number | null }> } };

export type TransfersQueryVariables = Exact<{
  accountId?: string | number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type TransfersQuery = { transfers: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, reference: string, accountId: string, direction: TransferDirection, description: string | null, merchantReference: string | null, counterparty: string | null, isReversal: boolean, createdAt: string, amount: { amount: string, currency: string }, balanceAfter: { amount: string, currency: string } } }> } };

export type MoneyFieldsFragment = { amount: string, currency: string };

export type ErrorFieldsFragment = { field: string | null, code: AccountErrorCode, message: string, retryAfter: number | null };

export type AccountFieldsFragment = { id: string, name: string, kind: AccountKind, currency: string, status: AccountStatus, isActive: boolean, codeLast4: string | null, endDate: string | null, balance: { amount: string, currency: string }, amountAvailable: { amount: string, currency: string } | null, held: { amount: string, currency: string }, creditLimit: { amount: string, currency: string } | null };

export type TransferFieldsFragment = { id: string, reference: string, accountId: string, direction: TransferDirection, description: string | null, merchantReference: string | null, counterparty: string | null, isReversal: boolean, createdAt: string, amount: { amount: string, currency: string }, balanceAfter: { amount: string, currency: string } };

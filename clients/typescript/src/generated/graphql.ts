import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /**
   * A calendar date as `YYYY-MM-DD` (RFC 3339's full-date, `"2026-12-04"`), with no time zone:
   * where a day depends on one (today, overdue, expired) it is the tenant's.
   */
  Date: { input: string; output: string; }
  /**
   * An instant, as RFC 3339 text. Output is always UTC with six fractional digits
   * (`"2026-11-25T14:03:07.120000Z"`); input may carry any offset and precision.
   */
  DateTime: { input: string; output: string; }
  /**
   * An exact decimal number that is not money — a tax rate, an ABV, a percentage change — as a
   * decimal string (`"13.5"`, `"-2.25"`, `"0.0725"`) with the digits it was stored with. Input is a
   * decimal string (a JSON integer is accepted too, never a float).
   */
  Decimal: { input: string; output: string; }
  /** A scalar that can represent any JSON value. */
  JSON: { input: unknown; output: unknown; }
  /**
   * An amount of money in the tenant's currency: a decimal string with exactly two digits after the
   * point (`"0.00"`, `"-12.50"`, `"348.72"`). Input is a decimal string (a JSON integer is accepted
   * too, never a float); each field refuses fractions of a cent with `BAD_USER_INPUT` naming it.
   */
  Money: { input: string; output: string; }
};

export type AccountHealth = {
  __typename?: 'AccountHealth';
  customer?: Maybe<Customer>;
  customerId: Scalars['ID']['output'];
  /** Every snapshot, newest first. */
  history: HealthSnapshotConnection;
  /** The customer's id: there is one account health per customer. */
  id: Scalars['ID']['output'];
  /** Null until the health job has assessed the customer. */
  latest?: Maybe<HealthSnapshot>;
};


export type AccountHealthHistoryArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type AccountHealthFilter = {
  atRiskOnly?: Scalars['Boolean']['input'];
  /** Health scores at or below this. */
  maxScore?: InputMaybe<Scalars['Int']['input']>;
  /** Any of these; all pace statuses when absent or empty. */
  paceStatuses?: InputMaybe<Array<PaceStatus>>;
  /** Accounts assigned to this rep. */
  repId?: InputMaybe<Scalars['ID']['input']>;
};

export type Activity = {
  __typename?: 'Activity';
  approvedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Who approved or rejected a pull beyond the allowance. */
  approvedById?: Maybe<Scalars['ID']['output']>;
  createdAt: Scalars['DateTime']['output'];
  customer?: Maybe<Customer>;
  customerId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  kind: ActivityKind;
  notes?: Maybe<Scalars['String']['output']>;
  occurredAt: Scalars['DateTime']['output'];
  outcome?: Maybe<Scalars['String']['output']>;
  /** The rep the activity is recorded for. */
  rep?: Maybe<User>;
  repId: Scalars['ID']['output'];
  sampleApprovalStatus: SampleApprovalStatus;
  /** Units pulled, for sample activities. */
  sampleQuantity?: Maybe<Scalars['Int']['output']>;
  /** The SKU pulled, for sample activities. */
  sampleSku?: Maybe<Sku>;
};

export type ActivityConnection = {
  __typename?: 'ActivityConnection';
  /** A list of edges. */
  edges: Array<ActivityEdge>;
  /** A list of nodes. */
  nodes: Array<Activity>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type ActivityEdge = {
  __typename?: 'ActivityEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Activity;
};

export type ActivityFilter = {
  /** Any of these; all approval statuses when absent or empty. */
  approvalStatuses?: InputMaybe<Array<SampleApprovalStatus>>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  kind?: InputMaybe<ActivityKind>;
  /** Occurred at or after. */
  occurredFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** Occurred at or before. */
  occurredTo?: InputMaybe<Scalars['DateTime']['input']>;
  repId?: InputMaybe<Scalars['ID']['input']>;
};

export type ActivityKind =
  | 'CALL'
  | 'EMAIL'
  | 'SAMPLE'
  | 'TASTING'
  | 'VISIT';

export type Allocation = {
  __typename?: 'Allocation';
  customer: Customer;
  customerId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  /** The last day the quantity covers. */
  periodEnd: Scalars['Date']['output'];
  /** The first day the quantity covers (the tenant's date). */
  periodStart: Scalars['Date']['output'];
  /** Units allocated for the period. */
  quantity: Scalars['Int']['output'];
  /** What may still be ordered in the period; never below 0. */
  remaining: Scalars['Int']['output'];
  sku: Sku;
  skuId: Scalars['ID']['output'];
  /**
   * Units of the SKU in the customer's submitted, confirmed, fulfilled and delivered orders
   * submitted within the period (cancelled orders give theirs back).
   */
  used: Scalars['Int']['output'];
};

export type AllocationConnection = {
  __typename?: 'AllocationConnection';
  /** A list of edges. */
  edges: Array<AllocationEdge>;
  /** A list of nodes. */
  nodes: Array<Allocation>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type AllocationEdge = {
  __typename?: 'AllocationEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Allocation;
};

export type AllocationFilter = {
  /** Only allocations whose period includes this day. */
  activeOn?: InputMaybe<Scalars['Date']['input']>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  skuId?: InputMaybe<Scalars['ID']['input']>;
};

/** Who a role or permission is for: the distributor's staff or its customers' portal users. */
export type Audience =
  | 'INTERNAL'
  | 'PORTAL';

export type AuthPayload = {
  __typename?: 'AuthPayload';
  /** Send as `Authorization: Bearer <accessToken>`. */
  accessToken: Scalars['String']['output'];
  /** When the access token expires. */
  expiresAt: Scalars['DateTime']['output'];
  /** Single use: exchange it with `refreshSession` for a new pair before it expires. */
  refreshToken: Scalars['String']['output'];
  tokenType: Scalars['String']['output'];
};

export type CallPlan = {
  __typename?: 'CallPlan';
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  createdAt: Scalars['DateTime']['output'];
  customer?: Maybe<Customer>;
  customerId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  objective: Scalars['String']['output'];
  outcome?: Maybe<Scalars['String']['output']>;
  rep?: Maybe<User>;
  repId: Scalars['ID']['output'];
  scheduledFor: Scalars['DateTime']['output'];
  status: CallPlanStatus;
};

export type CallPlanConnection = {
  __typename?: 'CallPlanConnection';
  /** A list of edges. */
  edges: Array<CallPlanEdge>;
  /** A list of nodes. */
  nodes: Array<CallPlan>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type CallPlanEdge = {
  __typename?: 'CallPlanEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: CallPlan;
};

export type CallPlanFilter = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  repId?: InputMaybe<Scalars['ID']['input']>;
  /** Scheduled at or after. */
  scheduledFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** Scheduled at or before. */
  scheduledTo?: InputMaybe<Scalars['DateTime']['input']>;
  /** Any of these; all statuses when absent or empty. */
  statuses?: InputMaybe<Array<CallPlanStatus>>;
};

export type CallPlanStatus =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'MISSED'
  | 'PLANNED';

export type Cart = {
  __typename?: 'Cart';
  convertedOrderId?: Maybe<Scalars['ID']['output']>;
  /** After this the cart can no longer be checked out. */
  expiresAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  items: Array<CartItem>;
  status: CartStatus;
};

export type CartItem = {
  __typename?: 'CartItem';
  id: Scalars['ID']['output'];
  quantity: Scalars['Int']['output'];
  sku: Sku;
};

export type CartStatus =
  | 'ABANDONED'
  | 'ACTIVE'
  | 'CONVERTED'
  | 'EXPIRED';

/**
 * A checkout: the order placed, and the buyer's cart as it now is (a new, empty one), so a
 * client's cached cart is current without asking again.
 */
export type CheckedOut = {
  __typename?: 'CheckedOut';
  cart: Cart;
  order: Order;
};

export type CheckoutInput = {
  /** Retrying with the same key returns the same order. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  notes?: InputMaybe<Scalars['String']['input']>;
  requestedDeliveryDate?: InputMaybe<Scalars['Date']['input']>;
};

export type ComplianceFiling = {
  __typename?: 'ComplianceFiling';
  amount?: Maybe<Scalars['Money']['output']>;
  createdAt: Scalars['DateTime']['output'];
  /** Days until the due date; negative once past it. */
  daysUntilDue: Scalars['Int']['output'];
  dueDate: Scalars['Date']['output'];
  /** What is filed (`excise_return`, `price_posting` …), as the tenant names it. */
  filingType: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  notes?: Maybe<Scalars['String']['output']>;
  periodEnd: Scalars['Date']['output'];
  periodStart: Scalars['Date']['output'];
  /** The regulator's confirmation number. */
  reference?: Maybe<Scalars['String']['output']>;
  state: Scalars['String']['output'];
  /** As of today in the tenant's time zone. */
  status: FilingStatus;
  submittedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type ComplianceFilingConnection = {
  __typename?: 'ComplianceFilingConnection';
  /** A list of edges. */
  edges: Array<ComplianceFilingEdge>;
  /** A list of nodes. */
  nodes: Array<ComplianceFiling>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type ComplianceFilingEdge = {
  __typename?: 'ComplianceFilingEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: ComplianceFiling;
};

export type ComplianceFilingFilter = {
  /** Due on or after. */
  dueFrom?: InputMaybe<Scalars['Date']['input']>;
  /** Due on or before. */
  dueTo?: InputMaybe<Scalars['Date']['input']>;
  filingType?: InputMaybe<Scalars['String']['input']>;
  state?: InputMaybe<Scalars['String']['input']>;
  /** Any of these statuses (as of today); all when absent or empty. */
  statuses?: InputMaybe<Array<FilingStatus>>;
};

export type CreateComplianceFilingInput = {
  amount?: InputMaybe<Scalars['Money']['input']>;
  dueDate: Scalars['Date']['input'];
  filingType: Scalars['String']['input'];
  notes?: InputMaybe<Scalars['String']['input']>;
  periodEnd: Scalars['Date']['input'];
  periodStart: Scalars['Date']['input'];
  state: Scalars['String']['input'];
};

export type CreateCustomerInput = {
  accountNumber: Scalars['String']['input'];
  assignedRepId?: InputMaybe<Scalars['ID']['input']>;
  billingAddress?: InputMaybe<Scalars['JSON']['input']>;
  creditLimit?: InputMaybe<Scalars['Money']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  licenseExpiresOn?: InputMaybe<Scalars['Date']['input']>;
  licenseNumber?: InputMaybe<Scalars['String']['input']>;
  licenseState?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  paymentTerms?: InputMaybe<PaymentTerms>;
  phone?: InputMaybe<Scalars['String']['input']>;
  priceTier?: InputMaybe<Scalars['String']['input']>;
  shippingAddress?: InputMaybe<Scalars['JSON']['input']>;
  /** Two-letter state code; decides excise tax. */
  state: Scalars['String']['input'];
};

export type CreateListInput = {
  /** Portal users may leave it out: their own customer. */
  customerId?: InputMaybe<Scalars['ID']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  kind?: InputMaybe<ListKind>;
  name: Scalars['String']['input'];
};

export type CreateOrderInput = {
  customerId: Scalars['ID']['input'];
  /** Retrying with the same key returns the same order instead of placing another. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  lines: Array<OrderLineInput>;
  notes?: InputMaybe<Scalars['String']['input']>;
  requestedDeliveryDate?: InputMaybe<Scalars['Date']['input']>;
  /** Submit at once (reserving stock) instead of saving a draft. */
  submit?: Scalars['Boolean']['input'];
};

export type CreatePortalUserInput = {
  customerId: Scalars['ID']['input'];
  email: Scalars['String']['input'];
  fullName: Scalars['String']['input'];
  password: Scalars['String']['input'];
  /** Portal role names; `portal_user` when empty. */
  roles?: Array<Scalars['String']['input']>;
};

export type CreateProductInput = {
  abv?: InputMaybe<Scalars['Decimal']['input']>;
  brand?: InputMaybe<Scalars['String']['input']>;
  category: ProductCategory;
  country?: InputMaybe<Scalars['String']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  name: Scalars['String']['input'];
  region?: InputMaybe<Scalars['String']['input']>;
  supplierId?: InputMaybe<Scalars['ID']['input']>;
  varietal?: InputMaybe<Scalars['String']['input']>;
  vintage?: InputMaybe<Scalars['Int']['input']>;
};

export type CreateRoleInput = {
  audience: Audience;
  description?: InputMaybe<Scalars['String']['input']>;
  /** An identifier such as `buyer_lead`; a tenant role shadows a system role of the same name. */
  name: Scalars['String']['input'];
  /** Permission keys of the role's audience. */
  permissions?: Array<Scalars['String']['input']>;
};

export type CreateSkuInput = {
  basePrice: Scalars['Money']['input'];
  code: Scalars['String']['input'];
  /**
   * Below this many available units the SKU is low on stock and `inventory.low` is recorded;
   * 0 or more, 0 (the default) meaning never. A new SKU has no stock yet, so a threshold above
   * 0 records `inventory.low` at once.
   */
  lowStockThreshold?: InputMaybe<Scalars['Int']['input']>;
  productId: Scalars['ID']['input'];
  sizeMl: Scalars['Int']['input'];
  unitCost?: InputMaybe<Scalars['Money']['input']>;
  unitsPerCase?: InputMaybe<Scalars['Int']['input']>;
  upc?: InputMaybe<Scalars['String']['input']>;
};

export type CreateStateTaxRateInput = {
  effectiveFrom: Scalars['Date']['input'];
  /** Exclusive; omit while the rate has no announced end. */
  effectiveUntil?: InputMaybe<Scalars['Date']['input']>;
  productCategory: ProductCategory;
  rate: Scalars['Decimal']['input'];
  rateKind: TaxRateKind;
  state: Scalars['String']['input'];
};

export type CreateSupplierInput = {
  contactEmail?: InputMaybe<Scalars['String']['input']>;
  contactName?: InputMaybe<Scalars['String']['input']>;
  country?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  phone?: InputMaybe<Scalars['String']['input']>;
  website?: InputMaybe<Scalars['String']['input']>;
};

export type CreateTaskInput = {
  /** Defaults to you; managers may assign to their reports, admins to anyone. */
  assigneeId?: InputMaybe<Scalars['ID']['input']>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  dueAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Defaults to `NORMAL`. */
  priority?: InputMaybe<Priority>;
  title: Scalars['String']['input'];
};

export type CreateUserInput = {
  email: Scalars['String']['input'];
  fullName: Scalars['String']['input'];
  managerId?: InputMaybe<Scalars['ID']['input']>;
  /** At least 8 characters. */
  password: Scalars['String']['input'];
  /** Internal role names, e.g. `sales_rep`. */
  roles?: Array<Scalars['String']['input']>;
};

export type CreateWebhookSubscriptionInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** Event type names from `webhookEventTypes`; at least one. */
  eventTypes: Array<Scalars['String']['input']>;
  /** Where events are POSTed; https (and a public address) in production. */
  url: Scalars['String']['input'];
};

export type Customer = {
  __typename?: 'Customer';
  accountNumber: Scalars['String']['output'];
  assignedRepId?: Maybe<Scalars['ID']['output']>;
  billingAddress?: Maybe<Scalars['JSON']['output']>;
  createdAt: Scalars['DateTime']['output'];
  /** Staff only. */
  creditLimit?: Maybe<Scalars['Money']['output']>;
  email?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /**
   * The customer's invoices, newest first unless sorted otherwise: what `invoices` answers for
   * this customer. `null` with `FORBIDDEN` for a viewer who may not see invoices.
   */
  invoices?: Maybe<InvoiceConnection>;
  licenseExpiresOn?: Maybe<Scalars['Date']['output']>;
  licenseNumber?: Maybe<Scalars['String']['output']>;
  licenseState?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  /**
   * The customer's orders, newest first unless sorted otherwise: what `orders` answers for
   * this customer. `null` with `FORBIDDEN` for a viewer who may not see orders.
   */
  orders?: Maybe<OrderConnection>;
  paymentTerms: PaymentTerms;
  phone?: Maybe<Scalars['String']['output']>;
  /**
   * The customer's portal users: what `portalUsers` answers for this customer. `null` with
   * `FORBIDDEN` for a viewer who may not manage them.
   */
  portalUsers?: Maybe<PortalUserConnection>;
  priceTier?: Maybe<Scalars['String']['output']>;
  shippingAddress?: Maybe<Scalars['JSON']['output']>;
  /** Where the customer is, which decides its excise tax. */
  state: Scalars['String']['output'];
  status: CustomerStatus;
};


export type CustomerInvoicesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<InvoiceOrder>;
  statuses?: InputMaybe<Array<InvoiceStatus>>;
};


export type CustomerOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<OrderOrder>;
  statuses?: InputMaybe<Array<OrderStatus>>;
};


export type CustomerPortalUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  statuses?: InputMaybe<Array<UserStatus>>;
};

export type CustomerConnection = {
  __typename?: 'CustomerConnection';
  /** A list of edges. */
  edges: Array<CustomerEdge>;
  /** A list of nodes. */
  nodes: Array<Customer>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type CustomerEdge = {
  __typename?: 'CustomerEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Customer;
};

export type CustomerFilter = {
  assignedRepId?: InputMaybe<Scalars['ID']['input']>;
  /** Matches the name, ignoring case. */
  search?: InputMaybe<Scalars['String']['input']>;
  state?: InputMaybe<Scalars['String']['input']>;
  /** Any of these; all statuses when absent or empty. */
  statuses?: InputMaybe<Array<CustomerStatus>>;
};

export type CustomerOrder = {
  direction?: SortDirection;
  field?: CustomerSortField;
};

export type CustomerSortField =
  | 'ACCOUNT_NUMBER'
  | 'CREATED_AT'
  | 'NAME';

export type CustomerStatus =
  | 'ACTIVE'
  | 'INACTIVE'
  | 'ON_HOLD';

/**
 * Which order lines a depletion report covers: those of the days `from` to `to` (both included,
 * the tenant's calendar, at most 366 days apart), narrowed by each list given (any of its
 * values; absent or empty narrows nothing).
 */
export type DepletionFilter = {
  brands?: InputMaybe<Array<Scalars['String']['input']>>;
  customerIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  from: Scalars['Date']['input'];
  productIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** The accounts' current reps. */
  repIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  skuIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** The customers' states, two-letter codes. */
  states?: InputMaybe<Array<Scalars['String']['input']>>;
  supplierIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  to: Scalars['Date']['input'];
};

/**
 * What a depletion report may group by. `REP` is the account's rep now; `STATE` the
 * customer's state.
 */
export type DepletionGroup =
  | 'BRAND'
  | 'CUSTOMER'
  | 'PRODUCT'
  | 'REP'
  | 'SKU'
  | 'STATE'
  | 'SUPPLIER';

/** Days; ISO weeks starting on Monday; calendar months (in the tenant's time zone). */
export type DepletionPeriod =
  | 'DAY'
  | 'MONTH'
  | 'WEEK';

/**
 * One group of a depletion report. The keys the report was not grouped by are null; a key it was
 * grouped by is null for lines without one (a product without a brand or supplier, an account
 * without a rep).
 */
export type DepletionRow = {
  __typename?: 'DepletionRow';
  brand?: Maybe<Scalars['String']['output']>;
  /** Units over each SKU's units per case, summed exactly and rounded once to four places. */
  cases: Scalars['Decimal']['output'];
  customerId?: Maybe<Scalars['ID']['output']>;
  /** Distinct orders with a line in the group. */
  orderCount: Scalars['Int']['output'];
  /**
   * The first day of the period, when the report has one; the first and last periods hold
   * only the days of the range.
   */
  periodStart?: Maybe<Scalars['Date']['output']>;
  productId?: Maybe<Scalars['ID']['output']>;
  /** The rep the account is assigned to now. */
  repId?: Maybe<Scalars['ID']['output']>;
  /** The lines' totals after discount and before tax; sample lines are not revenue. */
  revenue: Scalars['Money']['output'];
  skuId?: Maybe<Scalars['ID']['output']>;
  /** The customer's state. */
  state?: Maybe<Scalars['String']['output']>;
  supplierId?: Maybe<Scalars['ID']['output']>;
  /** Bottles that left the warehouse, samples included. */
  units: Scalars['Int']['output'];
};

/** The regulator's verdict on a submitted filing. */
export type FilingReview =
  | 'ACCEPT'
  | 'REJECT';

/**
 * upcoming (the period is running) → due (ended, not yet past due) → submitted →
 * accepted | rejected; overdue when unsubmitted past the due date.
 */
export type FilingStatus =
  | 'ACCEPTED'
  | 'DUE'
  | 'OVERDUE'
  | 'REJECTED'
  | 'SUBMITTED'
  | 'UPCOMING';

export type HealthRunSummary = {
  __typename?: 'HealthRunSummary';
  atRisk: Scalars['Int']['output'];
  callsMissed: Scalars['Int']['output'];
  filingsUpdated: Scalars['Int']['output'];
  metricRows: Scalars['Int']['output'];
  newlyAtRisk: Scalars['Int']['output'];
  notifications: Scalars['Int']['output'];
  snapshotDate: Scalars['Date']['output'];
  snapshots: Scalars['Int']['output'];
};

export type HealthSnapshot = {
  __typename?: 'HealthSnapshot';
  atRisk: Scalars['Boolean']['output'];
  avgReorderIntervalDays?: Maybe<Scalars['Decimal']['output']>;
  customer?: Maybe<Customer>;
  customerId: Scalars['ID']['output'];
  daysSinceLastOrder?: Maybe<Scalars['Int']['output']>;
  /** 0 (lost) to 100 (healthy). */
  healthScore: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  /** Orders in the last year. */
  orderCount: Scalars['Int']['output'];
  paceStatus: PaceStatus;
  /** Days in each compared revenue period. */
  periodDays: Scalars['Int']['output'];
  /**
   * Percent change from the previous period (−15.5 is a 15.5 % drop); null without previous
   * revenue.
   */
  revenueChangePct?: Maybe<Scalars['Decimal']['output']>;
  /** Revenue (order subtotals) in the period ending on the snapshot date. */
  revenueCurrent: Scalars['Money']['output'];
  /** Revenue in the period before it. */
  revenuePrevious: Scalars['Money']['output'];
  riskFlags: Array<RiskFlag>;
  /** Sample units pulled for the customer in the current period. */
  samplesUsed: Scalars['Int']['output'];
  snapshotDate: Scalars['Date']['output'];
};

export type HealthSnapshotConnection = {
  __typename?: 'HealthSnapshotConnection';
  /** A list of edges. */
  edges: Array<HealthSnapshotEdge>;
  /** A list of nodes. */
  nodes: Array<HealthSnapshot>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type HealthSnapshotEdge = {
  __typename?: 'HealthSnapshotEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: HealthSnapshot;
};

export type IntegrationToken = {
  __typename?: 'IntegrationToken';
  createdAt: Scalars['DateTime']['output'];
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  lastFour: Scalars['String']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  provider: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  scopes: Array<Scalars['String']['output']>;
  status: IntegrationTokenStatus;
};

export type IntegrationTokenConnection = {
  __typename?: 'IntegrationTokenConnection';
  /** A list of edges. */
  edges: Array<IntegrationTokenEdge>;
  /** A list of nodes. */
  nodes: Array<IntegrationToken>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type IntegrationTokenEdge = {
  __typename?: 'IntegrationTokenEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: IntegrationToken;
};

export type IntegrationTokenFilter = {
  /** Revoked tokens are left out unless this is true. */
  includeRevoked?: Scalars['Boolean']['input'];
  provider?: InputMaybe<Scalars['String']['input']>;
};

export type IntegrationTokenStatus =
  | 'ACTIVE'
  | 'EXPIRED'
  | 'REVOKED';

export type Invoice = {
  __typename?: 'Invoice';
  /** What stays paid: the payments less what was refunded of them. */
  amountPaid: Scalars['Money']['output'];
  /** `total` less `amountPaid`. */
  balance: Scalars['Money']['output'];
  customer: Customer;
  dueDate: Scalars['Date']['output'];
  id: Scalars['ID']['output'];
  invoiceNumber: Scalars['String']['output'];
  issuedAt: Scalars['DateTime']['output'];
  order: Order;
  paidAt?: Maybe<Scalars['DateTime']['output']>;
  /**
   * The payments applied to the invoice. `null` with `FORBIDDEN` for a portal user while the
   * portal's payments are turned off (the invoice itself stays readable).
   */
  payments?: Maybe<Array<Payment>>;
  /** As of today on the tenant's calendar: an unpaid invoice past its due date reads as overdue. */
  status: InvoiceStatus;
  subtotal: Scalars['Money']['output'];
  taxTotal: Scalars['Money']['output'];
  total: Scalars['Money']['output'];
  voidedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type InvoiceConnection = {
  __typename?: 'InvoiceConnection';
  /** A list of edges. */
  edges: Array<InvoiceEdge>;
  /** A list of nodes. */
  nodes: Array<Invoice>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type InvoiceEdge = {
  __typename?: 'InvoiceEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Invoice;
};

export type InvoiceFilter = {
  /** Still owing at least this much. */
  balanceFrom?: InputMaybe<Scalars['Money']['input']>;
  /** Still owing at most this much. */
  balanceTo?: InputMaybe<Scalars['Money']['input']>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Any of these customers (at most 100). */
  customerIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Due on or after this day. */
  dueFrom?: InputMaybe<Scalars['Date']['input']>;
  /** Due on or before this day. */
  dueTo?: InputMaybe<Scalars['Date']['input']>;
  /** Issued at or after this instant. */
  issuedFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** Issued at or before this instant. */
  issuedTo?: InputMaybe<Scalars['DateTime']['input']>;
  /**
   * Any of these; all statuses when absent or empty. Matched against the stored status, which
   * the daily job moves to `OVERDUE` once an invoice is past due.
   */
  statuses?: InputMaybe<Array<InvoiceStatus>>;
};

export type InvoiceOrder = {
  direction?: SortDirection;
  field?: InvoiceSortField;
};

export type InvoiceSortField =
  | 'BALANCE'
  | 'DUE_DATE'
  | 'ISSUED_AT'
  | 'TOTAL';

export type InvoiceStatus =
  | 'DRAFT'
  | 'ISSUED'
  | 'OVERDUE'
  | 'PAID'
  | 'PARTIALLY_PAID'
  | 'VOID';

export type LicenseExpiry = {
  __typename?: 'LicenseExpiry';
  customer: Customer;
  /** Negative once expired. */
  daysUntilExpiry?: Maybe<Scalars['Int']['output']>;
  expired: Scalars['Boolean']['output'];
  expiresOn?: Maybe<Scalars['Date']['output']>;
  /** The customer's id: a customer holds one licence. */
  id: Scalars['ID']['output'];
  licenseNumber?: Maybe<Scalars['String']['output']>;
  licenseState?: Maybe<Scalars['String']['output']>;
};

export type LicenseExpiryConnection = {
  __typename?: 'LicenseExpiryConnection';
  /** A list of edges. */
  edges: Array<LicenseExpiryEdge>;
  /** A list of nodes. */
  nodes: Array<LicenseExpiry>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type LicenseExpiryEdge = {
  __typename?: 'LicenseExpiryEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: LicenseExpiry;
};

export type LineDiscountLimit = {
  __typename?: 'LineDiscountLimit';
  /** In percent of the line before discount (`"10"` is 10 %). */
  percent: Scalars['Decimal']['output'];
  role: Scalars['String']['output'];
};

export type LineDiscountLimitInput = {
  /** 0 to 100, at most 2 decimal places. */
  percent: Scalars['Decimal']['input'];
  /** An internal role's name (`sales_rep`, or one of the distributor's own roles). */
  role: Scalars['String']['input'];
};

export type ListItemInput = {
  defaultQuantity?: InputMaybe<Scalars['Int']['input']>;
  note?: InputMaybe<Scalars['String']['input']>;
  skuId: Scalars['ID']['input'];
};

export type ListKind =
  | 'CUSTOM'
  | 'FAVORITES'
  | 'TEMPLATE';

export type LogActivityInput = {
  customerId: Scalars['ID']['input'];
  kind: ActivityKind;
  notes?: InputMaybe<Scalars['String']['input']>;
  /** Defaults to now. */
  occurredAt?: InputMaybe<Scalars['DateTime']['input']>;
  outcome?: InputMaybe<Scalars['String']['input']>;
  /** Defaults to you; managers may log for their reports, admins for anyone. */
  repId?: InputMaybe<Scalars['ID']['input']>;
  /** Required for, and only for, `SAMPLE` activities. */
  sample?: InputMaybe<SamplePullInput>;
};

export type LoginInput = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
  /**
   * The distributor to sign in to; defaults to the `X-Tenant-Slug` header, then the server's
   * default tenant.
   */
  tenantSlug?: InputMaybe<Scalars['String']['input']>;
};

export type Me = {
  __typename?: 'Me';
  /** The customer a portal user belongs to; null for internal users. */
  customerId?: Maybe<Scalars['ID']['output']>;
  kind: PrincipalKind;
  permissions: Array<Scalars['String']['output']>;
  /** The portal user signed in; null for staff. */
  portalUser?: Maybe<PortalUser>;
  roles: Array<Scalars['String']['output']>;
  tenant: Tenant;
  /** The staff member signed in; null for portal users. */
  user?: Maybe<User>;
};

/** Days; ISO weeks starting on Monday; calendar months (in the tenant's time zone). */
export type MetricPeriod =
  | 'DAY'
  | 'MONTH'
  | 'WEEK';

/** Whose figures a sales metric holds. */
export type MetricSubject =
  | 'CUSTOMER'
  | 'REP'
  | 'TENANT';

export type Mutation = {
  __typename?: 'Mutation';
  addListItem?: Maybe<ProductListItem>;
  /** Put every item of a list into the cart at its default quantity. */
  addListToCart?: Maybe<Cart>;
  /** Add to the cart; the same SKU again adds to its quantity. */
  addToCart?: Maybe<Cart>;
  /**
   * Change the stock on hand at a location (a delivery, a count correction, breakage); the
   * reason is recorded with the change.
   */
  adjustInventory?: Maybe<StockLevel>;
  /** Approves a pending sample pull of one of your reports (any, for admins); never your own. */
  approveSamplePull?: Maybe<Activity>;
  assignPortalRole?: Maybe<PortalUser>;
  assignRole?: Maybe<User>;
  cancelCall?: Maybe<CallPlan>;
  /** Cancel before fulfilment, releasing reserved stock. */
  cancelOrder?: Maybe<Order>;
  /** Cancels an open or in-progress task: its assignee, their manager or an admin. */
  cancelTask?: Maybe<Task>;
  /**
   * Change your own password. `currentPassword` must be right (wrong ones count against the
   * sign-in throttle); `newPassword` needs at least 8 characters and must differ. Every other
   * session of yours ends; this one stays signed in. Answers how many sessions were ended.
   */
  changePassword?: Maybe<Scalars['Int']['output']>;
  /**
   * Turn the cart into a submitted order, atomically; retrying with the same key returns the
   * same order.
   */
  checkoutCart?: Maybe<CheckedOut>;
  /** Completes a planned (or missed) call. */
  completeCall?: Maybe<CallPlan>;
  completeTask?: Maybe<Task>;
  confirmOrder?: Maybe<Order>;
  /** Records a filing obligation; the same state, type and period start twice is a `CONFLICT`. */
  createComplianceFiling?: Maybe<ComplianceFiling>;
  createCustomer?: Maybe<Customer>;
  createList?: Maybe<ProductList>;
  /** Place an order, priced and taxed by the server; a draft unless `submit` is set. */
  createOrder?: Maybe<Order>;
  createPortalUser?: Maybe<PortalUser>;
  createProduct?: Maybe<Product>;
  /** A role of the tenant's own: a named set of permissions of one audience. */
  createRole?: Maybe<Role>;
  createSku?: Maybe<Sku>;
  /**
   * Adds a rate; a window overlapping another rate of the same state and category is a
   * `CONFLICT` on `effectiveFrom`.
   */
  createStateTaxRate?: Maybe<StateTaxRate>;
  createSupplier?: Maybe<Supplier>;
  /** Creates a task; assigning it to someone else notifies them. */
  createTask?: Maybe<Task>;
  createUser?: Maybe<User>;
  /**
   * Subscribes a URL to event types. The answer carries the signing secret: the only time it
   * is shown.
   */
  createWebhookSubscription?: Maybe<WebhookSigningSecret>;
  deactivateCustomer?: Maybe<Customer>;
  deactivateProduct?: Maybe<Product>;
  deactivateSku?: Maybe<Sku>;
  deactivateSupplier?: Maybe<Supplier>;
  /** Delete a draft (a submitted order is cancelled instead); answers the deleted order's id. */
  deleteDraftOrder?: Maybe<Scalars['ID']['output']>;
  /** Delete a list and its items: staff, or the portal user who owns it. */
  deleteList?: Maybe<Scalars['Boolean']['output']>;
  deletePriceListEntry?: Maybe<Scalars['Boolean']['output']>;
  /** Delete one of the tenant's roles that nobody holds (`CONFLICT` while anyone does). */
  deleteRole?: Maybe<Scalars['Boolean']['output']>;
  deleteStateTaxRate?: Maybe<Scalars['Boolean']['output']>;
  /** Deletes a subscription with its delivery history. */
  deleteWebhookSubscription?: Maybe<Scalars['Boolean']['output']>;
  deliverOrder?: Maybe<Order>;
  /** Ship the order, consuming its reserved stock. */
  fulfillOrder?: Maybe<Order>;
  /**
   * Add up to 5,000 price-list entries at once, all or none: every entry is checked before any
   * is written, and the first bad one is answered with `BAD_USER_INPUT` at its path
   * (`extensions.field`: `entries.412.unitPrice`).
   */
  importPriceList?: Maybe<PriceListImport>;
  /**
   * Issue the invoice of a fulfilled or delivered order; `CONFLICT` while it has a live
   * (not void) invoice.
   */
  issueInvoice?: Maybe<Invoice>;
  /**
   * Issue a single-use token with which the member of staff `userId` sets a new password
   * (`resetPassword`), valid for an hour; an earlier token of theirs stops working. Hand it to
   * them yourself: the `user.password_reset_requested` event does not carry it. A disabled
   * account is refused (`BAD_USER_INPUT` on `userId`).
   */
  issuePasswordReset?: Maybe<PasswordReset>;
  /**
   * Issue a single-use token with which the portal user `portalUserId` sets a new password
   * (`resetPassword`, then `portalLogin`), valid for an hour; an earlier token of theirs stops
   * working. A portal admin issues them for its own customer's portal users only (`NOT_FOUND`
   * for any other). Hand it over yourself: the `portal_user.password_reset_requested` event
   * does not carry it. A disabled account is refused (`BAD_USER_INPUT` on `portalUserId`).
   */
  issuePortalPasswordReset?: Maybe<PasswordReset>;
  /**
   * Records a visit, call, email, tasting or sample pull. A pull beyond the rep's monthly
   * allowance is recorded with `sampleApprovalStatus: PENDING` until a manager decides it.
   */
  logActivity?: Maybe<Activity>;
  /** Sign in a distributor's staff member. */
  login?: Maybe<AuthPayload>;
  /** End the current session: its access and refresh tokens stop working. */
  logout?: Maybe<Scalars['Boolean']['output']>;
  /** Marks all your unread notifications read; returns how many. */
  markAllNotificationsRead?: Maybe<Scalars['Int']['output']>;
  markNotificationRead?: Maybe<Notification>;
  /** Stops deliveries until resumed; events meanwhile are not sent to this subscription. */
  pauseWebhookSubscription?: Maybe<WebhookSubscription>;
  /** Sign in a customer's portal user. */
  portalLogin?: Maybe<AuthPayload>;
  /** Gives a task to another member of your team (anyone, for admins) and notifies them. */
  reassignTask?: Maybe<Task>;
  /** Apply a payment to an invoice; more than the balance is refused. */
  recordPayment?: Maybe<PaymentRecorded>;
  /** Queues a delivery to be sent again with a fresh retry budget. */
  redeliverWebhook?: Maybe<WebhookDelivery>;
  /**
   * Runs the health job for the tenant now (as `leora jobs health` does): snapshots, sales
   * metrics, missed calls, notifications, filing statuses, over every account of the tenant.
   * Managers and admins.
   */
  refreshAccountHealth?: Maybe<HealthRunSummary>;
  /**
   * Exchange a refresh token for a new pair; the old refresh token stops working, and using it
   * again revokes the whole session.
   */
  refreshSession?: Maybe<AuthPayload>;
  /**
   * Return money against a completed payment: more than its amount less what was already
   * refunded of it is refused (`BAD_USER_INPUT` on `amount`). The invoice's balance grows back
   * and its status follows; a payment refunded in full is `REFUNDED`. `reason` is kept in the
   * `payment.refunded` event.
   */
  refundPayment?: Maybe<PaymentRefunded>;
  /** Rejects a pending sample pull; it then no longer counts against the allowance. */
  rejectSamplePull?: Maybe<Activity>;
  removeFromCart?: Maybe<Cart>;
  removeListItem?: Maybe<Scalars['Boolean']['output']>;
  /**
   * Moves a planned or missed call to another time; it is planned again. The rep, their
   * manager or an admin.
   */
  rescheduleCall?: Maybe<CallPlan>;
  /**
   * Set a password with a token from `issuePasswordReset` (or from the operator's
   * `leora tenants create`) or from `issuePortalPasswordReset`, without signing in: the token
   * names its tenant, and the account it was issued for, staff or portal user, is the one whose
   * password is set. `newPassword` needs at least 8 characters. The token is used up, an invited
   * account becomes active, a lock-out is lifted, and every session of the account ends; sign in
   * with the new password (`login` for staff, `portalLogin` for a portal user). A token that is
   * unknown, used or expired gets one answer, `BAD_USER_INPUT` on `token`. Answers true.
   */
  resetPassword?: Maybe<Scalars['Boolean']['output']>;
  /** Reactivates a paused or disabled subscription; deliveries queued before are sent. */
  resumeWebhookSubscription?: Maybe<WebhookSubscription>;
  /** Records the regulator's acceptance or rejection of a submitted filing. */
  reviewComplianceFiling?: Maybe<ComplianceFiling>;
  revokeIntegrationToken?: Maybe<IntegrationToken>;
  revokePortalRole?: Maybe<PortalUser>;
  revokeRole?: Maybe<User>;
  /** Sign one of your sessions out (`NOT_FOUND` if it is not yours or already over). */
  revokeSession?: Maybe<Scalars['Boolean']['output']>;
  /**
   * Replaces the signing secret at once; the new one is in the answer, the only time it is
   * shown.
   */
  rotateWebhookSecret?: Maybe<WebhookSigningSecret>;
  scheduleCall?: Maybe<CallPlan>;
  /**
   * Queues a signed `webhook.test` event for this subscription alone and returns its delivery
   * (`PENDING`). The delivery worker sends it within about a second, like any event; read how
   * the receiver answered from the delivery (`webhookDeliveries(filter: { eventId })`).
   */
  sendTestWebhook?: Maybe<WebhookDelivery>;
  /**
   * Set how much of an allocated SKU a customer may order from `periodStart` to `periodEnd`
   * (the tenant's dates). Periods of one customer and SKU may not overlap (`CONFLICT` on
   * `periodStart`).
   */
  setAllocation?: Maybe<Allocation>;
  setPortalUserStatus?: Maybe<PortalUser>;
  /**
   * Mark a SKU allocated (sold to each customer only within its allocation, `setAllocation`)
   * or release it (`allocated: false`).
   */
  setSkuAllocated?: Maybe<Sku>;
  /** Disable (or re-enable) a staff member; disabling ends all of their sessions at once. */
  setUserStatus?: Maybe<User>;
  /** Stores a provider's token encrypted, replacing the provider's previous one. */
  storeIntegrationToken?: Maybe<IntegrationToken>;
  /** Submits a due, overdue or rejected filing; anything else is an `INVALID_TRANSITION`. */
  submitComplianceFiling?: Maybe<ComplianceFiling>;
  /** draft → submitted, re-priced and re-taxed at today's prices and rates, reserving stock. */
  submitOrder?: Maybe<Order>;
  /** Set an item's quantity; zero removes it. */
  updateCartItem?: Maybe<Cart>;
  updateCustomer?: Maybe<Customer>;
  /**
   * Edit a draft: `lines` (when given) replaces all its lines, priced now; `notes` and
   * `requestedDeliveryDate` change when given.
   */
  updateDraftOrder?: Maybe<Order>;
  /** Rename or redescribe a list: staff, or the portal user who owns it. */
  updateList?: Maybe<ProductList>;
  updateProduct?: Maybe<Product>;
  /** Change one of the tenant's roles; system roles are read-only. */
  updateRole?: Maybe<Role>;
  updateSku?: Maybe<Sku>;
  updateStateTaxRate?: Maybe<StateTaxRate>;
  updateSupplier?: Maybe<Supplier>;
  /** Edits an open or in-progress task: its assignee, their manager or an admin. */
  updateTask?: Maybe<Task>;
  /**
   * Change the distributor's settings (permission `users.manage`). Every field is optional: a
   * field left out (or `null`) keeps its value; `lineDiscountLimits` sets the roles it names
   * and keeps the others; `portalFeatures` switches the features it names. One bad field
   * refuses the whole change (`BAD_USER_INPUT`, `extensions.field` naming it) and nothing is
   * written.
   */
  updateTenantSettings?: Maybe<TenantSettings>;
  /** Change a staff member's name, email or manager (never a loop of managers). */
  updateUser?: Maybe<User>;
  updateWebhookSubscription?: Maybe<WebhookSubscription>;
  upsertPriceListEntry?: Maybe<PriceListEntry>;
  /**
   * Void an invoice without completed payments (`CONFLICT` otherwise: refund them in full
   * first). Its order can then be invoiced again, under a new number.
   */
  voidInvoice?: Maybe<Invoice>;
};


export type MutationAddListItemArgs = {
  input: ListItemInput;
  listId: Scalars['ID']['input'];
};


export type MutationAddListToCartArgs = {
  listId: Scalars['ID']['input'];
};


export type MutationAddToCartArgs = {
  quantity?: Scalars['Int']['input'];
  skuId: Scalars['ID']['input'];
};


export type MutationAdjustInventoryArgs = {
  delta: Scalars['Int']['input'];
  location?: Scalars['String']['input'];
  reason: Scalars['String']['input'];
  skuId: Scalars['ID']['input'];
};


export type MutationApproveSamplePullArgs = {
  activityId: Scalars['ID']['input'];
};


export type MutationAssignPortalRoleArgs = {
  portalUserId: Scalars['ID']['input'];
  role: Scalars['String']['input'];
};


export type MutationAssignRoleArgs = {
  role: Scalars['String']['input'];
  userId: Scalars['ID']['input'];
};


export type MutationCancelCallArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCancelOrderArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCancelTaskArgs = {
  id: Scalars['ID']['input'];
};


export type MutationChangePasswordArgs = {
  currentPassword: Scalars['String']['input'];
  newPassword: Scalars['String']['input'];
};


export type MutationCheckoutCartArgs = {
  input?: InputMaybe<CheckoutInput>;
};


export type MutationCompleteCallArgs = {
  id: Scalars['ID']['input'];
  outcome?: InputMaybe<Scalars['String']['input']>;
};


export type MutationCompleteTaskArgs = {
  id: Scalars['ID']['input'];
};


export type MutationConfirmOrderArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreateComplianceFilingArgs = {
  input: CreateComplianceFilingInput;
};


export type MutationCreateCustomerArgs = {
  input: CreateCustomerInput;
};


export type MutationCreateListArgs = {
  input: CreateListInput;
};


export type MutationCreateOrderArgs = {
  input: CreateOrderInput;
};


export type MutationCreatePortalUserArgs = {
  input: CreatePortalUserInput;
};


export type MutationCreateProductArgs = {
  input: CreateProductInput;
};


export type MutationCreateRoleArgs = {
  input: CreateRoleInput;
};


export type MutationCreateSkuArgs = {
  input: CreateSkuInput;
};


export type MutationCreateStateTaxRateArgs = {
  input: CreateStateTaxRateInput;
};


export type MutationCreateSupplierArgs = {
  input: CreateSupplierInput;
};


export type MutationCreateTaskArgs = {
  input: CreateTaskInput;
};


export type MutationCreateUserArgs = {
  input: CreateUserInput;
};


export type MutationCreateWebhookSubscriptionArgs = {
  input: CreateWebhookSubscriptionInput;
};


export type MutationDeactivateCustomerArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeactivateProductArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeactivateSkuArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeactivateSupplierArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteDraftOrderArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteListArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeletePriceListEntryArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteRoleArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteStateTaxRateArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteWebhookSubscriptionArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeliverOrderArgs = {
  id: Scalars['ID']['input'];
};


export type MutationFulfillOrderArgs = {
  id: Scalars['ID']['input'];
};


export type MutationImportPriceListArgs = {
  entries: Array<PriceListEntryImport>;
};


export type MutationIssueInvoiceArgs = {
  orderId: Scalars['ID']['input'];
};


export type MutationIssuePasswordResetArgs = {
  userId: Scalars['ID']['input'];
};


export type MutationIssuePortalPasswordResetArgs = {
  portalUserId: Scalars['ID']['input'];
};


export type MutationLogActivityArgs = {
  input: LogActivityInput;
};


export type MutationLoginArgs = {
  input: LoginInput;
};


export type MutationMarkNotificationReadArgs = {
  id: Scalars['ID']['input'];
};


export type MutationPauseWebhookSubscriptionArgs = {
  id: Scalars['ID']['input'];
};


export type MutationPortalLoginArgs = {
  input: LoginInput;
};


export type MutationReassignTaskArgs = {
  assigneeId: Scalars['ID']['input'];
  id: Scalars['ID']['input'];
};


export type MutationRecordPaymentArgs = {
  input: RecordPaymentInput;
  invoiceId: Scalars['ID']['input'];
};


export type MutationRedeliverWebhookArgs = {
  deliveryId: Scalars['ID']['input'];
};


export type MutationRefreshSessionArgs = {
  refreshToken: Scalars['String']['input'];
};


export type MutationRefundPaymentArgs = {
  amount: Scalars['Money']['input'];
  paymentId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


export type MutationRejectSamplePullArgs = {
  activityId: Scalars['ID']['input'];
};


export type MutationRemoveFromCartArgs = {
  skuId: Scalars['ID']['input'];
};


export type MutationRemoveListItemArgs = {
  listId: Scalars['ID']['input'];
  skuId: Scalars['ID']['input'];
};


export type MutationRescheduleCallArgs = {
  id: Scalars['ID']['input'];
  scheduledFor: Scalars['DateTime']['input'];
};


export type MutationResetPasswordArgs = {
  newPassword: Scalars['String']['input'];
  token: Scalars['String']['input'];
};


export type MutationResumeWebhookSubscriptionArgs = {
  id: Scalars['ID']['input'];
};


export type MutationReviewComplianceFilingArgs = {
  decision: FilingReview;
  id: Scalars['ID']['input'];
  notes?: InputMaybe<Scalars['String']['input']>;
};


export type MutationRevokeIntegrationTokenArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokePortalRoleArgs = {
  portalUserId: Scalars['ID']['input'];
  role: Scalars['String']['input'];
};


export type MutationRevokeRoleArgs = {
  role: Scalars['String']['input'];
  userId: Scalars['ID']['input'];
};


export type MutationRevokeSessionArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRotateWebhookSecretArgs = {
  id: Scalars['ID']['input'];
};


export type MutationScheduleCallArgs = {
  input: ScheduleCallInput;
};


export type MutationSendTestWebhookArgs = {
  subscriptionId: Scalars['ID']['input'];
};


export type MutationSetAllocationArgs = {
  input: SetAllocationInput;
};


export type MutationSetPortalUserStatusArgs = {
  portalUserId: Scalars['ID']['input'];
  status: UserStatus;
};


export type MutationSetSkuAllocatedArgs = {
  allocated: Scalars['Boolean']['input'];
  skuId: Scalars['ID']['input'];
};


export type MutationSetUserStatusArgs = {
  status: UserStatus;
  userId: Scalars['ID']['input'];
};


export type MutationStoreIntegrationTokenArgs = {
  input: StoreIntegrationTokenInput;
};


export type MutationSubmitComplianceFilingArgs = {
  id: Scalars['ID']['input'];
  input: SubmitComplianceFilingInput;
};


export type MutationSubmitOrderArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUpdateCartItemArgs = {
  quantity: Scalars['Int']['input'];
  skuId: Scalars['ID']['input'];
};


export type MutationUpdateCustomerArgs = {
  id: Scalars['ID']['input'];
  input: UpdateCustomerInput;
};


export type MutationUpdateDraftOrderArgs = {
  id: Scalars['ID']['input'];
  input: UpdateDraftOrderInput;
};


export type MutationUpdateListArgs = {
  id: Scalars['ID']['input'];
  input: UpdateListInput;
};


export type MutationUpdateProductArgs = {
  id: Scalars['ID']['input'];
  input: UpdateProductInput;
};


export type MutationUpdateRoleArgs = {
  id: Scalars['ID']['input'];
  input: UpdateRoleInput;
};


export type MutationUpdateSkuArgs = {
  id: Scalars['ID']['input'];
  input: UpdateSkuInput;
};


export type MutationUpdateStateTaxRateArgs = {
  id: Scalars['ID']['input'];
  input: UpdateStateTaxRateInput;
};


export type MutationUpdateSupplierArgs = {
  id: Scalars['ID']['input'];
  input: UpdateSupplierInput;
};


export type MutationUpdateTaskArgs = {
  id: Scalars['ID']['input'];
  input: UpdateTaskInput;
};


export type MutationUpdateTenantSettingsArgs = {
  input: UpdateTenantSettingsInput;
};


export type MutationUpdateUserArgs = {
  id: Scalars['ID']['input'];
  input: UpdateUserInput;
};


export type MutationUpdateWebhookSubscriptionArgs = {
  id: Scalars['ID']['input'];
  input: UpdateWebhookSubscriptionInput;
};


export type MutationUpsertPriceListEntryArgs = {
  input: PriceListEntryUpsert;
};


export type MutationVoidInvoiceArgs = {
  invoiceId: Scalars['ID']['input'];
};

export type Notification = {
  __typename?: 'Notification';
  body: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  /**
   * Ids of what the notification is about (`orderId`, `customerId`, `taskId` …), with enum
   * values spelt as the API's enums (`"to": "CONFIRMED"`, `"riskFlags": ["REVENUE_DROP"]`) and
   * instants as `DateTime` writes them.
   */
  data: Scalars['JSON']['output'];
  id: Scalars['ID']['output'];
  /** What happened: `order.status_changed`, `account.at_risk`, `task.assigned`, `task.due`. */
  kind: Scalars['String']['output'];
  priority: Priority;
  read: Scalars['Boolean']['output'];
  readAt?: Maybe<Scalars['DateTime']['output']>;
  title: Scalars['String']['output'];
};

export type NotificationConnection = {
  __typename?: 'NotificationConnection';
  /** A list of edges. */
  edges: Array<NotificationEdge>;
  /** A list of nodes. */
  nodes: Array<Notification>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type NotificationEdge = {
  __typename?: 'NotificationEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Notification;
};

export type Order = {
  __typename?: 'Order';
  cancelledAt?: Maybe<Scalars['DateTime']['output']>;
  confirmedAt?: Maybe<Scalars['DateTime']['output']>;
  createdAt: Scalars['DateTime']['output'];
  /**
   * Who submitted it beyond the customer's credit limit (holding `orders.override_credit`);
   * null when it was within the limit. Staff only.
   */
  creditOverrideByUserId?: Maybe<Scalars['ID']['output']>;
  currency: Scalars['String']['output'];
  customer: Customer;
  customerId: Scalars['ID']['output'];
  deliveredAt?: Maybe<Scalars['DateTime']['output']>;
  fulfilledAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** The key the order was placed with. A portal user sees it only on orders they placed. */
  idempotencyKey?: Maybe<Scalars['String']['output']>;
  /**
   * The order's invoice, once issued: the live one, or the last one voided when none is live.
   * `null` with `FORBIDDEN` for a portal user while the portal's invoices are turned off.
   */
  invoice?: Maybe<Invoice>;
  lines: Array<OrderLine>;
  /**
   * Notes on the order. A portal user sees them only on orders they placed (others may carry
   * the distributor's own notes).
   */
  notes?: Maybe<Scalars['String']['output']>;
  orderNumber: Scalars['String']['output'];
  placedByPortalUserId?: Maybe<Scalars['ID']['output']>;
  /** The staff member who placed it: staff only. */
  placedByUserId?: Maybe<Scalars['ID']['output']>;
  requestedDeliveryDate?: Maybe<Scalars['Date']['output']>;
  status: OrderStatus;
  submittedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Sum of the line totals, before tax. */
  subtotal: Scalars['Money']['output'];
  taxTotal: Scalars['Money']['output'];
  total: Scalars['Money']['output'];
};

export type OrderConnection = {
  __typename?: 'OrderConnection';
  /** A list of edges. */
  edges: Array<OrderEdge>;
  /** A list of nodes. */
  nodes: Array<Order>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type OrderEdge = {
  __typename?: 'OrderEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Order;
};

export type OrderFilter = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Any of these customers (at most 100). */
  customerIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Placed at or after this instant. */
  placedFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** Placed at or before this instant. */
  placedTo?: InputMaybe<Scalars['DateTime']['input']>;
  /** Part of the order number. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Any of these; all statuses when absent or empty. */
  statuses?: InputMaybe<Array<OrderStatus>>;
  /** A total of at least this much. */
  totalFrom?: InputMaybe<Scalars['Money']['input']>;
  /** A total of at most this much. */
  totalTo?: InputMaybe<Scalars['Money']['input']>;
};

export type OrderLine = {
  __typename?: 'OrderLine';
  discount: Scalars['Money']['output'];
  id: Scalars['ID']['output'];
  isSample: Scalars['Boolean']['output'];
  lineNumber: Scalars['Int']['output'];
  lineTotal: Scalars['Money']['output'];
  pricingRule: PricingRule;
  quantity: Scalars['Int']['output'];
  sku: Sku;
  skuId: Scalars['ID']['output'];
  taxAmount: Scalars['Money']['output'];
  /** The price charged per unit, fixed when the order was placed. */
  unitPrice: Scalars['Money']['output'];
};

export type OrderLineInput = {
  /** An amount off the whole line (staff only). */
  discount?: InputMaybe<Scalars['Money']['input']>;
  /**
   * Free samples for the customer (staff only): priced at zero by the `SAMPLE` rule, and
   * counted against your monthly sample allowance. A SKU may stand once sold and once as
   * samples.
   */
  isSample?: Scalars['Boolean']['input'];
  quantity: Scalars['Int']['input'];
  skuId: Scalars['ID']['input'];
};

export type OrderOrder = {
  direction?: SortDirection;
  field?: OrderSortField;
};

export type OrderSortField =
  | 'CREATED_AT'
  | 'ORDER_NUMBER'
  | 'TOTAL';

export type OrderStatus =
  | 'CANCELLED'
  | 'CONFIRMED'
  | 'DELIVERED'
  | 'DRAFT'
  | 'FULFILLED'
  | 'SUBMITTED';

/** Whether a customer reorders at its usual pace. */
export type PaceStatus =
  | 'AT_RISK'
  | 'INSUFFICIENT_DATA'
  | 'ON_TRACK';

/** Information about pagination in a connection */
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

export type PasswordReset = {
  __typename?: 'PasswordReset';
  expiresAt: Scalars['DateTime']['output'];
  /** Single use, until `expiresAt`; issuing another one for the same account replaces it. */
  token: Scalars['String']['output'];
};

export type Payment = {
  __typename?: 'Payment';
  amount: Scalars['Money']['output'];
  id: Scalars['ID']['output'];
  method: PaymentMethod;
  receivedAt: Scalars['DateTime']['output'];
  reference?: Maybe<Scalars['String']['output']>;
  /**
   * How much of `amount` was returned to the customer (`refundPayment`); all of it once the
   * status is `REFUNDED`.
   */
  refundedAmount: Scalars['Money']['output'];
  status: PaymentStatus;
};

export type PaymentMethod =
  | 'ACH'
  | 'CASH'
  | 'CHECK'
  | 'CREDIT_CARD'
  | 'OTHER'
  | 'WIRE';

/** A recorded payment and the invoice it was applied to. */
export type PaymentRecorded = {
  __typename?: 'PaymentRecorded';
  invoice: Invoice;
  payment: Payment;
};

/** A refunded payment and its invoice, whose balance and status followed. */
export type PaymentRefunded = {
  __typename?: 'PaymentRefunded';
  invoice: Invoice;
  payment: Payment;
};

export type PaymentStatus =
  | 'COMPLETED'
  | 'FAILED'
  | 'PENDING'
  | 'REFUNDED';

export type PaymentTerms =
  | 'COD'
  | 'NET_15'
  | 'NET_30'
  | 'NET_60'
  | 'PREPAID';

export type Permission = {
  __typename?: 'Permission';
  audience: Audience;
  description: Scalars['String']['output'];
  key: Scalars['String']['output'];
};

export type PortalFeatures = {
  __typename?: 'PortalFeatures';
  /** The cart and checking it out (`cart`, `addToCart`, `checkoutCart` …). */
  cart: Scalars['Boolean']['output'];
  /** Products, their prices and stock (`products`, `product`). */
  catalog: Scalars['Boolean']['output'];
  /** Invoices (`invoices`, `invoice`, `Order.invoice`). */
  invoices: Scalars['Boolean']['output'];
  /** Saved lists (`lists`, `createList`, `addListToCart` …). */
  lists: Scalars['Boolean']['output'];
  /** Orders: reading them and placing them directly (`orders`, `createOrder` …). */
  orders: Scalars['Boolean']['output'];
  /** The payments of an invoice (`Invoice.payments`). */
  payments: Scalars['Boolean']['output'];
};

/** Each switch given turns its portal feature on or off for the distributor's customers. */
export type PortalFeaturesInput = {
  cart?: InputMaybe<Scalars['Boolean']['input']>;
  catalog?: InputMaybe<Scalars['Boolean']['input']>;
  invoices?: InputMaybe<Scalars['Boolean']['input']>;
  lists?: InputMaybe<Scalars['Boolean']['input']>;
  orders?: InputMaybe<Scalars['Boolean']['input']>;
  payments?: InputMaybe<Scalars['Boolean']['input']>;
};

export type PortalUser = {
  __typename?: 'PortalUser';
  createdAt: Scalars['DateTime']['output'];
  customerId: Scalars['ID']['output'];
  email: Scalars['String']['output'];
  fullName: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  lastLoginAt?: Maybe<Scalars['DateTime']['output']>;
  roles: Array<Scalars['String']['output']>;
  status: UserStatus;
};

export type PortalUserConnection = {
  __typename?: 'PortalUserConnection';
  /** A list of edges. */
  edges: Array<PortalUserEdge>;
  /** A list of nodes. */
  nodes: Array<PortalUser>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type PortalUserEdge = {
  __typename?: 'PortalUserEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: PortalUser;
};

export type PortalUserFilter = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Any of these; all statuses when absent or empty. */
  statuses?: InputMaybe<Array<UserStatus>>;
};

export type Price = {
  __typename?: 'Price';
  id: Scalars['ID']['output'];
  priceListEntryId?: Maybe<Scalars['ID']['output']>;
  source: PriceSource;
  unitPrice: Scalars['Money']['output'];
};

export type PriceListEntry = {
  __typename?: 'PriceListEntry';
  customerId?: Maybe<Scalars['ID']['output']>;
  id: Scalars['ID']['output'];
  minQuantity: Scalars['Int']['output'];
  priceTier?: Maybe<Scalars['String']['output']>;
  skuId: Scalars['ID']['output'];
  unitPrice: Scalars['Money']['output'];
  validFrom: Scalars['DateTime']['output'];
  validUntil?: Maybe<Scalars['DateTime']['output']>;
};

export type PriceListEntryConnection = {
  __typename?: 'PriceListEntryConnection';
  /** A list of edges. */
  edges: Array<PriceListEntryEdge>;
  /** A list of nodes. */
  nodes: Array<PriceListEntry>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type PriceListEntryEdge = {
  __typename?: 'PriceListEntryEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: PriceListEntry;
};

export type PriceListEntryFilter = {
  /** Only entries in force at this instant (`validFrom` ≤ it < `validUntil`). */
  activeAt?: InputMaybe<Scalars['DateTime']['input']>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  priceTier?: InputMaybe<Scalars['String']['input']>;
  skuId?: InputMaybe<Scalars['ID']['input']>;
};

/** One entry of a price-list import: always a new entry. */
export type PriceListEntryImport = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  minQuantity?: Scalars['Int']['input'];
  /** Exactly one of `priceTier` and `customerId`. */
  priceTier?: InputMaybe<Scalars['String']['input']>;
  skuCode?: InputMaybe<Scalars['String']['input']>;
  /** Exactly one of `skuId` and `skuCode` (the tenant's SKU code, as on a supplier's sheet). */
  skuId?: InputMaybe<Scalars['ID']['input']>;
  unitPrice: Scalars['Money']['input'];
  /** From the import's time when absent. */
  validFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** Exclusive. */
  validUntil?: InputMaybe<Scalars['DateTime']['input']>;
};

export type PriceListEntryUpsert = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Replaces this entry when given; adds one otherwise. */
  id?: InputMaybe<Scalars['ID']['input']>;
  minQuantity?: Scalars['Int']['input'];
  /** Exactly one of `priceTier` and `customerId`. */
  priceTier?: InputMaybe<Scalars['String']['input']>;
  skuId: Scalars['ID']['input'];
  unitPrice: Scalars['Money']['input'];
  validFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** Exclusive. */
  validUntil?: InputMaybe<Scalars['DateTime']['input']>;
};

/** What an import added. */
export type PriceListImport = {
  __typename?: 'PriceListImport';
  /** How many entries were added. */
  imported: Scalars['Int']['output'];
};

/** Which rule set a price: customer-specific beats tier beats base. */
export type PriceSource =
  | 'BASE_PRICE'
  | 'CUSTOMER_PRICE'
  | 'PRICE_TIER';

/** Which rule priced a line. */
export type PricingRule =
  | 'BASE_PRICE'
  | 'CUSTOMER_PRICE'
  | 'PRICE_TIER'
  | 'SAMPLE';

export type PrincipalKind =
  | 'PORTAL_USER'
  | 'USER';

export type Priority =
  | 'HIGH'
  | 'LOW'
  | 'NORMAL'
  | 'URGENT';

export type Product = {
  __typename?: 'Product';
  /** Alcohol by volume, in percent. */
  abv?: Maybe<Scalars['Decimal']['output']>;
  brand?: Maybe<Scalars['String']['output']>;
  category: ProductCategory;
  country?: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /**
   * Free-form attributes the distributor keeps (tasting notes, awards, supplier terms …): staff
   * only, as nothing says which of them a customer may read.
   */
  metadata?: Maybe<Scalars['JSON']['output']>;
  name: Scalars['String']['output'];
  region?: Maybe<Scalars['String']['output']>;
  /** The product's SKUs (sizes and packs), by code. */
  skus: Array<Sku>;
  status: ProductStatus;
  /** Who makes or imports it: staff only, like the supplier list. */
  supplier?: Maybe<Supplier>;
  supplierId?: Maybe<Scalars['ID']['output']>;
  varietal?: Maybe<Scalars['String']['output']>;
  vintage?: Maybe<Scalars['Int']['output']>;
};

/** What a product is, which decides its excise tax. */
export type ProductCategory =
  | 'BEER'
  | 'OTHER'
  | 'SPIRITS'
  | 'WINE';

export type ProductConnection = {
  __typename?: 'ProductConnection';
  /** A list of edges. */
  edges: Array<ProductEdge>;
  /** A list of nodes. */
  nodes: Array<Product>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type ProductEdge = {
  __typename?: 'ProductEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Product;
};

export type ProductFilter = {
  category?: InputMaybe<ProductCategory>;
  /** Matches name, brand or varietal, ignoring case. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Any of these; all statuses when absent or empty. Portal users see active products only. */
  statuses?: InputMaybe<Array<ProductStatus>>;
  supplierId?: InputMaybe<Scalars['ID']['input']>;
};

export type ProductList = {
  __typename?: 'ProductList';
  createdAt: Scalars['DateTime']['output'];
  customerId: Scalars['ID']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  items: Array<ProductListItem>;
  kind: ListKind;
  name: Scalars['String']['output'];
};

export type ProductListConnection = {
  __typename?: 'ProductListConnection';
  /** A list of edges. */
  edges: Array<ProductListEdge>;
  /** A list of nodes. */
  nodes: Array<ProductList>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type ProductListEdge = {
  __typename?: 'ProductListEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: ProductList;
};

export type ProductListItem = {
  __typename?: 'ProductListItem';
  defaultQuantity: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  note?: Maybe<Scalars['String']['output']>;
  sku: Sku;
};

export type ProductOrder = {
  direction?: SortDirection;
  field?: ProductSortField;
};

export type ProductSortField =
  | 'BRAND'
  | 'CREATED_AT'
  | 'NAME'
  | 'VINTAGE';

export type ProductStatus =
  | 'ACTIVE'
  | 'DISCONTINUED'
  | 'INACTIVE';

export type Query = {
  __typename?: 'Query';
  /**
   * A customer's latest health snapshot and its history. Reps and managers see their team's
   * accounts only.
   */
  accountHealth: AccountHealth;
  /** The latest health run's snapshots of the accounts you may see, worst score first. */
  accountHealthOverview: HealthSnapshotConnection;
  /**
   * Activities, newest first: yours and your accounts' (reps), your team's (managers), all
   * (admins). Pages both ways with stable cursors.
   */
  activities: ActivityConnection;
  activity: Activity;
  /**
   * Allocations of allocated SKUs, latest period first: staff see those of the accounts they
   * see, a portal user its own customer's.
   */
  allocations: AllocationConnection;
  /** One call plan, with the visibility of `callPlans`. */
  callPlan: CallPlan;
  /** Call plans, soonest first, with the visibility of `activities`. */
  callPlans: CallPlanConnection;
  /** The signed-in portal user's active cart (started empty on first use). */
  cart: Cart;
  /** What falls due from `from` to `to` (inclusive), state by state. */
  complianceCalendar: Array<StateFilingCalendar>;
  complianceFiling: ComplianceFiling;
  /** Filings by due date; statuses are as of today in the tenant's time zone. */
  complianceFilings: ComplianceFilingConnection;
  customer: Customer;
  /** Customer accounts; a portal user sees only its own. Pages both ways with stable cursors. */
  customers: CustomerConnection;
  /**
   * Depletions: units that left the warehouse on fulfilled and delivered orders, by the day
   * each order was fulfilled (the tenant's calendar), grouped by up to three keys and
   * optionally a period; one row per group and period, ordered by period, then the keys in the
   * order given. Reps and managers get their team's accounts, admins every account. A report
   * of more than 5,000 rows is refused (`BAD_USER_INPUT` on `groupBy`), never cut short.
   */
  depletions: Array<DepletionRow>;
  /**
   * Open customers whose liquor licence expires within `withinDays` days (from today, in the
   * tenant's time zone), soonest first; with `includeExpired`, lapsed ones too.
   */
  expiringLicenses: LicenseExpiryConnection;
  /** Stored third-party credentials (never the tokens themselves), newest first. */
  integrationTokens: IntegrationTokenConnection;
  invoice: Invoice;
  /** Invoices, newest first unless sorted otherwise. Pages both ways with stable cursors. */
  invoices: InvoiceConnection;
  /** One saved list: staff see those of the accounts they see, a portal user its customer's. */
  list: ProductList;
  /** Saved lists; a portal user sees its own customer's. */
  lists: ProductListConnection;
  /** The signed-in principal. */
  me: Me;
  /** Your live sessions (at most 100), the most recently refreshed first. */
  mySessions: Array<SignedInSession>;
  /**
   * Your notifications, newest first (staff and portal users alike). Pages both ways with
   * stable cursors.
   */
  notifications: NotificationConnection;
  order: Order;
  /** Orders, newest first unless sorted otherwise. Pages both ways with stable cursors. */
  orders: OrderConnection;
  /** The permission catalogue. */
  permissions: Array<Permission>;
  /** Customers' portal users; a portal admin sees only its own customer's. */
  portalUsers: PortalUserConnection;
  /**
   * The price book: tier and customer prices, by SKU. Staff see every entry of the accounts
   * they see; a portal user its own customer's entries and its tier's.
   */
  priceListEntries: PriceListEntryConnection;
  product: Product;
  /**
   * Products, filtered and sorted (a product without the brand or vintage sorted on comes
   * last); portal users see active products only. Pages both ways with stable cursors.
   */
  products: ProductConnection;
  /** The system roles and the tenant's own. */
  roles: Array<Role>;
  /**
   * Revenue, order count, average order value and units per period, by period start. Reps and
   * managers see their team's rep figures and their team's accounts; tenant totals are for
   * admins.
   */
  salesMetrics: SalesMetricConnection;
  sku: Sku;
  /**
   * SKUs by code, searched by code, UPC or product; portal users see active SKUs of active
   * products only.
   */
  skus: SkuConnection;
  /** Excise rates by state, category and start date. */
  stateTaxRates: StateTaxRateConnection;
  supplier: Supplier;
  /** The tenant's suppliers and the shared supplier directory, by name. */
  suppliers: SupplierConnection;
  /** One task, with the visibility of `tasks`. */
  task: Task;
  /**
   * Tasks by due date (undated last): assigned to or created by you or your team, or about
   * your team's accounts; all for admins.
   */
  tasks: TaskConnection;
  /** The distributor the signed-in principal (staff or portal user) belongs to. */
  tenant: Tenant;
  /**
   * The distributor's settings. Every signed-in principal reads the currency, time zone, cart
   * lifetime and portal features; the other fields are for staff (`FORBIDDEN` and `null` for a
   * portal user).
   */
  tenantSettings: TenantSettings;
  unreadNotificationCount: Scalars['Int']['output'];
  /** One staff member. */
  user: User;
  /** The distributor's staff. */
  users: UserConnection;
  /**
   * Deliveries, newest first; `statuses: [FAILED, DEAD]` finds the failing and dead ones.
   * Pages both ways with stable cursors.
   */
  webhookDeliveries: WebhookDeliveryConnection;
  /** The event type names a webhook subscription can listen to. */
  webhookEventTypes: Array<Scalars['String']['output']>;
  /** Events in the outbox, newest first. Pages both ways with stable cursors. */
  webhookEvents: WebhookEventConnection;
  webhookSubscription: WebhookSubscription;
  /** The tenant's webhook subscriptions, oldest first. */
  webhookSubscriptions: WebhookSubscriptionConnection;
};


export type QueryAccountHealthArgs = {
  customerId: Scalars['ID']['input'];
};


export type QueryAccountHealthOverviewArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AccountHealthFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryActivitiesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ActivityFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryActivityArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAllocationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AllocationFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryCallPlanArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCallPlansArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<CallPlanFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryComplianceCalendarArgs = {
  from: Scalars['Date']['input'];
  state?: InputMaybe<Scalars['String']['input']>;
  to: Scalars['Date']['input'];
};


export type QueryComplianceFilingArgs = {
  id: Scalars['ID']['input'];
};


export type QueryComplianceFilingsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ComplianceFilingFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryCustomerArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCustomersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<CustomerFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<CustomerOrder>;
};


export type QueryDepletionsArgs = {
  filter: DepletionFilter;
  groupBy: Array<DepletionGroup>;
  period?: InputMaybe<DepletionPeriod>;
};


export type QueryExpiringLicensesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  includeExpired?: Scalars['Boolean']['input'];
  withinDays?: Scalars['Int']['input'];
};


export type QueryIntegrationTokensArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<IntegrationTokenFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryInvoiceArgs = {
  id: Scalars['ID']['input'];
};


export type QueryInvoicesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<InvoiceFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<InvoiceOrder>;
};


export type QueryListArgs = {
  id: Scalars['ID']['input'];
};


export type QueryListsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryNotificationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  unreadOnly?: Scalars['Boolean']['input'];
};


export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OrderFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<OrderOrder>;
};


export type QueryPortalUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<PortalUserFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryPriceListEntriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<PriceListEntryFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryProductArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProductsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ProductFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ProductOrder>;
};


export type QuerySalesMetricsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter: SalesMetricsFilter;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QuerySkuArgs = {
  id: Scalars['ID']['input'];
};


export type QuerySkusArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<SkuFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryStateTaxRatesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<StateTaxRateFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QuerySupplierArgs = {
  id: Scalars['ID']['input'];
};


export type QuerySuppliersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryTaskArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTasksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<TaskFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<UserFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryWebhookDeliveriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<WebhookDeliveryFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryWebhookEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<WebhookEventFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryWebhookSubscriptionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWebhookSubscriptionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<WebhookSubscriptionFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type RecordPaymentInput = {
  amount: Scalars['Money']['input'];
  method: PaymentMethod;
  receivedAt?: InputMaybe<Scalars['DateTime']['input']>;
  reference?: InputMaybe<Scalars['String']['input']>;
};

/** Why an account is at risk. */
export type RiskFlag =
  | 'PACE_AT_RISK'
  | 'REVENUE_DROP';

export type Role = {
  __typename?: 'Role';
  audience: Audience;
  description: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** System roles are shared by every tenant and cannot be changed. */
  isSystem: Scalars['Boolean']['output'];
  name: Scalars['String']['output'];
  /** Keys of the permissions the role grants. */
  permissions: Array<Scalars['String']['output']>;
};

export type SalesMetric = {
  __typename?: 'SalesMetric';
  customer?: Maybe<Customer>;
  customerId?: Maybe<Scalars['ID']['output']>;
  id: Scalars['ID']['output'];
  metric: SalesMetricKind;
  period: MetricPeriod;
  periodStart: Scalars['Date']['output'];
  rep?: Maybe<User>;
  repId?: Maybe<Scalars['ID']['output']>;
  subject: MetricSubject;
  /** Money for revenue and average order value; a count for orders and units. */
  value: Scalars['Decimal']['output'];
};

export type SalesMetricConnection = {
  __typename?: 'SalesMetricConnection';
  /** A list of edges. */
  edges: Array<SalesMetricEdge>;
  /** A list of nodes. */
  nodes: Array<SalesMetric>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type SalesMetricEdge = {
  __typename?: 'SalesMetricEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: SalesMetric;
};

export type SalesMetricKind =
  | 'AVERAGE_ORDER_VALUE'
  | 'ORDER_COUNT'
  | 'REVENUE'
  | 'UNITS';

export type SalesMetricsFilter = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /**
   * The first period: those starting on or after this day. Plain `from`/`to`, as they bound
   * the metric periods themselves, each in or out whole.
   */
  from?: InputMaybe<Scalars['Date']['input']>;
  /** All four when absent or empty. */
  metrics?: InputMaybe<Array<SalesMetricKind>>;
  period: MetricPeriod;
  repId?: InputMaybe<Scalars['ID']['input']>;
  /** Rep, customer and tenant rows when absent. */
  subject?: InputMaybe<MetricSubject>;
  /** The last period: those starting on or before this day. */
  to?: InputMaybe<Scalars['Date']['input']>;
};

/** Whether a sample pull needed, and got, a manager's approval. */
export type SampleApprovalStatus =
  | 'APPROVED'
  | 'NOT_REQUIRED'
  | 'PENDING'
  | 'REJECTED';

export type SamplePullInput = {
  /** Units (bottles) pulled. */
  quantity: Scalars['Int']['input'];
  skuId: Scalars['ID']['input'];
};

export type ScheduleCallInput = {
  customerId: Scalars['ID']['input'];
  objective: Scalars['String']['input'];
  /** Defaults to you; managers may schedule for their reports, admins for anyone. */
  repId?: InputMaybe<Scalars['ID']['input']>;
  scheduledFor: Scalars['DateTime']['input'];
};

/**
 * A customer's allocation of a SKU: the allocation starting on `periodStart` is changed when
 * there is one, otherwise one is added.
 */
export type SetAllocationInput = {
  customerId: Scalars['ID']['input'];
  /** The last day covered. */
  periodEnd: Scalars['Date']['input'];
  /** The first day covered (the tenant's date). */
  periodStart: Scalars['Date']['input'];
  /** Units the customer may order in the period. */
  quantity: Scalars['Int']['input'];
  skuId: Scalars['ID']['input'];
};

export type SignedInSession = {
  __typename?: 'SignedInSession';
  /** Whether this is the session the request came with. */
  current: Scalars['Boolean']['output'];
  expiresAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  ipAddress?: Maybe<Scalars['String']['output']>;
  lastRefreshedAt: Scalars['DateTime']['output'];
  signedInAt: Scalars['DateTime']['output'];
  userAgent?: Maybe<Scalars['String']['output']>;
};

export type Sku = {
  __typename?: 'Sku';
  /**
   * Sold to each customer only within the quantity allocated to it for the day's period
   * (`allocations`); orders beyond it answer `ALLOCATION_EXCEEDED`.
   */
  allocated: Scalars['Boolean']['output'];
  /** The list price before tier and customer pricing. */
  basePrice: Scalars['Money']['output'];
  code: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** Stock summed over locations. */
  inventory: StockLevel;
  /**
   * Below this many available units (`inventory.available`) the SKU is low on stock, and the
   * fall below records an `inventory.low` webhook event; 0 means never. Staff only, like the
   * counts on hand.
   */
  lowStockThreshold?: Maybe<Scalars['Int']['output']>;
  /**
   * The unit price a customer pays for `quantity` units. Portal users get their own
   * customer's price (and may name no other customer); staff name the customer, or get the
   * base price without one.
   */
  price: Price;
  product: Product;
  sizeMl: Scalars['Int']['output'];
  status: ProductStatus;
  /** What the distributor pays: staff only. */
  unitCost?: Maybe<Scalars['Money']['output']>;
  unitsPerCase: Scalars['Int']['output'];
  upc?: Maybe<Scalars['String']['output']>;
};


export type SkuPriceArgs = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  quantity?: Scalars['Int']['input'];
};

export type SkuConnection = {
  __typename?: 'SkuConnection';
  /** A list of edges. */
  edges: Array<SkuEdge>;
  /** A list of nodes. */
  nodes: Array<Sku>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type SkuEdge = {
  __typename?: 'SkuEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Sku;
};

export type SkuFilter = {
  allocated?: InputMaybe<Scalars['Boolean']['input']>;
  productId?: InputMaybe<Scalars['ID']['input']>;
  /** Matches the code or UPC, or the product's name, brand or varietal, ignoring case. */
  search?: InputMaybe<Scalars['String']['input']>;
  /**
   * Any of these; all statuses when absent or empty. Portal users see active SKUs of active
   * products only.
   */
  statuses?: InputMaybe<Array<ProductStatus>>;
};

/** Sort direction for every list's `orderBy`. */
export type SortDirection =
  | 'ASC'
  | 'DESC';

export type StateFilingCalendar = {
  __typename?: 'StateFilingCalendar';
  /** By due date. One calendar answer holds at most 1,000 filings across its states. */
  filings: Array<ComplianceFiling>;
  /** Filings not yet submitted (or rejected and not resubmitted). */
  outstanding: Scalars['Int']['output'];
  state: Scalars['String']['output'];
  /** The recorded amounts, summed. */
  totalAmount: Scalars['Money']['output'];
};

export type StateTaxRate = {
  __typename?: 'StateTaxRate';
  createdAt: Scalars['DateTime']['output'];
  effectiveFrom: Scalars['Date']['output'];
  /** Exclusive; null while the rate has no announced end. */
  effectiveUntil?: Maybe<Scalars['Date']['output']>;
  id: Scalars['ID']['output'];
  productCategory: ProductCategory;
  /** Dollars per gallon, or a percentage (7.5 means 7.5 %). */
  rate: Scalars['Decimal']['output'];
  rateKind: TaxRateKind;
  state: Scalars['String']['output'];
};

export type StateTaxRateConnection = {
  __typename?: 'StateTaxRateConnection';
  /** A list of edges. */
  edges: Array<StateTaxRateEdge>;
  /** A list of nodes. */
  nodes: Array<StateTaxRate>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type StateTaxRateEdge = {
  __typename?: 'StateTaxRateEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: StateTaxRate;
};

export type StateTaxRateFilter = {
  /** Only the rates in force on this day. */
  activeOn?: InputMaybe<Scalars['Date']['input']>;
  productCategory?: InputMaybe<ProductCategory>;
  /** Two-letter code. */
  state?: InputMaybe<Scalars['String']['input']>;
};

export type StockLevel = {
  __typename?: 'StockLevel';
  /** On hand less reserved: what can still be ordered. */
  available: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  /** Staff only: customers see what they can order, `available`. */
  onHand?: Maybe<Scalars['Int']['output']>;
  /** Staff only. */
  reserved?: Maybe<Scalars['Int']['output']>;
};

export type StoreIntegrationTokenInput = {
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Lower-case letters, digits and `_`: `quickbooks`, `vinosmith` … */
  provider: Scalars['String']['input'];
  scopes?: Array<Scalars['String']['input']>;
  /** Stored encrypted; never shown again except its last four characters. */
  token: Scalars['String']['input'];
};

export type SubmitComplianceFilingInput = {
  /** The amount filed; omit to keep the amount recorded earlier. */
  amount?: InputMaybe<Scalars['Money']['input']>;
  notes?: InputMaybe<Scalars['String']['input']>;
  /** The regulator's confirmation number. */
  reference: Scalars['String']['input'];
};

/** Subscriptions, served over WebSocket (`crate::live`). */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Each of the subscriber's own notifications, as it is created (the `notifications` inbox
   * lists them afterwards).
   */
  notificationReceived: Notification;
  /**
   * The order, as it is now, each time one is placed or changes status: the one named by
   * `orderId`, or every order the subscriber may see. Orders the subscriber cannot see (another
   * customer's, an account out of its scope) never arrive.
   */
  orderUpdated: Order;
  /**
   * The stock of the SKUs in `skuIds` (at most 100) whose available quantity changed, each
   * time stock moves: after an adjustment of one of them, and after each order placed or
   * changing status (which may reserve, release or consume any of them). The first message
   * carries every one of them.
   */
  stockChanged: Array<StockLevel>;
  /**
   * Each webhook delivery as it is queued and after each attempt to send it (`status`,
   * `attempts`, `lastStatusCode`, `lastError`): of the webhook subscription named by
   * `subscriptionId`, or of all of them.
   */
  webhookDeliveryUpdated: WebhookDelivery;
};


/** Subscriptions, served over WebSocket (`crate::live`). */
export type SubscriptionOrderUpdatedArgs = {
  orderId?: InputMaybe<Scalars['ID']['input']>;
};


/** Subscriptions, served over WebSocket (`crate::live`). */
export type SubscriptionStockChangedArgs = {
  skuIds: Array<Scalars['ID']['input']>;
};


/** Subscriptions, served over WebSocket (`crate::live`). */
export type SubscriptionWebhookDeliveryUpdatedArgs = {
  subscriptionId?: InputMaybe<Scalars['ID']['input']>;
};

export type Supplier = {
  __typename?: 'Supplier';
  contactEmail?: Maybe<Scalars['String']['output']>;
  contactName?: Maybe<Scalars['String']['output']>;
  country?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Shared directory entries are maintained for every tenant and cannot be changed. */
  isShared: Scalars['Boolean']['output'];
  name: Scalars['String']['output'];
  phone?: Maybe<Scalars['String']['output']>;
  status: SupplierStatus;
  website?: Maybe<Scalars['String']['output']>;
};

export type SupplierConnection = {
  __typename?: 'SupplierConnection';
  /** A list of edges. */
  edges: Array<SupplierEdge>;
  /** A list of nodes. */
  nodes: Array<Supplier>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type SupplierEdge = {
  __typename?: 'SupplierEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Supplier;
};

export type SupplierStatus =
  | 'ACTIVE'
  | 'INACTIVE';

export type Task = {
  __typename?: 'Task';
  assignee?: Maybe<User>;
  assigneeId: Scalars['ID']['output'];
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  createdAt: Scalars['DateTime']['output'];
  createdById?: Maybe<Scalars['ID']['output']>;
  customer?: Maybe<Customer>;
  customerId?: Maybe<Scalars['ID']['output']>;
  description?: Maybe<Scalars['String']['output']>;
  dueAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  priority: Priority;
  status: TaskStatus;
  title: Scalars['String']['output'];
};

export type TaskConnection = {
  __typename?: 'TaskConnection';
  /** A list of edges. */
  edges: Array<TaskEdge>;
  /** A list of nodes. */
  nodes: Array<Task>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type TaskEdge = {
  __typename?: 'TaskEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: Task;
};

export type TaskFilter = {
  assigneeId?: InputMaybe<Scalars['ID']['input']>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Due at or after. */
  dueFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** Due at or before. */
  dueTo?: InputMaybe<Scalars['DateTime']['input']>;
  /** Any of these; all statuses when absent or empty. */
  statuses?: InputMaybe<Array<TaskStatus>>;
};

export type TaskStatus =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'IN_PROGRESS'
  | 'OPEN';

/** How a rate applies: dollars per US gallon, or a percentage of the line's price. */
export type TaxRateKind =
  | 'PERCENT'
  | 'PER_GALLON';

export type Tenant = {
  __typename?: 'Tenant';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  slug: Scalars['String']['output'];
  status: TenantStatus;
};

export type TenantSettings = {
  __typename?: 'TenantSettings';
  /** How long a portal cart lives, in hours. */
  cartTtlHours: Scalars['Int']['output'];
  /** The currency of new orders (ISO 4217). */
  currency: Scalars['String']['output'];
  /** Orders an account needs before a revenue drop counts. Staff only. */
  healthMinOrders?: Maybe<Scalars['Int']['output']>;
  /** The revenue drop that flags an account's health, as a fraction (`"0.15"`). Staff only. */
  healthRevenueDropThreshold?: Maybe<Scalars['Decimal']['output']>;
  id: Scalars['ID']['output'];
  /**
   * The largest line discount each internal role may give, in percent, by role name; a role
   * not listed gives none. Staff only.
   */
  lineDiscountLimits?: Maybe<Array<LineDiscountLimit>>;
  /** Orders an account needs before its pace is judged. Staff only. */
  paceMinOrders?: Maybe<Scalars['Int']['output']>;
  /** Days past its expected reorder date before an account is at risk. Staff only. */
  paceRiskThresholdDays?: Maybe<Scalars['Int']['output']>;
  /**
   * Which portal features the distributor's customers have. An operation of a feature that
   * is off answers `FORBIDDEN` to portal users.
   */
  portalFeatures: PortalFeatures;
  /** Whether pulls beyond the allowance wait for a manager's approval. Staff only. */
  sampleManagerApprovalRequired?: Maybe<Scalars['Boolean']['output']>;
  /** Sample units a rep may pull per calendar month without approval. Staff only. */
  samplePullsPerRepPerMonth?: Maybe<Scalars['Int']['output']>;
  /** The distributor's IANA time zone: the calendar every "today" is reckoned in. */
  timezone: Scalars['String']['output'];
};

/** A suspended or cancelled distributor is shut out: no one signs in to it. */
export type TenantStatus =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'SUSPENDED';

export type UpdateCustomerInput = {
  accountNumber?: InputMaybe<Scalars['String']['input']>;
  assignedRepId?: InputMaybe<Scalars['ID']['input']>;
  billingAddress?: InputMaybe<Scalars['JSON']['input']>;
  creditLimit?: InputMaybe<Scalars['Money']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  licenseExpiresOn?: InputMaybe<Scalars['Date']['input']>;
  licenseNumber?: InputMaybe<Scalars['String']['input']>;
  licenseState?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  paymentTerms?: InputMaybe<PaymentTerms>;
  phone?: InputMaybe<Scalars['String']['input']>;
  priceTier?: InputMaybe<Scalars['String']['input']>;
  shippingAddress?: InputMaybe<Scalars['JSON']['input']>;
  state?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<CustomerStatus>;
};

/** Omitted fields stay as they are; `null` clears `notes` or `requestedDeliveryDate`. */
export type UpdateDraftOrderInput = {
  /** Every line of the draft, replacing the lines it has; priced now. */
  lines?: InputMaybe<Array<OrderLineInput>>;
  notes?: InputMaybe<Scalars['String']['input']>;
  requestedDeliveryDate?: InputMaybe<Scalars['Date']['input']>;
};

/** Omitted fields stay as they are; `null` clears `description`. */
export type UpdateListInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  kind?: InputMaybe<ListKind>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateProductInput = {
  abv?: InputMaybe<Scalars['Decimal']['input']>;
  brand?: InputMaybe<Scalars['String']['input']>;
  category?: InputMaybe<ProductCategory>;
  country?: InputMaybe<Scalars['String']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  region?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<ProductStatus>;
  supplierId?: InputMaybe<Scalars['ID']['input']>;
  varietal?: InputMaybe<Scalars['String']['input']>;
  vintage?: InputMaybe<Scalars['Int']['input']>;
};

/** Omitted fields stay as they are; `permissions` replaces the whole set. */
export type UpdateRoleInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  permissions?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type UpdateSkuInput = {
  basePrice?: InputMaybe<Scalars['Money']['input']>;
  code?: InputMaybe<Scalars['String']['input']>;
  /**
   * 0 or more; 0 means never low. A threshold that puts what is available now below it (where
   * the old one did not) records `inventory.low` at once.
   */
  lowStockThreshold?: InputMaybe<Scalars['Int']['input']>;
  sizeMl?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<ProductStatus>;
  unitCost?: InputMaybe<Scalars['Money']['input']>;
  unitsPerCase?: InputMaybe<Scalars['Int']['input']>;
  upc?: InputMaybe<Scalars['String']['input']>;
};

/** Omitted fields stay as they are; `effectiveUntil: null` removes the end. */
export type UpdateStateTaxRateInput = {
  effectiveFrom?: InputMaybe<Scalars['Date']['input']>;
  effectiveUntil?: InputMaybe<Scalars['Date']['input']>;
  productCategory?: InputMaybe<ProductCategory>;
  rate?: InputMaybe<Scalars['Decimal']['input']>;
  rateKind?: InputMaybe<TaxRateKind>;
  state?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateSupplierInput = {
  contactEmail?: InputMaybe<Scalars['String']['input']>;
  contactName?: InputMaybe<Scalars['String']['input']>;
  country?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<SupplierStatus>;
  website?: InputMaybe<Scalars['String']['input']>;
};

/** Omitted fields stay as they are; `null` clears `description` or `dueAt`. */
export type UpdateTaskInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  dueAt?: InputMaybe<Scalars['DateTime']['input']>;
  priority?: InputMaybe<Priority>;
  title?: InputMaybe<Scalars['String']['input']>;
};

/** What `updateTenantSettings` changes; every field is optional. */
export type UpdateTenantSettingsInput = {
  /** How long a portal cart lives: 1 to 8,784 hours. */
  cartTtlHours?: InputMaybe<Scalars['Int']['input']>;
  /** The currency of new orders: an ISO 4217 code, three capital letters. */
  currency?: InputMaybe<Scalars['String']['input']>;
  /** Orders an account needs before a revenue drop counts: 0 to 1,000. */
  healthMinOrders?: InputMaybe<Scalars['Int']['input']>;
  /**
   * The revenue drop that flags an account's health, as a fraction from 0 to 1 (`"0.15"` is
   * 15 %), at most 4 decimal places.
   */
  healthRevenueDropThreshold?: InputMaybe<Scalars['Decimal']['input']>;
  /**
   * The largest line discount per internal role, in percent (0 to 100); roles not named keep
   * their limit.
   */
  lineDiscountLimits?: InputMaybe<Array<LineDiscountLimitInput>>;
  /** Orders an account needs before its ordering pace is judged: 0 to 1,000. */
  paceMinOrders?: InputMaybe<Scalars['Int']['input']>;
  /** Days past its expected reorder date before an account is at risk: 0 to 365. */
  paceRiskThresholdDays?: InputMaybe<Scalars['Int']['input']>;
  /** The portal features to switch on or off; those not named stay as they are. */
  portalFeatures?: InputMaybe<PortalFeaturesInput>;
  /** Whether pulls beyond the allowance wait for a manager's approval. */
  sampleManagerApprovalRequired?: InputMaybe<Scalars['Boolean']['input']>;
  /**
   * Sample units a rep may pull per calendar month before a manager must approve: 0 to
   * 100,000.
   */
  samplePullsPerRepPerMonth?: InputMaybe<Scalars['Int']['input']>;
  /** An IANA time zone (`America/New_York`): the distributor's calendar. */
  timezone?: InputMaybe<Scalars['String']['input']>;
};

/** Omitted fields stay as they are; `managerId: null` removes the manager. */
export type UpdateUserInput = {
  email?: InputMaybe<Scalars['String']['input']>;
  fullName?: InputMaybe<Scalars['String']['input']>;
  managerId?: InputMaybe<Scalars['ID']['input']>;
};

export type UpdateWebhookSubscriptionInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  eventTypes?: InputMaybe<Array<Scalars['String']['input']>>;
  url?: InputMaybe<Scalars['String']['input']>;
};

export type User = {
  __typename?: 'User';
  /** The user themself and holders of `users.manage` only. */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  email: Scalars['String']['output'];
  fullName: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The user themself and holders of `users.manage` only. */
  lastLoginAt?: Maybe<Scalars['DateTime']['output']>;
  /** The user themself and holders of `users.manage` only. */
  managerId?: Maybe<Scalars['ID']['output']>;
  /** Names of the user's roles. The user themself and holders of `users.manage` only. */
  roles?: Maybe<Array<Scalars['String']['output']>>;
  /** The user themself and holders of `users.manage` only. */
  status?: Maybe<UserStatus>;
};

export type UserConnection = {
  __typename?: 'UserConnection';
  /** A list of edges. */
  edges: Array<UserEdge>;
  /** A list of nodes. */
  nodes: Array<User>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type UserEdge = {
  __typename?: 'UserEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: User;
};

export type UserFilter = {
  /** Any of these; all statuses when absent or empty. */
  statuses?: InputMaybe<Array<UserStatus>>;
};

export type UserStatus =
  | 'ACTIVE'
  | 'DISABLED'
  | 'INVITED';

export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  /** Attempts made (or under way). */
  attempts: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  deliveredAt?: Maybe<Scalars['DateTime']['output']>;
  event: WebhookEvent;
  eventId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  lastAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  /** Why the last attempt failed (status and the start of the reply, a timeout …). */
  lastError?: Maybe<Scalars['String']['output']>;
  /** The receiver's HTTP status on the last attempt; null when it never answered. */
  lastStatusCode?: Maybe<Scalars['Int']['output']>;
  /** When the next attempt is due; null once the delivery succeeded or is dead. */
  nextAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  status: WebhookDeliveryStatus;
  subscription: WebhookSubscription;
  subscriptionId: Scalars['ID']['output'];
};

export type WebhookDeliveryConnection = {
  __typename?: 'WebhookDeliveryConnection';
  /** A list of edges. */
  edges: Array<WebhookDeliveryEdge>;
  /** A list of nodes. */
  nodes: Array<WebhookDelivery>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type WebhookDeliveryEdge = {
  __typename?: 'WebhookDeliveryEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: WebhookDelivery;
};

export type WebhookDeliveryFilter = {
  eventId?: InputMaybe<Scalars['ID']['input']>;
  /** Any of these; all statuses when absent or empty. */
  statuses?: InputMaybe<Array<WebhookDeliveryStatus>>;
  subscriptionId?: InputMaybe<Scalars['ID']['input']>;
};

/**
 * PENDING waits for its first attempt, FAILED for a retry; SUCCEEDED and DEAD (the retry
 * budget spent) are final until redelivered.
 */
export type WebhookDeliveryStatus =
  | 'DEAD'
  | 'FAILED'
  | 'PENDING'
  | 'SUCCEEDED';

export type WebhookEvent = {
  __typename?: 'WebhookEvent';
  /** The event's deliveries, one per subscription it went to. */
  deliveries: Array<WebhookDelivery>;
  /** When the event was fanned out to the matching subscriptions; null until then. */
  dispatchedAt?: Maybe<Scalars['DateTime']['output']>;
  eventType: Scalars['String']['output'];
  /** Also the `X-Leora-Event-Id` header and the body's `id`: receivers de-duplicate on it. */
  id: Scalars['ID']['output'];
  occurredAt: Scalars['DateTime']['output'];
  payload: Scalars['JSON']['output'];
};

export type WebhookEventConnection = {
  __typename?: 'WebhookEventConnection';
  /** A list of edges. */
  edges: Array<WebhookEventEdge>;
  /** A list of nodes. */
  nodes: Array<WebhookEvent>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type WebhookEventEdge = {
  __typename?: 'WebhookEventEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: WebhookEvent;
};

export type WebhookEventFilter = {
  /** An event type name, `order.placed` … */
  eventType?: InputMaybe<Scalars['String']['input']>;
};

export type WebhookSigningSecret = {
  __typename?: 'WebhookSigningSecret';
  /** The HMAC-SHA256 key for `X-Leora-Signature`, shown this once. */
  secret: Scalars['String']['output'];
  subscription: WebhookSubscription;
};

export type WebhookSubscription = {
  __typename?: 'WebhookSubscription';
  /** Failed attempts since the last success; the subscription is disabled at the limit. */
  consecutiveFailures: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  disabledAt?: Maybe<Scalars['DateTime']['output']>;
  /** The event types delivered (`order.placed` …). */
  eventTypes: Array<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  lastFailureAt?: Maybe<Scalars['DateTime']['output']>;
  lastSuccessAt?: Maybe<Scalars['DateTime']['output']>;
  status: WebhookSubscriptionStatus;
  updatedAt: Scalars['DateTime']['output'];
  url: Scalars['String']['output'];
};

export type WebhookSubscriptionConnection = {
  __typename?: 'WebhookSubscriptionConnection';
  /** A list of edges. */
  edges: Array<WebhookSubscriptionEdge>;
  /** A list of nodes. */
  nodes: Array<WebhookSubscription>;
  /** Information to aid in pagination. */
  pageInfo: PageInfo;
  /** How many items match the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An edge in a connection. */
export type WebhookSubscriptionEdge = {
  __typename?: 'WebhookSubscriptionEdge';
  /** A cursor for use in pagination */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge */
  node: WebhookSubscription;
};

export type WebhookSubscriptionFilter = {
  /** Any of these; all statuses when absent or empty. */
  statuses?: InputMaybe<Array<WebhookSubscriptionStatus>>;
};

/**
 * ACTIVE receives events; PAUSED and DISABLED (after too many consecutive failures) receive
 * none until resumed.
 */
export type WebhookSubscriptionStatus =
  | 'ACTIVE'
  | 'DISABLED'
  | 'PAUSED';

export type OrdersPageQueryVariables = Exact<{
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OrderFilter>;
  orderBy?: InputMaybe<OrderOrder>;
}>;


export type OrdersPageQuery = { __typename?: 'Query', orders: { __typename?: 'OrderConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'OrderEdge', cursor: string, node: { __typename?: 'Order', id: string, orderNumber: string, status: OrderStatus, total: string, createdAt: string } }> } };

export type RefreshSessionMutationVariables = Exact<{
  refreshToken: Scalars['String']['input'];
}>;


export type RefreshSessionMutation = { __typename?: 'Mutation', refreshSession?: { __typename?: 'AuthPayload', accessToken: string, refreshToken: string, expiresAt: string } | null };

export type SkuCostsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type SkuCostsQuery = { __typename?: 'Query', products: { __typename?: 'ProductConnection', edges: Array<{ __typename?: 'ProductEdge', node: { __typename?: 'Product', id: string, name: string, skus: Array<{ __typename?: 'Sku', id: string, code: string, unitCost?: string | null }> } }> } };

export type CustomersQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type CustomersQuery = { __typename?: 'Query', customers: { __typename?: 'CustomerConnection', totalCount: number, edges: Array<{ __typename?: 'CustomerEdge', node: { __typename?: 'Customer', id: string, name: string } }> } };

export type UpdateCartItemMutationVariables = Exact<{
  skuId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
}>;


export type UpdateCartItemMutation = { __typename?: 'Mutation', updateCartItem?: { __typename?: 'Cart', id: string, status: CartStatus, expiresAt: string, items: Array<{ __typename?: 'CartItem', id: string, quantity: number, sku: { __typename?: 'Sku', id: string, code: string } }> } | null };

export type RemoveFromCartMutationVariables = Exact<{
  skuId: Scalars['ID']['input'];
}>;


export type RemoveFromCartMutation = { __typename?: 'Mutation', removeFromCart?: { __typename?: 'Cart', id: string, status: CartStatus, expiresAt: string, items: Array<{ __typename?: 'CartItem', id: string, quantity: number, sku: { __typename?: 'Sku', id: string, code: string } }> } | null };

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { __typename?: 'Mutation', login?: { __typename?: 'AuthPayload', accessToken: string, refreshToken: string, expiresAt: string } | null };

export type PortalLoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type PortalLoginMutation = { __typename?: 'Mutation', portalLogin?: { __typename?: 'AuthPayload', accessToken: string, refreshToken: string, expiresAt: string } | null };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { __typename?: 'Query', me: { __typename?: 'Me', kind: PrincipalKind, roles: Array<string>, permissions: Array<string>, customerId?: string | null, user?: { __typename?: 'User', id: string, email: string, fullName: string } | null, portalUser?: { __typename?: 'PortalUser', id: string, email: string, fullName: string } | null, tenant: { __typename?: 'Tenant', slug: string, name: string } } };

export type CartFieldsFragment = { __typename?: 'Cart', id: string, status: CartStatus, expiresAt: string, items: Array<{ __typename?: 'CartItem', id: string, quantity: number, sku: { __typename?: 'Sku', id: string, code: string } }> };

export type CartQueryVariables = Exact<{ [key: string]: never; }>;


export type CartQuery = { __typename?: 'Query', cart: { __typename?: 'Cart', id: string, status: CartStatus, expiresAt: string, items: Array<{ __typename?: 'CartItem', id: string, quantity: number, sku: { __typename?: 'Sku', id: string, code: string } }> } };

export type AddToCartMutationVariables = Exact<{
  skuId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
}>;


export type AddToCartMutation = { __typename?: 'Mutation', addToCart?: { __typename?: 'Cart', id: string, status: CartStatus, expiresAt: string, items: Array<{ __typename?: 'CartItem', id: string, quantity: number, sku: { __typename?: 'Sku', id: string, code: string } }> } | null };

export type CheckoutCartMutationVariables = Exact<{
  input?: InputMaybe<CheckoutInput>;
}>;


export type CheckoutCartMutation = { __typename?: 'Mutation', checkoutCart?: { __typename?: 'CheckedOut', order: { __typename?: 'Order', id: string, orderNumber: string, status: OrderStatus, idempotencyKey?: string | null, subtotal: string, taxTotal: string, total: string, createdAt: string, lines: Array<{ __typename?: 'OrderLine', lineNumber: number, quantity: number, unitPrice: string, lineTotal: string, sku: { __typename?: 'Sku', id: string, code: string } }> }, cart: { __typename?: 'Cart', id: string, status: CartStatus, expiresAt: string, items: Array<{ __typename?: 'CartItem', id: string, quantity: number, sku: { __typename?: 'Sku', id: string, code: string } }> } } | null };

export type OrderUpdatedSubscriptionVariables = Exact<{
  orderId?: InputMaybe<Scalars['ID']['input']>;
}>;


export type OrderUpdatedSubscription = { __typename?: 'Subscription', orderUpdated: { __typename?: 'Order', id: string, orderNumber: string, status: OrderStatus, total: string } };

export type OrderFieldsFragment = { __typename?: 'Order', id: string, orderNumber: string, status: OrderStatus, idempotencyKey?: string | null, subtotal: string, taxTotal: string, total: string, createdAt: string, lines: Array<{ __typename?: 'OrderLine', lineNumber: number, quantity: number, unitPrice: string, lineTotal: string, sku: { __typename?: 'Sku', id: string, code: string } }> };

export type OrdersQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OrderFilter>;
  orderBy?: InputMaybe<OrderOrder>;
}>;


export type OrdersQuery = { __typename?: 'Query', orders: { __typename?: 'OrderConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'OrderEdge', node: { __typename?: 'Order', id: string, orderNumber: string, status: OrderStatus, idempotencyKey?: string | null, subtotal: string, taxTotal: string, total: string, createdAt: string, lines: Array<{ __typename?: 'OrderLine', lineNumber: number, quantity: number, unitPrice: string, lineTotal: string, sku: { __typename?: 'Sku', id: string, code: string } }> } }> } };

export type CreateOrderMutationVariables = Exact<{
  input: CreateOrderInput;
}>;


export type CreateOrderMutation = { __typename?: 'Mutation', createOrder?: { __typename?: 'Order', id: string, orderNumber: string, status: OrderStatus, idempotencyKey?: string | null, subtotal: string, taxTotal: string, total: string, createdAt: string, lines: Array<{ __typename?: 'OrderLine', lineNumber: number, quantity: number, unitPrice: string, lineTotal: string, sku: { __typename?: 'Sku', id: string, code: string } }> } | null };

export type ProductsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ProductFilter>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  quantity?: Scalars['Int']['input'];
}>;


export type ProductsQuery = { __typename?: 'Query', products: { __typename?: 'ProductConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'ProductEdge', node: { __typename?: 'Product', id: string, name: string, brand?: string | null, varietal?: string | null, vintage?: number | null, skus: Array<{ __typename?: 'Sku', id: string, code: string, sizeMl: number, basePrice: string, inventory: { __typename?: 'StockLevel', available: number }, price: { __typename?: 'Price', unitPrice: string, source: PriceSource } }> } }> } };

export const CartFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CartFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Cart"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"sku"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<CartFieldsFragment, unknown>;
export const OrderFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OrderFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Order"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"idempotencyKey"}},{"kind":"Field","name":{"kind":"Name","value":"subtotal"}},{"kind":"Field","name":{"kind":"Name","value":"taxTotal"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lineNumber"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"}},{"kind":"Field","name":{"kind":"Name","value":"lineTotal"}},{"kind":"Field","name":{"kind":"Name","value":"sku"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<OrderFieldsFragment, unknown>;
export const OrdersPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OrdersPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"OrderFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"OrderOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<OrdersPageQuery, OrdersPageQueryVariables>;
export const RefreshSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RefreshSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"refreshToken"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"refreshSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"refreshToken"},"value":{"kind":"Variable","name":{"kind":"Name","value":"refreshToken"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<RefreshSessionMutation, RefreshSessionMutationVariables>;
export const SkuCostsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SkuCosts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"products"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"skus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"unitCost"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<SkuCostsQuery, SkuCostsQueryVariables>;
export const CustomersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Customers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<CustomersQuery, CustomersQueryVariables>;
export const UpdateCartItemDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateCartItem"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"skuId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"quantity"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateCartItem"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"skuId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"skuId"}}},{"kind":"Argument","name":{"kind":"Name","value":"quantity"},"value":{"kind":"Variable","name":{"kind":"Name","value":"quantity"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CartFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CartFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Cart"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"sku"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<UpdateCartItemMutation, UpdateCartItemMutationVariables>;
export const RemoveFromCartDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveFromCart"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"skuId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeFromCart"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"skuId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"skuId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CartFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CartFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Cart"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"sku"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<RemoveFromCartMutation, RemoveFromCartMutationVariables>;
export const LoginDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Login"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LoginInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"login"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<LoginMutation, LoginMutationVariables>;
export const PortalLoginDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PortalLogin"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LoginInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"portalLogin"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<PortalLoginMutation, PortalLoginMutationVariables>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"portalUser"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"permissions"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"tenant"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const CartDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Cart"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cart"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CartFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CartFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Cart"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"sku"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<CartQuery, CartQueryVariables>;
export const AddToCartDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddToCart"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"skuId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"quantity"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addToCart"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"skuId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"skuId"}}},{"kind":"Argument","name":{"kind":"Name","value":"quantity"},"value":{"kind":"Variable","name":{"kind":"Name","value":"quantity"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CartFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CartFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Cart"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"sku"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<AddToCartMutation, AddToCartMutationVariables>;
export const CheckoutCartDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CheckoutCart"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CheckoutInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"checkoutCart"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"order"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"OrderFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cart"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CartFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OrderFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Order"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"idempotencyKey"}},{"kind":"Field","name":{"kind":"Name","value":"subtotal"}},{"kind":"Field","name":{"kind":"Name","value":"taxTotal"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lineNumber"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"}},{"kind":"Field","name":{"kind":"Name","value":"lineTotal"}},{"kind":"Field","name":{"kind":"Name","value":"sku"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CartFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Cart"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"sku"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<CheckoutCartMutation, CheckoutCartMutationVariables>;
export const OrderUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"OrderUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orderUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"orderId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"total"}}]}}]}}]} as unknown as DocumentNode<OrderUpdatedSubscription, OrderUpdatedSubscriptionVariables>;
export const OrdersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Orders"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"OrderFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"OrderOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"OrderFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OrderFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Order"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"idempotencyKey"}},{"kind":"Field","name":{"kind":"Name","value":"subtotal"}},{"kind":"Field","name":{"kind":"Name","value":"taxTotal"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lineNumber"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"}},{"kind":"Field","name":{"kind":"Name","value":"lineTotal"}},{"kind":"Field","name":{"kind":"Name","value":"sku"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<OrdersQuery, OrdersQueryVariables>;
export const CreateOrderDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateOrder"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateOrderInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createOrder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"OrderFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OrderFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Order"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"idempotencyKey"}},{"kind":"Field","name":{"kind":"Name","value":"subtotal"}},{"kind":"Field","name":{"kind":"Name","value":"taxTotal"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lineNumber"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"}},{"kind":"Field","name":{"kind":"Name","value":"lineTotal"}},{"kind":"Field","name":{"kind":"Name","value":"sku"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<CreateOrderMutation, CreateOrderMutationVariables>;
export const ProductsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Products"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ProductFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"quantity"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},"defaultValue":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"products"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"brand"}},{"kind":"Field","name":{"kind":"Name","value":"varietal"}},{"kind":"Field","name":{"kind":"Name","value":"vintage"}},{"kind":"Field","name":{"kind":"Name","value":"skus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"sizeMl"}},{"kind":"Field","name":{"kind":"Name","value":"basePrice"}},{"kind":"Field","name":{"kind":"Name","value":"inventory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"available"}}]}},{"kind":"Field","name":{"kind":"Name","value":"price"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"customerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}}},{"kind":"Argument","name":{"kind":"Name","value":"quantity"},"value":{"kind":"Variable","name":{"kind":"Name","value":"quantity"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unitPrice"}},{"kind":"Field","name":{"kind":"Name","value":"source"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ProductsQuery, ProductsQueryVariables>;
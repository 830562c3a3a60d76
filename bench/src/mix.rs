//! The four operations the bench drives, their GraphQL texts and how the report names them.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Query {
    /// (a) a portal catalog page: 50 products with SKUs, availability and the customer's price.
    Catalog,
    /// (b) a portal buyer's last 20 orders with lines, SKUs and products.
    Orders,
    /// (c) a rep's account list with each account's latest health snapshot.
    Accounts,
    /// (d) `addToCart` + `checkoutCart` as a portal buyer (one request, one transaction).
    Writes,
}

pub const CATALOG: &str = "query Catalog {
  products(first: 50) {
    edges { node { id name brand vintage
      skus { id code sizeMl inventory { available } price(quantity: 1) { unitPrice source } } } }
    pageInfo { hasNextPage endCursor }
  }
}";

pub const ORDERS: &str = "query RecentOrders {
  orders(first: 20, orderBy: { field: CREATED_AT, direction: DESC }) {
    edges { node { id orderNumber status total createdAt
      lines { lineNumber quantity unitPrice lineTotal sku { id code product { id name } } } } }
  }
}";

pub const ACCOUNTS: &str = "query AccountList {
  accountHealthOverview(first: 50) {
    edges { node { customerId snapshotDate healthScore paceStatus atRisk riskFlags
      revenueCurrent daysSinceLastOrder customer { id name accountNumber } } }
  }
}";

pub const WRITES: &str = "mutation Reorder($sku: ID!) {
  addToCart(skuId: $sku, quantity: 1) { id }
  checkoutCart { order { id orderNumber total } }
}";

impl Query {
    pub const ALL: [Query; 4] = [
        Query::Catalog,
        Query::Orders,
        Query::Accounts,
        Query::Writes,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Query::Catalog => "catalog",
            Query::Orders => "orders",
            Query::Accounts => "accounts",
            Query::Writes => "writes",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Query::Catalog => "(a) catalog page",
            Query::Orders => "(b) last 20 orders",
            Query::Accounts => "(c) rep account list",
            Query::Writes => "(d) addToCart+checkout",
        }
    }

    /// Whether the raw-SQL baseline runs this operation.
    pub fn has_baseline(self) -> bool {
        self != Query::Writes
    }

    pub fn text(self) -> &'static str {
        match self {
            Query::Catalog => CATALOG,
            Query::Orders => ORDERS,
            Query::Accounts => ACCOUNTS,
            Query::Writes => WRITES,
        }
    }
}

//! The five operations the bench drives, their GraphQL texts and how the report names them.

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
    /// (e) an admin's depletion report over the trailing year, by brand and month.
    Depletions,
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

pub const DEPLETIONS: &str = "query Depletions($from: Date!, $to: Date!) {
  depletions(filter: { from: $from, to: $to }, groupBy: [BRAND], period: MONTH) {
    brand periodStart units cases revenue orderCount
  }
}";

impl Query {
    pub const ALL: [Query; 5] = [
        Query::Catalog,
        Query::Orders,
        Query::Accounts,
        Query::Writes,
        Query::Depletions,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Query::Catalog => "catalog",
            Query::Orders => "orders",
            Query::Accounts => "accounts",
            Query::Writes => "writes",
            Query::Depletions => "depletions",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Query::Catalog => "(a) catalog page",
            Query::Orders => "(b) last 20 orders",
            Query::Accounts => "(c) rep account list",
            Query::Writes => "(d) addToCart+checkout",
            Query::Depletions => "(e) depletions, a year",
        }
    }

    /// Whether the raw-SQL baseline runs this operation.
    pub fn has_baseline(self) -> bool {
        !matches!(self, Query::Writes | Query::Depletions)
    }

    /// The concurrencies this operation is measured at, of those asked for. A depletion report is
    /// a report, not a page: it is measured at the lowest level only, where its latency is what
    /// one user waits; many at once measure the tenant's fair share instead (its requests queue
    /// behind its cap and are refused after `TENANT_QUEUE_WAIT_MS`).
    pub fn levels(self, asked: &[usize]) -> Vec<usize> {
        match self {
            Query::Depletions => asked.iter().copied().min().into_iter().collect(),
            _ => asked.to_vec(),
        }
    }

    /// The variables of every request but the writes' (whose SKU changes from one to the next):
    /// the depletion report covers the 365 days to today, the whole synthetic history.
    pub fn variables(self) -> serde_json::Value {
        match self {
            Query::Depletions => {
                let today = chrono::Utc::now().date_naive();
                let from = today - chrono::Duration::days(364);
                serde_json::json!({ "from": from.to_string(), "to": today.to_string() })
            }
            _ => serde_json::json!({}),
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            Query::Catalog => CATALOG,
            Query::Orders => ORDERS,
            Query::Accounts => ACCOUNTS,
            Query::Writes => WRITES,
            Query::Depletions => DEPLETIONS,
        }
    }
}

//! The order state machine (docs/domain-rules.md, "The lifecycle"), pure: draft → submitted →
//! confirmed → fulfilled → delivered, with cancellation allowed until the goods leave (draft,
//! submitted, confirmed).

use sea_orm::ActiveEnum;

use crate::entities::orders::OrderStatus;
use crate::error::OrdersError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Submit,
    Confirm,
    Fulfill,
    Deliver,
    Cancel,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Self::Submit,
        Self::Confirm,
        Self::Fulfill,
        Self::Deliver,
        Self::Cancel,
    ];

    /// The verb, for messages and event payloads.
    pub fn verb(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Confirm => "confirm",
            Self::Fulfill => "fulfill",
            Self::Deliver => "deliver",
            Self::Cancel => "cancel",
        }
    }
}

/// The status `action` moves an order in status `from` to; `InvalidTransition` when the
/// lifecycle does not allow it.
pub fn next_status(from: OrderStatus, action: Action) -> Result<OrderStatus, OrdersError> {
    use OrderStatus::{Cancelled, Confirmed, Delivered, Draft, Fulfilled, Submitted};
    match (from, action) {
        (Draft, Action::Submit) => Ok(Submitted),
        (Submitted, Action::Confirm) => Ok(Confirmed),
        (Confirmed, Action::Fulfill) => Ok(Fulfilled),
        (Fulfilled, Action::Deliver) => Ok(Delivered),
        (Draft | Submitted | Confirmed, Action::Cancel) => Ok(Cancelled),
        _ => Err(OrdersError::InvalidTransition {
            entity: "an order",
            from: from.to_value(),
            action: action.verb(),
        }),
    }
}

/// Whether an order in this status holds reserved stock: from submission until it ships.
pub fn holds_reservation(status: OrderStatus) -> bool {
    matches!(status, OrderStatus::Submitted | OrderStatus::Confirmed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use leora_tenancy::{ApiError, ErrorCode};
    use sea_orm::Iterable;

    /// Every allowed transition; every other (status, action) pair must be refused.
    const ALLOWED: &[(OrderStatus, Action, OrderStatus)] = &[
        (OrderStatus::Draft, Action::Submit, OrderStatus::Submitted),
        (OrderStatus::Draft, Action::Cancel, OrderStatus::Cancelled),
        (
            OrderStatus::Submitted,
            Action::Confirm,
            OrderStatus::Confirmed,
        ),
        (
            OrderStatus::Submitted,
            Action::Cancel,
            OrderStatus::Cancelled,
        ),
        (
            OrderStatus::Confirmed,
            Action::Fulfill,
            OrderStatus::Fulfilled,
        ),
        (
            OrderStatus::Confirmed,
            Action::Cancel,
            OrderStatus::Cancelled,
        ),
        (
            OrderStatus::Fulfilled,
            Action::Deliver,
            OrderStatus::Delivered,
        ),
    ];

    #[test]
    fn every_status_and_action_pair_follows_the_table() {
        let mut checked = 0;
        for from in OrderStatus::iter() {
            for action in Action::ALL {
                let expected = ALLOWED
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                match (next_status(from, action), expected) {
                    (Ok(to), Some(expected)) => assert_eq!(to, expected, "{from:?} {action:?}"),
                    (Err(error), None) => {
                        assert_eq!(error.code(), ErrorCode::InvalidTransition);
                        assert_eq!(
                            error.to_string(),
                            format!(
                                "cannot {} an order that is {}",
                                action.verb(),
                                from.to_value()
                            )
                        );
                    }
                    (outcome, expected) => {
                        panic!("{from:?} {action:?}: got {outcome:?}, expected {expected:?}")
                    }
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 6 * 5);
    }

    #[test]
    fn only_submitted_and_confirmed_orders_hold_stock() {
        let holding: Vec<_> = OrderStatus::iter()
            .filter(|s| holds_reservation(*s))
            .collect();
        assert_eq!(
            holding,
            vec![OrderStatus::Submitted, OrderStatus::Confirmed]
        );
    }
}

//! GraphQL enums that mirror the stored (SeaORM) enums one to one, so the API's enums are its
//! own types while conversions stay exhaustive in both directions.

/// `mirror_enum!(ProductStatus <=> StoredProductStatus { Active, Inactive, Discontinued });`
/// with `StoredProductStatus` in scope. The GraphQL enum's doc comments go before its name.
#[macro_export]
macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident <=> $stored:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq, Debug)]
        pub enum $name { $($variant),+ }

        impl From<$stored> for $name {
            fn from(value: $stored) -> Self {
                match value { $($stored::$variant => Self::$variant),+ }
            }
        }

        impl From<$name> for $stored {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => Self::$variant),+ }
            }
        }
    };
}

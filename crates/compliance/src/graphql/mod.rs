//! The compliance API's shared types.

use crate::entities::enums::ProductCategory as StoredProductCategory;

leora_tenancy::mirror_enum!(
    /// What a product is, which decides its excise tax.
    ProductCategory <=> StoredProductCategory { Wine, Spirits, Beer, Other }
);

//! What an ipsec.conf means: the keyword catalogue, value checks, include
//! expansion, `%default`/`also=`/`alsoflip=` resolution and diagnostics.
//! No file I/O: includes come through a loader the caller provides.

pub mod catalogue;
mod proposals;
pub mod value_check;

//! The implicit conns of ipsec.conf(5) ("IMPLICIT CONNS"): defined after all others,
//! usable as `also=` targets, overridden by a conn of the same name.

use crate::include::RawSection;
use crate::include::{IncludeOptions, expand};
use crate::loader::MemoryLoader;
use crate::source::FileId;

pub const NAMES: &[&str] = &["clear", "clear-or-private", "private-or-clear", "private", "block", "packetdefault"];

/// The pseudo-path their definitions are reported at.
pub const PATH: &str = "<implicit conns>";

/// The definitions as the man page gives them.
pub const TEXT: &str = "\
conn clear
\ttype=passthrough
\tauthby=never
\tleft=%defaultroute
\tright=%group
\tauto=route

conn clear-or-private
\ttype=passthrough
\tleft=%defaultroute
\tleftid=%myid
\tright=%opportunisticgroup
\tfailureshunt=passthrough
\tkeyingtries=3
\tikelifetime=1h
\tsalifetime=1h
\trekey=no
\tauto=route

conn private-or-clear
\ttype=tunnel
\tleft=%defaultroute
\tleftid=%myid
\tright=%opportunisticgroup
\tfailureshunt=passthrough
\tkeyingtries=3
\tikelifetime=1h
\tsalifetime=1h
\trekey=no
\tauto=route

conn private
\ttype=tunnel
\tleft=%defaultroute
\tleftid=%myid
\tright=%opportunisticgroup
\tfailureshunt=drop
\tkeyingtries=3
\tikelifetime=1h
\tsalifetime=1h
\trekey=no
\tauto=route

conn block
\ttype=reject
\tauthby=never
\tleft=%defaultroute
\tright=%group
\tauto=route

conn packetdefault
\ttype=tunnel
\tleft=%defaultroute
\tleftid=%myid
\tright=%opportunistic
\tfailureshunt=passthrough
\tkeyingtries=3
\tikelifetime=1h
\tsalifetime=1h
\trekey=no
\tauto=route
";

/// The implicit conns as sections of a file with id `file`.
pub fn sections(file: FileId) -> Vec<RawSection> {
    let expanded = expand(&MemoryLoader::new(), PATH.as_ref(), TEXT.to_string(), &IncludeOptions::default());
    expanded.sections.into_iter().map(|section| RawSection { file, ..section }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_implicit_conn_is_defined_once_without_errors() {
        let expanded = expand(&MemoryLoader::new(), PATH.as_ref(), TEXT.to_string(), &IncludeOptions::default());
        assert!(expanded.diagnostics.is_empty(), "{:?}", expanded.diagnostics);
        let names: Vec<&str> = expanded.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, NAMES);
    }
}

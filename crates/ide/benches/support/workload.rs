//! The workload the editor benchmarks share (`ide`'s in-process one and the `ipsecconf lsp`
//! one in crates/cli): a generated config of many conns with `%default` and `also=`.

use std::time::Duration;

/// `conns` conns pulling a shared base in through `also=`; about 95 bytes each.
pub fn generate(conns: usize) -> String {
    let mut text =
        String::from("config setup\n\tlogfile=/var/log/pluto.log\n\nconn %default\n\tikev2=yes\n\tkeyexchange=ike\n\n");
    for i in 0..conns {
        text.push_str(&format!(
            "conn site{i}\n\talso=base\n\tleft=192.0.{}.{}\n\tleftsubnet=10.{}.{}.0/24\n\tright=%any\n\tauto=start\n\n",
            i / 250 % 250,
            i % 250 + 1,
            i / 250 % 250,
            i % 250
        ));
    }
    text.push_str("conn base\n\tauthby=secret\n\tleftid=@gw\n");
    text
}

pub fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1e3
}

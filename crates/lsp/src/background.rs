//! Work that can wait: after an edit's diagnostics are out, the syntax index the
//! following requests use is built and the replaced analysis is freed. It runs on one
//! thread of low priority (nice 10 on Linux), so that on a busy machine it gives way
//! to the reading, parsing and analysis of the next edit instead of competing with it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use std::sync::mpsc::{Sender, channel};

type Job = Box<dyn FnOnce() + Send>;

/// Runs `job` on the background thread (or, if that thread cannot be started, on
/// tokio's blocking pool).
pub fn run(job: impl FnOnce() + Send + 'static) {
    static JOBS: OnceLock<Option<Sender<Job>>> = OnceLock::new();
    let jobs = JOBS.get_or_init(|| {
        let (sender, receiver) = channel::<Job>();
        let started = std::thread::Builder::new().name("ipsecconf-background".into()).spawn(move || {
            lower_priority();
            for job in receiver {
                // A job that panics loses its own work only.
                let _ = catch_unwind(AssertUnwindSafe(job));
            }
        });
        started.ok().map(|_| sender)
    });
    let job: Job = Box::new(job);
    let refused = match jobs {
        Some(jobs) => jobs.send(job).err().map(|refused| refused.0),
        None => Some(job),
    };
    if let Some(job) = refused {
        drop(tokio::task::spawn_blocking(job));
    }
}

#[cfg(target_os = "linux")]
fn lower_priority() {
    // On Linux the nice value belongs to the thread calling for it (threads it starts inherit it).
    let _ = rustix::process::setpriority_process(None, 10);
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

//! The global allocator (mimalloc) and its one tuning knob.

use std::ffi::{c_int, c_long};

/// mimalloc: the normalisation, resolution and detection hot paths allocate many small strings
/// (measured: reading and normalising 1M people records 11.2 s with the system allocator,
/// 6.7 s with mimalloc).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
    #[cfg(test)]
    fn mi_option_get(option: c_int) -> c_long;
}

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (the same position in its v2 and v3
/// headers): how long freed memory waits before it is returned to the operating system
/// (mimalloc 3's default is 1,000 ms; -1 is never).
const PURGE_DELAY: c_int = 15;

/// Keeps memory the process frees for its own later allocations instead of returning it to
/// the operating system after a second. For a batch command whose phases each allocate and free
/// large buffers (entity resolution's blocking allocates and frees tens of megabytes per rule):
/// memory returned to the system comes back as fresh pages the kernel zeroes again. Measured
/// on `muster resolve` of 1M records (BENCHMARKS.md): page faults 21-25k to about 2k, median
/// wall 8.93 s to 8.40 s over 5 alternating runs, peak RSS 623 to 703 MiB. Not for
/// long-running servers, whose peak would then stay resident.
pub fn keep_freed_memory() {
    // SAFETY: mi_option_set takes an option index and a value and only stores the value; an
    // index mimalloc does not know is ignored. Called from the main thread before the work.
    unsafe { mi_option_set(PURGE_DELAY, -1) }
}

/// Returns memory the process frees to the operating system after 100 ms instead of a second.
/// For a scan under `--memory-limit`, where the budget is resident memory: freed pages that
/// wait count against it while the next step allocates. Measured on a 10,000-person scan with
/// 512 MiB (BENCHMARKS.md, one run each): peak RSS 1,025 MiB with the default delay in 54.4 s,
/// 716 MiB with 100 ms in 55.4 s, 633 MiB with none in 61.5 s (each free page returned
/// at once is faulted in again).
pub fn return_freed_memory_soon() {
    // SAFETY: as in `keep_freed_memory`.
    unsafe { mi_option_set(PURGE_DELAY, SOON_MS) }
}

/// The purge delay of [`return_freed_memory_soon`], in milliseconds.
const SOON_MS: c_long = 100;

/// The current purge delay (for the test).
#[cfg(test)]
fn purge_delay() -> c_long {
    // SAFETY: reads one option; no other effect.
    unsafe { mi_option_get(PURGE_DELAY) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // mimalloc 3's default purge delay is 1,000 ms (its options.c), unless the environment
        // sets one; no neighbouring option defaults to 1,000
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(
                purge_delay(),
                1000,
                "option {PURGE_DELAY} is not the purge delay"
            );
        }
        keep_freed_memory();
        assert_eq!(purge_delay(), -1);
        return_freed_memory_soon();
        assert_eq!(purge_delay(), SOON_MS);
    }
}

import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Faults in the pages of a freshly reserved large matrix on another thread, so the kernel's work of
/// handing out zeroed pages overlaps with whatever fills the matrix (a start-up load reading SQLite)
/// instead of stalling each first write. On the 2-core VM of `bench/vector`, faulting 1.5 GB costs
/// 1–4 s of kernel time, most of a 1M-row start-up.
///
/// `MADV_POPULATE_WRITE` (Linux 5.14+) maps the pages writable without changing their contents, so it
/// is safe while the owner is already writing rows into the same memory, and harmless if the buffer
/// has been freed meanwhile (the call fails, or maps pages of whatever reused the range). A hint only:
/// on older kernels or other systems nothing happens. Transparent huge pages are not requested: in
/// that VM faulting 1.5 GB with `MADV_HUGEPAGE` took 3.3–5.8 s against 1.2 s on 4 KiB pages, and
/// scanning was not measurably faster.
enum PagePrefault {
    /// Buffers smaller than this are left to fault in on first use.
    static let minimumBytes = 8 << 20
    /// Pages populated per call, so a buffer freed meanwhile stops the work early.
    private static let stepBytes = 64 << 20

    /// Starts populating the `capacityBytes` buffer at `start` in the background.
    static func populate(_ start: UnsafeMutableRawPointer, capacityBytes: Int) {
        #if os(Linux)
        guard capacityBytes >= minimumBytes else { return }
        let pageBytes = Int(sysconf(Int32(_SC_PAGESIZE)))
        let address = Int(bitPattern: start)
        let first = (address + pageBytes - 1) / pageBytes * pageBytes
        let end = (address + capacityBytes) / pageBytes * pageBytes
        guard end > first else { return }
        DispatchQueue.global(qos: .utility).async {
            var offset = first
            while offset < end {
                let length = min(stepBytes, end - offset)
                guard let region = UnsafeMutableRawPointer(bitPattern: offset),
                    madvise(region, length, populateWrite) == 0
                else { return }
                offset += length
            }
        }
        #endif
    }

    /// `MADV_POPULATE_WRITE` from `<linux/mman.h>`, which older C libraries do not define.
    private static let populateWrite: Int32 = 23
}

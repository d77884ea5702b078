#if canImport(Glibc)
import Glibc
#endif

/// Asks Linux to back large matrices with transparent huge pages (2 MiB instead of 4 KiB): filling a
/// 1.5 GB matrix then takes hundreds of page faults instead of hundreds of thousands, and scoring it
/// misses the TLB less. A hint only: without THP (or off Linux) nothing changes.
enum HugePages {
    /// Matrices smaller than this stay on normal pages.
    static let minimumBytes = 8 << 20
    private static let hugePageBytes = 2 << 20

    /// Advises the huge-page-aligned part of the `capacityBytes` buffer at `start`.
    static func advise(_ start: UnsafeMutableRawPointer, capacityBytes: Int) {
        #if os(Linux)
        guard capacityBytes >= minimumBytes else { return }
        let address = Int(bitPattern: start)
        let alignedStart = (address + hugePageBytes - 1) / hugePageBytes * hugePageBytes
        let alignedEnd = (address + capacityBytes) / hugePageBytes * hugePageBytes
        guard alignedEnd > alignedStart, let region = UnsafeMutableRawPointer(bitPattern: alignedStart) else { return }
        _ = madvise(region, alignedEnd - alignedStart, MADV_HUGEPAGE)
        #endif
    }
}

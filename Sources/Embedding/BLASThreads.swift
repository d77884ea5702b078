import Foundation

/// Sets how many threads OpenBLAS uses for every BLAS call in the process.
///
/// Calls `openblas_set_num_threads`, looked up with `dlsym` because the package links the generic
/// `libblas` (Debian's alternatives point `libblas.so.3` at OpenBLAS, whose `libopenblas.so.0`
/// exports it). When the BLAS in use is not OpenBLAS there is nothing to set: the reference BLAS is
/// single-threaded, and `OPENBLAS_NUM_THREADS` would only work if set before the process starts.
enum BLASThreads {
    private typealias SetThreads = @convention(c) (Int32) -> Void

    /// Returns whether the thread count could be set.
    @discardableResult
    static func set(_ count: Int) -> Bool {
        guard count > 0, let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "openblas_set_num_threads") else {
            return false
        }
        unsafeBitCast(symbol, to: SetThreads.self)(Int32(count))
        return true
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The number of threads BLAS uses for one call. The setting is process-wide: it applies to every
/// ``VectorIndex`` and to every other BLAS user in the process (the embedder too).
public enum BLASThreads {
    /// Sets the thread count of OpenBLAS (found at run time, since `libblas.so.3` may be OpenBLAS or
    /// the single-threaded reference BLAS). Returns `false` when the BLAS in use is not OpenBLAS.
    /// The environment variable `OPENBLAS_NUM_THREADS` sets the same thing at start-up.
    @discardableResult
    public static func set(_ count: Int) -> Bool {
        typealias SetThreads = @convention(c) (Int32) -> Void
        guard let symbol = openBLASSymbol("openblas_set_num_threads") else { return false }
        unsafeBitCast(symbol, to: SetThreads.self)(Int32(clamping: max(1, count)))
        return true
    }

    /// The thread count OpenBLAS currently uses, or `nil` when the BLAS in use is not OpenBLAS.
    /// Read on the search path (once per block of rows), so the symbol is looked up once per process.
    public static var current: Int? {
        typealias GetThreads = @convention(c) () -> Int32
        guard let address = getThreadsAddress, let symbol = UnsafeRawPointer(bitPattern: address) else { return nil }
        return Int(unsafeBitCast(symbol, to: GetThreads.self)())
    }

    /// `openblas_get_num_threads`'s address (an integer, so the constant is `Sendable`), or nil.
    private static let getThreadsAddress: UInt? = openBLASSymbol("openblas_get_num_threads").map { UInt(bitPattern: $0) }

    private static func openBLASSymbol(_ name: String) -> UnsafeMutableRawPointer? {
        guard let process = dlopen(nil, RTLD_NOW) else { return nil }
        defer { dlclose(process) }
        return dlsym(process, name)
    }
}

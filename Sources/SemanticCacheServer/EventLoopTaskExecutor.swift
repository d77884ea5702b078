import NIOCore

/// Runs a request's Swift task on its connection's event loop: the pipeline's work, its awaits on
/// channel writes and the writes themselves then stay on one thread instead of hopping between the
/// event loop and Swift's global pool (two thread switches per request on a hit).
final class EventLoopTaskExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

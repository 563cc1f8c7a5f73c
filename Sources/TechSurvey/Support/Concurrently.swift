// Two independent pieces of work at once, for work that waits on the disk while the other needs a core.

import Foundation

/// Runs `background` on a thread of its own while `foreground` runs here; returns when both are done and
/// throws the first error (the foreground's when both failed).
func concurrently(_ foreground: () throws -> Void, _ background: @escaping @Sendable () throws -> Void) throws {
    let done = DispatchSemaphore(value: 0)
    let failure = FailureBox()
    // The thread's block lives on after the thread is done, and with it whatever `background` holds: the
    // box lets go of it before `done` is signalled, so a file it holds open (a stage file's temporary) is
    // closed and removed before this returns, not some time later on the finished thread.
    let job = JobBox(background)
    let thread = Thread {
        do { try job.run() } catch { failure.set(error) }
        job.release()
        done.signal()
    }
    thread.start()
    let foregroundError: Error?
    do {
        try foreground()
        foregroundError = nil
    } catch {
        foregroundError = error
    }
    done.wait()
    if let foregroundError { throw foregroundError }
    if let error = failure.error { throw error }
}

/// The background's error, handed across threads under a lock.
private final class FailureBox: @unchecked Sendable {
    // `stored` is touched only with `lock` held: that makes it Sendable.
    private let lock = NSLock()
    private var stored: Error?

    func set(_ error: Error) {
        lock.lock()
        stored = error
        lock.unlock()
    }

    var error: Error? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// The background work, dropped once it has run; touched by the background thread only.
private final class JobBox: @unchecked Sendable {
    private var work: (@Sendable () throws -> Void)?
    init(_ work: @escaping @Sendable () throws -> Void) { self.work = work }
    func run() throws { try work?() }
    func release() { work = nil }
}

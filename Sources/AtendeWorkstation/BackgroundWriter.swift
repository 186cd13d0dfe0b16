import Dispatch
import Synchronization

/// Runs one write at a time on a background thread while the caller prepares the next, so an
/// import parses a batch on one core while the store writes the batch before on the other.
///
/// A write's error comes out of the next `submit` or of `finish`. For example:
/// ```swift
/// let writer = BackgroundWriter(label: "atende.import")
/// defer { writer.wait() }
/// for batch in batches { try writer.submit { try store.contacts.addAll(batch) } }
/// try writer.finish()
/// ```
final class BackgroundWriter: Sendable {
    private let queue: DispatchQueue
    private let failure = Mutex<(any Error)?>(nil)

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Waits for the write in progress, then starts `write`; throws the error of an earlier write.
    func submit(_ write: @escaping @Sendable () throws -> Void) throws {
        try finish()
        queue.async {
            do {
                try write()
            } catch {
                self.failure.withLock { $0 = error }
            }
        }
    }

    /// Waits for the write in progress; throws the error of an earlier write.
    func finish() throws {
        wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Waits for the write in progress.
    func wait() {
        queue.sync {}
    }
}

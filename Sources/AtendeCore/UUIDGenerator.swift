public import Foundation
import Synchronization
import Glibc
import Crypto

/// Random (version 4) UUIDs taken from the system's random source 256 at a time.
///
/// `UUID()` costs three system calls on Linux (it opens, reads and closes `/dev/urandom` for
/// each value), which dominated bulk writes such as imports. For example:
/// ```swift
/// var ids = UUIDGenerator()
/// let contacts = names.map { Contact(id: ids.next(), name: $0) }
/// ```
public struct UUIDGenerator {
    private static let batch = 256
    private var bytes = [UInt8](repeating: 0, count: 16 * UUIDGenerator.batch)
    private var used = UUIDGenerator.batch

    public init() {}

    public mutating func next() -> UUID {
        if used == Self.batch {
            bytes.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
            used = 0
        }
        let o = 16 * used
        used += 1
        return UUID(uuid: (
            bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3], bytes[o + 4], bytes[o + 5],
            bytes[o + 6] & 0x0F | 0x40,  // version 4
            bytes[o + 7],
            bytes[o + 8] & 0x3F | 0x80,  // RFC 4122 variant
            bytes[o + 9], bytes[o + 10], bytes[o + 11], bytes[o + 12], bytes[o + 13], bytes[o + 14], bytes[o + 15]))
    }
}

extension UUID {
    /// A random (version 4) UUID from one generator shared by the process: `UUID()` without its
    /// three system calls, for ids made on every call, qualification and outbox entry.
    public static func random() -> UUID {
        sharedGenerator.withLock { $0.next() }
    }
}

private let sharedGenerator = Mutex(UUIDGenerator())

extension UUID {
    /// The same UUID for the same `name`, everywhere (the first 16 bytes of its SHA-256, marked
    /// version 8): the id of a record two sides write independently, such as an attendance the
    /// switch's host and the agent's workstation both record for one call.
    public init(derivedFrom name: String) {
        let d = Array(SHA256.hash(data: Data(name.utf8)))
        self.init(uuid: (
            d[0], d[1], d[2], d[3], d[4], d[5],
            d[6] & 0x0F | 0x80,  // version 8
            d[7],
            d[8] & 0x3F | 0x80,  // RFC 4122 variant
            d[9], d[10], d[11], d[12], d[13], d[14], d[15]))
    }
}

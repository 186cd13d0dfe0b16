/// One line of output being built byte by byte — a CSV record, a JSON object — with cheap
/// appends: unlike `[UInt8]`, no copy-on-write check on every byte. Reused line after line,
/// it allocates only when a line outgrows every earlier one.
///
/// For example:
/// ```swift
/// var line = ByteLine()
/// line.append(contentsOf: Array("42,".utf8))
/// line.append(UInt8(ascii: "\n"))
/// try line.withUnsafeBytes { try writer.write($0) }
/// line.removeAll()
/// ```
public struct ByteLine: ~Copyable {
    @usableFromInline var storage: UnsafeMutableBufferPointer<UInt8>
    @usableFromInline var used = 0

    public init(capacity: Int = 256) {
        storage = .allocate(capacity: max(capacity, 16))
    }

    deinit {
        storage.deallocate()
    }

    /// The number of bytes in the line.
    public var count: Int { used }

    /// Appends one byte.
    @inlinable
    public mutating func append(_ byte: UInt8) {
        if used == storage.count { grow(toHold: used + 1) }
        storage[used] = byte
        used += 1
    }

    /// Appends bytes.
    @inlinable
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if used + bytes.count > storage.count { grow(toHold: used + bytes.count) }
        (storage.baseAddress! + used).update(from: source, count: bytes.count)
        used += bytes.count
    }

    /// Appends bytes.
    @inlinable
    public mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Empties the line, keeping its memory for the next one.
    public mutating func removeAll() {
        used = 0
    }

    /// Lends `body` the bytes of the line.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.baseAddress, count: used))
    }

    @usableFromInline
    mutating func grow(toHold count: Int) {
        let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(count, storage.count * 2))
        larger.baseAddress!.update(from: storage.baseAddress!, count: used)
        storage.deallocate()
        storage = larger
    }
}

/// Incremental decoder: bytes may arrive split anywhere, several frames may arrive at once.
///
/// Each byte is looked at once and at most `maxFrameLength` bytes are kept, so memory is bounded
/// and time is linear whatever arrives. The items produced do not depend on how the bytes are split.
/// After `.frameTooLong` the rest of that frame is skipped silently up to its ETX or the next STX.
/// A run of bytes outside frames is reported when it ends (at the next STX or in `finish()`).
public struct FrameDecoder: Sendable {
    private enum State: Sendable { case outside, inFrame, discarding }

    /// The limits this decoder enforces.
    public let limits: FrameLimits
    private var state = State.outside
    private var buffer: [UInt8] = []
    private var frameLength = 0
    private var tainted = false
    private var garbage = 0

    /// Creates a decoder waiting for an STX.
    public init(limits: FrameLimits = .init()) {
        self.limits = limits
        buffer.reserveCapacity(max(0, limits.maxFrameLength))
    }

    /// Bytes currently held for an incomplete frame; never more than `maxFrameLength`.
    public var bufferedByteCount: Int { buffer.count }

    /// Consumes `bytes` and returns the frames and rejections they complete, in order.
    public mutating func feed<S: Sequence>(_ bytes: S) -> [DecodedItem] where S.Element == UInt8 {
        var items: [DecodedItem] = []
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            feedContiguous(buffer, into: &items)
        }
        if done == nil {
            for byte in bytes { step(byte, into: &items) }
        }
        return items
    }

    /// Ends the stream: reports a pending garbage run or an unterminated frame, then resets.
    public mutating func finish() -> [DecodedItem] {
        var items: [DecodedItem] = []
        switch state {
        case .outside: flushGarbage(into: &items)
        case .inFrame: items.append(.rejected(.unterminatedFrame(length: frameLength)))
        case .discarding: break
        }
        state = .outside
        resetFrame()
        return items
    }

    private mutating func feedContiguous(_ bytes: UnsafeBufferPointer<UInt8>, into items: inout [DecodedItem]) {
        for byte in bytes { step(byte, into: &items) }
    }

    private mutating func step(_ byte: UInt8, into items: inout [DecodedItem]) {
        switch state {
        case .outside:
            if byte == FrameByte.stx {
                flushGarbage(into: &items)
                startFrame()
            } else {
                garbage += 1
            }
        case .discarding:
            if byte == FrameByte.stx {
                startFrame()
            } else if byte == FrameByte.etx {
                state = .outside
            }
        case .inFrame:
            inFrame(byte, into: &items)
        }
    }

    private mutating func inFrame(_ byte: UInt8, into items: inout [DecodedItem]) {
        if byte == FrameByte.stx {
            items.append(.rejected(.unterminatedFrame(length: frameLength)))
            startFrame()
        } else if byte == FrameByte.etx {
            items.append(completeFrame())
            state = .outside
            resetFrame()
        } else {
            frameLength += 1
            if frameLength > limits.maxFrameLength {
                items.append(.rejected(.frameTooLong(length: frameLength)))
                state = .discarding
                resetFrame()
            } else if byte < 0x20 || byte >= 0x7F {
                tainted = true
                buffer.removeAll(keepingCapacity: true)
            } else if !tainted {
                buffer.append(byte)
            }
        }
    }

    private func completeFrame() -> DecodedItem {
        if tainted { return .rejected(.nonASCII) }
        if frameLength == 0 { return .rejected(.emptyFrame) }
        let parts = buffer.split(separator: FrameByte.separator, omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() where part.count > limits.maxFieldLength {
            return .rejected(.fieldTooLong(index: index, length: part.count))
        }
        return .frame(parts.map { String(decoding: $0, as: UTF8.self) })
    }

    private mutating func flushGarbage(into items: inout [DecodedItem]) {
        if garbage > 0 { items.append(.rejected(.bytesOutsideFrame(count: garbage))) }
        garbage = 0
    }

    private mutating func startFrame() {
        state = .inFrame
        resetFrame()
    }

    private mutating func resetFrame() {
        buffer.removeAll(keepingCapacity: true)
        frameLength = 0
        tainted = false
    }
}

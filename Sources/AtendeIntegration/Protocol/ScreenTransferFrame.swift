/// The framing bytes of the Annex I screen-transfer protocol (7.1).
public enum FrameByte {
    /// Start of frame.
    public static let stx: UInt8 = 0x02
    /// End of frame.
    public static let etx: UInt8 = 0x03
    /// Field separator.
    public static let separator = UInt8(ascii: ";")
}

/// Size limits applied while decoding frames.
public struct FrameLimits: Sendable, Equatable {
    /// Longest accepted field, in bytes (Annex I: 30 characters).
    public var maxFieldLength: Int
    /// Longest accepted frame, in bytes between STX and ETX.
    public var maxFrameLength: Int

    /// Creates limits; the defaults follow Annex I.
    public init(maxFieldLength: Int = 30, maxFrameLength: Int = 256) {
        self.maxFieldLength = maxFieldLength
        self.maxFrameLength = maxFrameLength
    }
}

/// Why bytes from the wire did not become a frame.
public enum FrameRejection: Sendable, Equatable {
    /// A run of bytes outside any frame (before an STX, or a stray ETX); reported once per run.
    case bytesOutsideFrame(count: Int)
    /// Field `index` (0-based) is `length` bytes, over `maxFieldLength`.
    case fieldTooLong(index: Int, length: Int)
    /// No ETX within `maxFrameLength`; `length` is the bytes seen when giving up (`maxFrameLength + 1`).
    case frameTooLong(length: Int)
    /// A byte ≥ 0x80, or a control byte other than STX/ETX, inside a frame.
    case nonASCII
    /// STX ETX with nothing inside.
    case emptyFrame
    /// A frame cut short by a new STX or by the end of the connection; `length` bytes were inside.
    case unterminatedFrame(length: Int)
}

/// One result of decoding: a frame's fields or a rejection.
public enum DecodedItem: Sendable, Equatable {
    /// The fields of a well-formed frame (ASCII, each at most `maxFieldLength`).
    case frame([String])
    /// Bytes that were dropped, and why.
    case rejected(FrameRejection)
}

/// Writes frames: STX, the fields joined by ";", ETX.
public enum FrameEncoder {
    /// Encodes `fields` as one frame; fields are written as given (callers keep them ASCII without ";").
    public static func encode(_ fields: [String]) -> [UInt8] {
        var bytes: [UInt8] = [FrameByte.stx]
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(FrameByte.separator) }
            bytes.append(contentsOf: field.utf8)
        }
        bytes.append(FrameByte.etx)
        return bytes
    }
}

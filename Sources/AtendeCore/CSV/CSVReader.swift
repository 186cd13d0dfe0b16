public import Foundation
import Glibc

/// One record read from a CSV input.
public struct CSVRecord: Sendable, Equatable {
    public let fields: [String]
    /// The 1-based physical line where the record starts.
    public let line: Int

    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }
}

/// A malformed record; the reader can go on with the records after it.
public struct CSVError: Error, Equatable, Sendable {
    /// What is wrong with the record.
    public enum Kind: Sendable, Equatable {
        /// A quoted field still open at the end of the input.
        case unterminatedQuote
        /// A quote inside an unquoted field, or anything but a delimiter or newline after a closing quote.
        case quoteInUnquotedField
        /// A field whose bytes are not valid UTF-8.
        case invalidUTF8
    }

    public let kind: Kind
    /// The 1-based physical line where the record starts.
    public let line: Int

    public init(kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }
}

/// Streams RFC 4180 records from a file or from memory, holding one chunk of input at a time.
///
/// Accepts CRLF, LF and CR line ends, skips a leading UTF-8 BOM and blank lines, and keeps
/// newlines inside quoted fields as they are. After a malformed record `next()` throws a
/// `CSVError` and the following call resumes on the next line.
public final class CSVReader {
    /// The field separator.
    public let delimiter: UInt8
    /// Size of the input in bytes, for progress; 0 when unknown (the input is not a regular file).
    public let fileSize: Int
    /// Bytes of input consumed so far, for progress.
    public var bytesRead: Int { chunkStart + chunkPos }

    private let source: any ByteSource
    private var parser: CSVParser
    private var chunk: [UInt8]
    private var chunkPos = 0
    private var chunkEnd = 0
    private var chunkStart = 0
    private var bomMatched = 0
    private var bomChecked = false
    private var finished = false

    /// Opens the file at `url` for reading in chunks of `chunkSize` bytes.
    public convenience init(
        url: URL, delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = 64 * 1024
    ) throws(FileIOError) {
        let file = try FileSource(url: url)
        self.init(source: file, fileSize: file.size ?? 0, delimiter: delimiter, chunkSize: chunkSize)
    }

    /// Reads in-memory `data`, handing it to the parser `chunkSize` bytes at a time.
    public convenience init(data: Data, delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = 64 * 1024) {
        self.init(source: DataSource(data), fileSize: data.count, delimiter: delimiter, chunkSize: chunkSize)
    }

    private init(source: any ByteSource, fileSize: Int, delimiter: UInt8, chunkSize: Int) {
        precondition(chunkSize > 0, "CSVReader needs a positive chunk size")
        precondition(
            delimiter < 0x80 && ![CSVByte.quote, CSVByte.cr, CSVByte.lf].contains(delimiter),
            "CSV delimiter must be ASCII and not a quote or newline")
        self.source = source
        self.fileSize = fileSize
        self.delimiter = delimiter
        self.parser = CSVParser(delimiter: delimiter)
        self.chunk = [UInt8](repeating: 0, count: chunkSize)
    }

    /// The next record, `nil` at the end of the input.
    ///
    /// Throws `CSVError` for a malformed record (the next call continues after it)
    /// and `FileIOError` when reading fails (the next call returns `nil`).
    public func next() throws -> CSVRecord? {
        while !finished {
            if chunkPos == chunkEnd, try !refill() {
                return try finishInput()
            }
            if !bomChecked {
                let byte = chunk[chunkPos]
                chunkPos += 1
                if !skipsAsBOM(byte), let outcome = parser.consume(byte) {
                    return try outcome.get()
                }
                continue
            }
            let (end, outcome) = chunk.withUnsafeBufferPointer { bytes in
                parser.consume(bytes[chunkPos..<chunkEnd])
            }
            chunkPos = end
            if let outcome {
                return try outcome.get()
            }
        }
        return nil
    }

    /// Picks `;` or `,` for the file at `url`, whichever occurs more often outside quotes
    /// on its first line; `,` on a tie.
    public static func sniffDelimiter(url: URL) throws(FileIOError) -> UInt8 {
        sniffDelimiter(in: try head(url: url))
    }

    /// How many bytes `head(url:)` reads.
    public static let headLength = 64 * 1024

    /// The first `headLength` bytes of the file at `url` (all of a smaller file).
    public static func head(url: URL) throws(FileIOError) -> [UInt8] {
        let file = try FileSource(url: url)
        var head = [UInt8](repeating: 0, count: headLength)
        var filled = 0
        while filled < head.count {
            let n = try head.withUnsafeMutableBytes { buffer in
                Result { () throws(FileIOError) in
                    try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                }
            }.get()
            if n == 0 { break }
            filled += n
        }
        return Array(head[..<filled])
    }

    /// Whether the start of a file reads as UTF-8 text: no UTF-16 byte-order mark, no NUL
    /// (UTF-16 without a mark), every sequence valid (Latin-1 and Windows-1252 accents are not).
    /// A sequence cut by the end of `bytes` is allowed unless `complete` (the whole file).
    public static func looksLikeUTF8(_ bytes: [UInt8], complete: Bool) -> Bool {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.contains(0) { return false }
        var end = bytes.count
        if !complete {
            // Back off to the start of the last sequence, if it might be cut short.
            var i = end
            while i > 0, i > end - 4, bytes[i - 1] & 0xC0 == 0x80 { i -= 1 }
            if i > 0, bytes[i - 1] >= 0xC0 { end = i - 1 }
        }
        return String(validating: bytes[..<end], as: UTF8.self) != nil
    }

    /// Picks `;` or `,` from the first line of `bytes`, as `sniffDelimiter(url:)` does.
    public static func sniffDelimiter(in bytes: some Sequence<UInt8>) -> UInt8 {
        var commas = 0
        var semicolons = 0
        var inQuotes = false
        for byte in bytes {
            switch byte {
            case CSVByte.quote:
                inQuotes.toggle()
            case CSVByte.cr where !inQuotes, CSVByte.lf where !inQuotes:
                return semicolons > commas ? CSVByte.semicolon : CSVByte.comma
            case CSVByte.comma where !inQuotes:
                commas += 1
            case CSVByte.semicolon where !inQuotes:
                semicolons += 1
            default:
                break
            }
        }
        return semicolons > commas ? CSVByte.semicolon : CSVByte.comma
    }

    private func refill() throws -> Bool {
        chunkStart += chunkEnd
        chunkPos = 0
        chunkEnd = 0
        do {
            chunkEnd = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
        } catch {
            finished = true
            throw error
        }
        return chunkEnd > 0
    }

    /// Matches the input's first bytes against the UTF-8 BOM; on a mismatch the bytes
    /// held back so far go to the parser (they cannot complete a record).
    private func skipsAsBOM(_ byte: UInt8) -> Bool {
        if byte == Self.bom[bomMatched] {
            bomMatched += 1
            bomChecked = bomMatched == Self.bom.count
            return true
        }
        releaseHeldBOMBytes()
        return false
    }

    private func releaseHeldBOMBytes() {
        bomChecked = true
        for byte in Self.bom[..<bomMatched] {
            _ = parser.consume(byte)
        }
    }

    private func finishInput() throws -> CSVRecord? {
        finished = true
        if !bomChecked {
            releaseHeldBOMBytes()
        }
        return try parser.finish()?.get()
    }

    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
}

extension CSVReader: Sequence {
    /// Yields each record, or the error for a malformed one, until the input ends or a read fails.
    public struct Iterator: IteratorProtocol {
        let reader: CSVReader

        public mutating func next() -> Result<CSVRecord, any Error>? {
            do {
                return try reader.next().map { .success($0) }
            } catch {
                return .failure(error)
            }
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(reader: self)
    }
}

/// The RFC 4180 state machine, fed one byte at a time.
private struct CSVParser {
    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted, skippingLine
    }

    let delimiter: UInt8
    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var recordStarted = false
    private var recordLine = 1
    private var invalidUTF8 = false
    private var pendingError = CSVError.Kind.quoteInUnquotedField
    private var line = 1
    private var previousWasCR = false

    init(delimiter: UInt8) {
        self.delimiter = delimiter
    }

    /// Feeds bytes until one completes a record or error; returns the index after that byte
    /// (or the end of `bytes`) and the outcome, if any.
    mutating func consume(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> (Int, Result<CSVRecord, CSVError>?) {
        for index in bytes.indices {
            if let outcome = consume(bytes[index]) {
                return (index + 1, outcome)
            }
        }
        return (bytes.endIndex, nil)
    }

    /// Feeds one byte; returns a record or error when this byte completes one.
    mutating func consume(_ byte: UInt8) -> Result<CSVRecord, CSVError>? {
        let outcome = step(byte)
        if byte == CSVByte.lf {
            if !previousWasCR { line += 1 }
            previousWasCR = false
        } else {
            if byte == CSVByte.cr { line += 1 }
            previousWasCR = byte == CSVByte.cr
        }
        return outcome
    }

    /// Completes whatever record is open at the end of the input.
    mutating func finish() -> Result<CSVRecord, CSVError>? {
        switch state {
        case .skippingLine:
            return failure(pendingError)
        case .quoted:
            return failure(.unterminatedQuote)
        case .fieldStart where !recordStarted:
            return nil
        case .fieldStart, .unquoted, .quoteInQuoted:
            endField()
            return emit()
        }
    }

    private mutating func step(_ byte: UInt8) -> Result<CSVRecord, CSVError>? {
        let isNewline = byte == CSVByte.cr || byte == CSVByte.lf
        switch state {
        case .fieldStart:
            if isNewline {
                guard recordStarted else { return nil }
                endField()
                return emit()
            }
            startRecord()
            if byte == CSVByte.quote {
                state = .quoted
            } else if byte == delimiter {
                endField()
            } else {
                field.append(byte)
                state = .unquoted
            }
        case .unquoted:
            if byte == delimiter {
                endField()
                state = .fieldStart
            } else if isNewline {
                endField()
                return emit()
            } else if byte == CSVByte.quote {
                skipLine(after: .quoteInUnquotedField)
            } else {
                field.append(byte)
            }
        case .quoted:
            if byte == CSVByte.quote {
                state = .quoteInQuoted
            } else {
                field.append(byte)
            }
        case .quoteInQuoted:
            if byte == CSVByte.quote {
                field.append(byte)
                state = .quoted
            } else if byte == delimiter {
                endField()
                state = .fieldStart
            } else if isNewline {
                endField()
                return emit()
            } else {
                skipLine(after: .quoteInUnquotedField)
            }
        case .skippingLine:
            if isNewline {
                return failure(pendingError)
            }
        }
        return nil
    }

    private mutating func startRecord() {
        if !recordStarted {
            recordStarted = true
            recordLine = line
        }
    }

    private mutating func endField() {
        // Fast path for ASCII fields; String(validating:) runs through slower generic code.
        if field.allSatisfy({ $0 < 0x80 }) {
            fields.append(String(decoding: field, as: UTF8.self))
        } else if let text = String(validating: field, as: UTF8.self) {
            fields.append(text)
        } else {
            invalidUTF8 = true
            fields.append("")
        }
        field.removeAll(keepingCapacity: true)
    }

    private mutating func skipLine(after kind: CSVError.Kind) {
        pendingError = kind
        state = .skippingLine
    }

    private mutating func emit() -> Result<CSVRecord, CSVError> {
        if invalidUTF8 {
            return failure(.invalidUTF8)
        }
        let record = CSVRecord(fields: fields, line: recordLine)
        reset()
        return .success(record)
    }

    private mutating func failure(_ kind: CSVError.Kind) -> Result<CSVRecord, CSVError> {
        let error = CSVError(kind: kind, line: recordLine)
        reset()
        return .failure(error)
    }

    private mutating func reset() {
        state = .fieldStart
        field.removeAll(keepingCapacity: true)
        fields = []
        recordStarted = false
        invalidUTF8 = false
    }
}

/// Where the reader's bytes come from.
private protocol ByteSource: AnyObject {
    /// Fills the start of `buffer`; returns the byte count, 0 at the end of the input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileIOError) -> Int
}

/// A file read with read(2); the descriptor closes with the object.
private final class FileSource: ByteSource {
    let path: String
    /// The file size, or `nil` when it is not a regular file.
    let size: Int?
    private let fd: Int32

    init(url: URL) throws(FileIOError) {
        path = url.path(percentEncoded: false)
        fd = url.withUnsafeFileSystemRepresentation { name in
            guard let name else { return -1 }
            return open(name, O_RDONLY | O_CLOEXEC)
        }
        if fd < 0 {
            throw FileIOError(operation: .open, path: path, code: errno)
        }
        var info = stat()
        if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
            size = Int(info.st_size)
        } else {
            size = nil
        }
    }

    deinit {
        close(fd)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileIOError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR {
                throw FileIOError(operation: .read, path: path, code: errno)
            }
        }
    }
}

/// In-memory bytes, handed out in order.
private final class DataSource: ByteSource {
    private let data: Data
    private var offset = 0

    init(_ data: Data) {
        self.data = data
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, data.count - offset)
        guard count > 0 else { return 0 }
        let start = data.startIndex + offset
        data.copyBytes(to: buffer, from: start..<start + count)
        offset += count
        return count
    }
}

import Glibc

/// A failed system call on a file, with the path and the errno text.
public struct FileIOError: Error, Equatable, Sendable {
    /// The operation that failed.
    public enum Operation: String, Sendable, Equatable {
        case open, read, write, sync, close, rename
    }

    public let operation: Operation
    public let path: String
    /// The errno value.
    public let code: Int32
    /// The system's text for `code` (strerror).
    public let reason: String

    public init(operation: Operation, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
        self.reason = String(cString: strerror(code))
    }
}

/// Buffered output to a file descriptor: bytes collect in a fixed buffer and reach
/// the system only when it is full, on `flush()` or on `close()`.
public final class BufferedFileWriter {
    /// The buffer size used when none is given (256 KiB).
    public static let defaultCapacity = 256 * 1024
    /// The name used for standard output in errors.
    public static let standardOutputPath = "<stdout>"

    /// The file's path, or `standardOutputPath`.
    public let path: String
    /// Bytes accepted so far, buffered or not.
    public private(set) var bytesWritten = 0

    private var fd: Int32
    private let ownsDescriptor: Bool
    /// With ``replacing(_:capacity:)``: the temporary file renamed over `path` by `close()`.
    private var temporaryPath: String?
    private let buffer: UnsafeMutableRawBufferPointer
    private var used = 0

    /// Creates or truncates the file at `path`, readable by its owner only (0600).
    public convenience init(path: String, capacity: Int = BufferedFileWriter.defaultCapacity) throws(FileIOError) {
        let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if fd < 0 {
            throw FileIOError(operation: .open, path: path, code: errno)
        }
        self.init(fileDescriptor: fd, path: path, ownsDescriptor: true, capacity: capacity)
    }

    /// A new file that takes the place of `path` only when `close()` succeeds: written to a fresh
    /// temporary file beside it (0600, created exclusively), then renamed over it. A `path` that
    /// is a symbolic link is refused (``AtendeError/refusedSymlink(_:)``): nothing is written
    /// through it, so an export cannot overwrite the file a link points at.
    public static func replacing(_ path: String, capacity: Int = BufferedFileWriter.defaultCapacity) throws -> BufferedFileWriter {
        var info = stat()
        if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK { throw AtendeError.refusedSymlink(path) }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        for _ in 0..<16 {
            let temporary = folder + "." + name + ".tmp-" + String(UInt32.random(in: .min ... .max), radix: 16)
            let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if fd < 0 {
                if errno == EEXIST { continue }
                throw FileIOError(operation: .open, path: path, code: errno)
            }
            let writer = BufferedFileWriter(fileDescriptor: fd, path: path, ownsDescriptor: true, capacity: capacity)
            writer.temporaryPath = temporary
            return writer
        }
        throw FileIOError(operation: .open, path: path, code: EEXIST)
    }

    /// A writer on standard output (fd 1), which `close()` flushes but neither syncs nor closes.
    public static func standardOutput(capacity: Int = BufferedFileWriter.defaultCapacity) -> BufferedFileWriter {
        BufferedFileWriter(
            fileDescriptor: STDOUT_FILENO, path: standardOutputPath, ownsDescriptor: false, capacity: capacity)
    }

    private init(fileDescriptor: Int32, path: String, ownsDescriptor: Bool, capacity: Int) {
        precondition(capacity > 0, "BufferedFileWriter needs a positive capacity")
        self.fd = fileDescriptor
        self.path = path
        self.ownsDescriptor = ownsDescriptor
        self.buffer = .allocate(byteCount: capacity, alignment: 1)
    }

    deinit {
        if fd >= 0 {
            try? flush()
            if ownsDescriptor {
                Glibc.close(fd)
            }
        }
        // Never closed (a failed export): the half-written temporary file goes, the target stays.
        if let temporaryPath { unlink(temporaryPath) }
        buffer.deallocate()
    }

    /// Appends raw bytes; a chunk larger than the buffer goes straight to the descriptor.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileIOError) {
        try ensureOpen()
        bytesWritten += bytes.count
        if bytes.count > buffer.count - used {
            try flush()
            if bytes.count >= buffer.count {
                try writeAll(bytes)
                return
            }
        }
        if let base = bytes.baseAddress {
            (buffer.baseAddress! + used).copyMemory(from: base, byteCount: bytes.count)
        }
        used += bytes.count
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws(FileIOError) {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(FileIOError) in try write(buffer) }
        }.get()
    }

    /// Appends the UTF-8 encoding of `string`.
    public func write(_ string: String) throws(FileIOError) {
        var string = string
        try string.withUTF8 { buffer in
            Result { () throws(FileIOError) in try write(UnsafeRawBufferPointer(buffer)) }
        }.get()
    }

    /// Hands the buffered bytes to the system.
    public func flush() throws(FileIOError) {
        try ensureOpen()
        guard used > 0 else { return }
        let pending = UnsafeRawBufferPointer(rebasing: buffer[0..<used])
        used = 0
        try writeAll(pending)
    }

    /// Flushes, then syncs and closes a file; standard output is only flushed. Idempotent.
    ///
    /// The descriptor is released even when flushing fails; the first failure is thrown.
    public func close() throws(FileIOError) {
        guard fd >= 0 else { return }
        var failure: FileIOError?
        do {
            try flush()
        } catch {
            failure = error
        }
        let descriptor = fd
        fd = -1
        guard ownsDescriptor else {
            if let failure { throw failure }
            return
        }
        // Pipes and character devices cannot be synced (EINVAL); that is not a failure.
        if failure == nil, fsync(descriptor) != 0, errno != EINVAL {
            failure = FileIOError(operation: .sync, path: path, code: errno)
        }
        if Glibc.close(descriptor) != 0, failure == nil {
            failure = FileIOError(operation: .close, path: path, code: errno)
        }
        if let temporary = temporaryPath {
            temporaryPath = nil
            if failure == nil, rename(temporary, path) != 0 {
                failure = FileIOError(operation: .rename, path: path, code: errno)
            }
            if failure != nil { unlink(temporary) }
        }
        if let failure { throw failure }
    }

    private func ensureOpen() throws(FileIOError) {
        if fd < 0 {
            throw FileIOError(operation: .write, path: path, code: EBADF)
        }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(FileIOError) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileIOError(operation: .write, path: path, code: errno)
            }
            offset += n
        }
    }
}

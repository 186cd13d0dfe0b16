import Foundation
import Glibc

/// A file's identity and change markers as seen by one poll.
struct TXTStamp: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int
    var isRegular: Bool
}

/// What `stat` said about a path.
enum TXTStatResult {
    case missing
    case found(TXTStamp)
    case failed(Int32)
}

/// Thin POSIX helpers used by the TXT bridge.
enum TXTFileSystem {
    /// Stats `path`, following symbolic links.
    static func examine(_ path: String) -> TXTStatResult {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT || errno == ENOTDIR ? .missing : .failed(errno)
        }
        return .found(TXTStamp(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modifiedSeconds: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec),
            isRegular: (info.st_mode & S_IFMT) == S_IFREG))
    }

    /// Reads at most `limit + 1` bytes so an oversized file can be told apart; errno on failure.
    static func read(_ path: String, limit: Int) -> Result<[UInt8], TXTErrno> {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(TXTErrno(code: errno)) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while bytes.count <= limit {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(TXTErrno(code: errno))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return .success(bytes)
    }

    /// Renames `from` to `to` atomically; nil on success, errno otherwise.
    static func rename(_ from: String, _ to: String) -> Int32? {
        Glibc.rename(from, to) == 0 ? nil : errno
    }

    /// Removes a file; nil on success, errno otherwise.
    static func unlink(_ path: String) -> Int32? {
        Glibc.unlink(path) == 0 ? nil : errno
    }

    /// True when `path` is a symbolic link.
    static func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// True when `path` is a directory (following a symbolic link).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// True when something exists at `path` (without following a final symbolic link).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Writes `bytes` to `folder/name` via a temp file in the same folder, fsync and rename.
    static func writeAtomically(_ bytes: [UInt8], folder: String, name: String) throws(TXTBridgeError) {
        let temp = "\(folder)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // Owner only: the caller's number is customer data (the CRM runs as the same user).
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .io(operation: "open", path: temp, errno: errno) }
        var failure: TXTBridgeError?
        var offset = 0
        while offset < bytes.count, failure == nil {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0, errno != EINTR { failure = .io(operation: "write", path: temp, errno: errno) }
            if n > 0 { offset += n }
        }
        if failure == nil, fsync(fd) != 0 { failure = .io(operation: "fsync", path: temp, errno: errno) }
        if close(fd) != 0, failure == nil { failure = .io(operation: "close", path: temp, errno: errno) }
        let target = "\(folder)/\(name)"
        if failure == nil, let code = rename(temp, target) { failure = .io(operation: "rename", path: target, errno: code) }
        if let failure {
            _ = unlink(temp)
            throw failure
        }
        syncDirectory(folder)
    }

    /// Flushes a directory entry change to disk; best effort.
    static func syncDirectory(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// The short system description of an errno value.
    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// An errno value carried through a `Result`.
struct TXTErrno: Error {
    var code: Int32
}

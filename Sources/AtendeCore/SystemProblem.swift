import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Why the system refused a file or a socket, in words the catalogue can say in each language.
///
/// Built from an `errno`, or from whatever error Foundation threw; the error's own text (English,
/// and Swift's) never reaches the user. For example:
/// ```swift
/// SystemProblem(errno: EADDRINUSE)                 // .addressInUse
/// SystemProblem(CocoaError(.fileWriteNoPermission)) // .permissionDenied
/// ```
public enum SystemProblem: Equatable, Sendable {
    case notFound
    case permissionDenied
    case alreadyExists
    case notADirectory
    case isADirectory
    case noSpace
    case readOnly
    case tooManyOpenFiles
    case symlinkLoop
    case nameTooLong
    /// The port (or address and port) is taken by another program.
    case addressInUse
    /// The address is not one of this machine's.
    case addressNotAvailable
    /// The host name does not resolve to an address.
    case unknownHost
    case ioFailure
    /// Any other errno (0 when the system gave none).
    case other(errno: Int32)

    public init(errno code: Int32) {
        switch code {
        case ENOENT: self = .notFound
        case EACCES, EPERM: self = .permissionDenied
        case EEXIST: self = .alreadyExists
        case ENOTDIR: self = .notADirectory
        case EISDIR: self = .isADirectory
        case ENOSPC, EDQUOT: self = .noSpace
        case EROFS: self = .readOnly
        case EMFILE, ENFILE: self = .tooManyOpenFiles
        case ELOOP: self = .symlinkLoop
        case ENAMETOOLONG: self = .nameTooLong
        case EADDRINUSE: self = .addressInUse
        case EADDRNOTAVAIL: self = .addressNotAvailable
        case EIO: self = .ioFailure
        default: self = .other(errno: code)
        }
    }

    /// The problem behind an error of Foundation (`CocoaError`, `NSError`, `POSIXError`) or a
    /// ``FileIOError``; `.other(errno: 0)` when the error says nothing the system would.
    public init(_ error: any Error) {
        switch error {
        case let e as FileIOError:
            self.init(errno: e.code)
        case let e as POSIXError:
            self.init(errno: e.code.rawValue)
        default:
            let ns = error as NSError
            if ns.domain == NSPOSIXErrorDomain {
                self.init(errno: Int32(ns.code))
            } else if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
                self.init(errno: Int32(underlying.code))
            } else if ns.domain == NSCocoaErrorDomain {
                switch CocoaError.Code(rawValue: ns.code) {
                case .fileNoSuchFile, .fileReadNoSuchFile: self = .notFound
                case .fileReadNoPermission, .fileWriteNoPermission: self = .permissionDenied
                case .fileWriteFileExists: self = .alreadyExists
                case .fileWriteOutOfSpace: self = .noSpace
                case .fileWriteVolumeReadOnly: self = .readOnly
                case .fileReadCorruptFile: self = .ioFailure
                default: self = .other(errno: 0)
                }
            } else {
                self = .other(errno: 0)
            }
        }
    }

    /// Why the folder at `path` could not be made: what `error` says, or else what is in the way
    /// on the path (Foundation on Linux often says only "unknown"). For example:
    /// ```swift
    /// SystemProblem(creatingFolder: "/tmp/a-file/crm", error)   // .notADirectory
    /// ```
    public init(creatingFolder path: String, _ error: any Error) {
        self.init(error)
        guard self == .other(errno: 0) else { return }
        var url = URL(fileURLWithPath: path)
        while url.path != "/" {
            url.deleteLastPathComponent()
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
                if !isFolder.boolValue {
                    self = .notADirectory
                } else if !FileManager.default.isWritableFile(atPath: url.path) {
                    self = .permissionDenied
                }
                return
            }
        }
    }
}

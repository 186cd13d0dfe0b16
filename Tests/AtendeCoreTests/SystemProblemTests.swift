import AtendeCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct SystemProblemTests {
    @Test func errnoAndFoundationErrorsBecomeProblems() {
        #expect(SystemProblem(errno: EADDRINUSE) == .addressInUse)
        #expect(SystemProblem(errno: EADDRNOTAVAIL) == .addressNotAvailable)
        #expect(SystemProblem(errno: ENOSPC) == .noSpace)
        #expect(SystemProblem(errno: 9999) == .other(errno: 9999))
        #expect(SystemProblem(CocoaError(.fileWriteNoPermission)) == .permissionDenied)
        #expect(SystemProblem(CocoaError(.fileReadNoSuchFile)) == .notFound)
        #expect(SystemProblem(NSError(domain: NSPOSIXErrorDomain, code: Int(EROFS))) == .readOnly)
        #expect(SystemProblem(FileIOError(operation: .write, path: "/x", code: EIO)) == .ioFailure)
        // An error that says nothing is not passed off as a disk error.
        #expect(SystemProblem(CocoaError(.fileWriteUnknown)) == .other(errno: 0))
    }

    @Test func aFolderThatCannotBeMadeIsExplainedByWhatIsInTheWay() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("atende-\(UUID().uuidString)")
        try Data("x".utf8).write(to: base)
        defer { try? FileManager.default.removeItem(at: base) }
        let target = base.appendingPathComponent("crm/2050").path
        let error = #expect(throws: (any Error).self) {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        }
        #expect(SystemProblem(creatingFolder: target, error!) == .notADirectory)
    }
}

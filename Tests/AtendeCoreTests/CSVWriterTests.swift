import Foundation
import Testing

@testable import AtendeCore

/// Runs `body` with a fresh directory under the system temp dir, removed afterwards.
private func withScratchDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appending(path: "atende-csv-writer-\(UUID().uuidString)", directoryHint: .isDirectory)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

private func fileSize(_ url: URL) throws -> Int {
    try #require(FileManager.default.attributesOfItem(atPath: url.path(percentEncoded: false))[.size] as? Int)
}

/// CSVWriter: quoting rules and excel mode.
struct CSVWriterTests {
    @Test(arguments: [
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("+5548999990000", "'+5548999990000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("a=b", "a=b"),
    ])
    func excelCellsThatWouldBeFormulasAreNeutralised(field: String, written: String) {
        // OWASP CSV injection: a spreadsheet must show these as text, never run them.
        #expect(CSVWriter(excel: true).encode([field, "x"]) == written + ";x\r\n")
        var line = ByteLine()
        var copy = field
        copy.withUTF8 { CSVWriter(excel: true).appendField($0, to: &line) }
        #expect(line.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == written)
        // A plain CSV keeps the text as it is.
        #expect(!CSVWriter().encode([field]).hasPrefix("'") && !CSVWriter().encode([field]).hasPrefix("\"'"))
    }

    @Test func plainFieldsAreNotQuoted() {
        let line = CSVWriter().encode(["1", "Ana Souza", "São Paulo", "11 9999-0000"])
        #expect(line == "1,Ana Souza,São Paulo,11 9999-0000\r\n")
    }

    @Test(arguments: [
        ("a,b", "\"a,b\""),
        ("diz \"oi\"", "\"diz \"\"oi\"\"\""),
        ("\"", "\"\"\"\""),
        ("l1\nl2", "\"l1\nl2\""),
        ("l1\r\nl2", "\"l1\r\nl2\""),
        ("fim\r", "\"fim\r\""),
        (" inicial", "\" inicial\""),
        ("final ", "\"final \""),
        ("\ttab", "\"\ttab\""),
        ("meio com espaço", "meio com espaço"),
        ("a;b", "a;b"),
        ("Conceição", "Conceição"),
        ("\"\u{301}", "\"\"\"\u{301}\""),
    ])
    func quotesOnlyWhenNeeded(field: String, encoded: String) {
        #expect(CSVWriter().encode(["x", field, "y"]) == "x,\(encoded),y\r\n")
        // A field appended as bytes is quoted the same way.
        var line = ByteLine()
        var field = field
        field.withUTF8 { CSVWriter().appendField($0, to: &line) }
        #expect(line.withUnsafeBytes { Array($0) } == Array(encoded.utf8))
    }

    @Test func emptyFieldsAndRecords() {
        let writer = CSVWriter()
        #expect(writer.encode([""]) == "\"\"\r\n")
        #expect(writer.encode(["", ""]) == ",\r\n")
        #expect(writer.encode(["a", "", "b"]) == "a,,b\r\n")
        #expect(writer.encode([]) == "\r\n")
    }

    @Test func customDelimiter() {
        let writer = CSVWriter(delimiter: "\t")
        #expect(writer.delimiter == "\t")
        #expect(writer.encode(["a,b", "c\td", "e"]) == "a,b\t\"c\td\"\te\r\n")
    }

    @Test func appendedFieldsFollowTheDelimiter() {
        var line = ByteLine()
        var field = "a;b,c"
        field.withUTF8 { CSVWriter(excel: true).appendField($0, to: &line) }
        field.withUTF8 { CSVWriter().appendField($0, to: &line) }
        #expect(line.withUnsafeBytes { Array($0) } == Array("\"a;b,c\"\"a;b,c\"".utf8))
    }

    @Test func excelModeUsesSemicolonAndBOM() {
        let writer = CSVWriter(excel: true)
        #expect(writer.delimiter == ";")
        #expect(writer.header == "\u{FEFF}")
        #expect(writer.preamble() == [0xEF, 0xBB, 0xBF])
        #expect(writer.encode(["R$ 1.234,56", "a;b", "ok"]) == "R$ 1.234,56;\"a;b\";ok\r\n")
        #expect(CSVWriter(delimiter: ",", excel: true).delimiter == ";")
    }

    @Test func plainModeHasNoPreamble() {
        let writer = CSVWriter()
        #expect(writer.header.isEmpty)
        #expect(writer.preamble().isEmpty)
    }

    @Test func writesThroughBufferedFileWriter() throws {
        try withScratchDirectory { directory in
            let url = directory.appending(path: "out.csv")
            let writer = CSVWriter(excel: true)
            let output = try BufferedFileWriter(path: url.path(percentEncoded: false))
            try output.write(writer.preamble())
            try writer.write(["nome", "obs"], to: output)
            try writer.write(["José", "a;b\nc"], to: output)
            try output.close()
            let expected = [0xEF, 0xBB, 0xBF] + Array("nome;obs\r\nJosé;\"a;b\nc\"\r\n".utf8)
            #expect(try [UInt8](Data(contentsOf: url)) == expected)
        }
    }
}

/// BufferedFileWriter: buffering, ordering, file creation and errors.
struct BufferedFileWriterTests {
    @Test func buffersUntilFullOrFlushed() throws {
        try withScratchDirectory { directory in
            let url = directory.appending(path: "buffered.txt")
            let output = try BufferedFileWriter(path: url.path(percentEncoded: false), capacity: 10)
            try output.write("1234")
            try output.write("5678")
            #expect(try fileSize(url) == 0)
            try output.write("abc")
            #expect(try fileSize(url) == 8)
            try output.flush()
            #expect(try fileSize(url) == 11)
            #expect(output.bytesWritten == 11)
            try output.close()
            #expect(try String(contentsOf: url, encoding: .utf8) == "12345678abc")
        }
    }

    @Test func largeWritesBypassTheBuffer() throws {
        try withScratchDirectory { directory in
            let url = directory.appending(path: "large.bin")
            let output = try BufferedFileWriter(path: url.path(percentEncoded: false), capacity: 16)
            let big = (0..<1_000).map { UInt8($0 % 251) }
            try output.write([1, 2, 3])
            try output.write(big)
            #expect(try fileSize(url) == 1_003)
            try output.write([4])
            try output.close()
            #expect(try [UInt8](Data(contentsOf: url)) == [1, 2, 3] + big + [4])
        }
    }

    @Test func manySmallWritesKeepOrder() throws {
        try withScratchDirectory { directory in
            let url = directory.appending(path: "rows.csv")
            let output = try BufferedFileWriter(path: url.path(percentEncoded: false), capacity: 1_000)
            var expected = ""
            for row in 0..<10_000 {
                let line = "\(row),cliente \(row)\r\n"
                expected += line
                try output.write(line)
            }
            try output.close()
            #expect(try String(contentsOf: url, encoding: .utf8) == expected)
        }
    }

    @Test func truncatesAnExistingFileAndCreatesItWithoutExecuteBits() throws {
        try withScratchDirectory { directory in
            let url = directory.appending(path: "old.csv")
            try Data(repeating: 0x41, count: 100).write(to: url)
            let output = try BufferedFileWriter(path: url.path(percentEncoded: false))
            try output.write("novo")
            try output.close()
            #expect(try String(contentsOf: url, encoding: .utf8) == "novo")

            let fresh = directory.appending(path: "fresh.csv")
            try BufferedFileWriter(path: fresh.path(percentEncoded: false)).close()
            let attributes = try FileManager.default.attributesOfItem(atPath: fresh.path(percentEncoded: false))
            let mode = try #require(attributes[.posixPermissions] as? Int)
            #expect(mode & 0o111 == 0)
            #expect(mode & 0o600 == 0o600)
        }
    }

    @Test func closeIsIdempotentAndLaterWritesFail() throws {
        try withScratchDirectory { directory in
            let url = directory.appending(path: "closed.txt")
            let path = url.path(percentEncoded: false)
            let output = try BufferedFileWriter(path: path)
            try output.write("x")
            try output.close()
            try output.close()
            let error = #expect(throws: FileIOError.self) { try output.write("y") }
            #expect(error == FileIOError(operation: .write, path: path, code: EBADF))
            #expect(try String(contentsOf: url, encoding: .utf8) == "x")
        }
    }

    @Test func openFailureCarriesPathAndErrnoText() {
        let path = "/nonexistent-\(UUID().uuidString)/out.csv"
        let error = #expect(throws: FileIOError.self) { try BufferedFileWriter(path: path) }
        #expect(error?.operation == .open)
        #expect(error?.path == path)
        #expect(error?.code == ENOENT)
        #expect(error?.reason == String(cString: strerror(ENOENT)))
    }

    @Test func standardOutputWriterIsNamedAndClosesWithoutSync() throws {
        let output = BufferedFileWriter.standardOutput()
        #expect(output.path == BufferedFileWriter.standardOutputPath)
        try output.close()
        #expect(throws: FileIOError.self) { try output.write("after close") }
    }
}

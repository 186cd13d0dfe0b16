import Foundation
import Testing

@testable import AtendeCore

/// What one call to `next()` produced, comparable in expectations.
private enum Outcome: Equatable, CustomStringConvertible {
    case record([String], line: Int)
    case error(CSVError.Kind, line: Int)

    var description: String {
        switch self {
        case .record(let fields, let line): "record(\(fields), line: \(line))"
        case .error(let kind, let line): "error(\(kind), line: \(line))"
        }
    }
}

/// Drains `reader`, turning CSV errors into outcomes; stops after 10,000 calls as a guard against loops.
private func outcomes(of reader: CSVReader) throws -> [Outcome] {
    var result: [Outcome] = []
    for _ in 0..<10_000 {
        do {
            guard let record = try reader.next() else { return result }
            result.append(.record(record.fields, line: record.line))
        } catch let error as CSVError {
            result.append(.error(error.kind, line: error.line))
        }
    }
    Issue.record("reader did not reach the end")
    return result
}

private func outcomes(
    _ bytes: [UInt8], delimiter: Character = ",", chunkSize: Int = 64 * 1024
) throws -> [Outcome] {
    try outcomes(of: CSVReader(data: Data(bytes), delimiter: delimiter.asciiValue!, chunkSize: chunkSize))
}

private func outcomes(
    _ text: String, delimiter: Character = ",", chunkSize: Int = 64 * 1024
) throws -> [Outcome] {
    try outcomes(Array(text.utf8), delimiter: delimiter, chunkSize: chunkSize)
}

/// Runs `body` with a fresh directory under the system temp dir, removed afterwards.
private func withScratchDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appending(path: "atende-csv-reader-\(UUID().uuidString)", directoryHint: .isDirectory)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

private let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

private let trickyInput: [UInt8] = bom + Array(
    [
        "id,\"nome \"\"apelido\"\"\",obs\r\n",
        "1,\"São, Paulo\",\"linha 1\r\n",
        "linha 2\"\r\n",
        "2,,\"aspas \"\" e ; e \n LF\"\r\n",
        "\r\n",
        "3,\"ç\",\"\r\"\r\n",
        "4,x\"y,z\r\n",
        "\"5\",fim,\"sem newline\"",
    ].joined().utf8)

private let trickyExpected: [Outcome] = [
    .record(["id", "nome \"apelido\"", "obs"], line: 1),
    .record(["1", "São, Paulo", "linha 1\r\nlinha 2"], line: 2),
    .record(["2", "", "aspas \" e ; e \n LF"], line: 4),
    .record(["3", "ç", "\r"], line: 7),
    .error(.quoteInUnquotedField, line: 9),
    .record(["5", "fim", "sem newline"], line: 10),
]


private let pieces = [
    "a", "Z", "0", " ", ",", ";", "\"", "\"\"", "\r", "\n", "\r\n", "é", "ç", "ã", "Ó", "€", "😀", "\t", "x y",
]

private func randomRecords(count: Int, seed: UInt64) -> [[String]] {
    var generator = SplitMix64(state: seed)
    return (0..<count).map { _ in
        (0..<Int.random(in: 1...6, using: &generator)).map { _ in
            (0..<Int.random(in: 0...8, using: &generator))
                .map { _ in pieces.randomElement(using: &generator)! }
                .joined()
        }
    }
}

private let python3: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":")
        .map { "\($0)/python3" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}()

private let pythonReader = """
    import csv, sys, json
    print(json.dumps(list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig"), delimiter=sys.argv[2]))))
    """

/// CSVReader: parsing, errors and recovery, chunking, files, and agreement with Python.
struct CSVReaderTests {
    // MARK: - Well-formed input

    @Test func readsSimpleRecordsWithLineNumbers() throws {
        #expect(
            try outcomes("id,nome\n1,Ana\n2,Bruno\n") == [
                .record(["id", "nome"], line: 1),
                .record(["1", "Ana"], line: 2),
                .record(["2", "Bruno"], line: 3),
            ])
    }

    @Test func unescapesDoubledQuotes() throws {
        #expect(
            try outcomes("\"ele disse \"\"oi\"\"\",\"\"\"\"\n") == [
                .record(["ele disse \"oi\"", "\""], line: 1)
            ])
    }

    @Test func keepsDelimitersAndNewlinesInsideQuotes() throws {
        let text = "\"a,b\",\"l1\nl2\",\"c\r\nd\",\"e\rf\"\nnext,row\n"
        #expect(
            try outcomes(text) == [
                .record(["a,b", "l1\nl2", "c\r\nd", "e\rf"], line: 1),
                .record(["next", "row"], line: 5),
            ])
    }

    @Test(arguments: ["\r\n", "\n", "\r"])
    func acceptsEachLineEnding(_ newline: String) throws {
        let text = ["a,b", "c,d", "e,f"].joined(separator: newline) + newline
        #expect(
            try outcomes(text) == [
                .record(["a", "b"], line: 1),
                .record(["c", "d"], line: 2),
                .record(["e", "f"], line: 3),
            ])
    }

    @Test func readsLastLineWithoutNewline() throws {
        #expect(try outcomes("a,b\nc,d") == [.record(["a", "b"], line: 1), .record(["c", "d"], line: 2)])
        #expect(try outcomes("a,\"b\"") == [.record(["a", "b"], line: 1)])
        #expect(try outcomes("a,") == [.record(["a", ""], line: 1)])
    }

    @Test func keepsEmptyFields() throws {
        #expect(
            try outcomes(",a,,\n\"\"\n,\n\"\",\"\"\n") == [
                .record(["", "a", "", ""], line: 1),
                .record([""], line: 2),
                .record(["", ""], line: 3),
                .record(["", ""], line: 4),
            ])
    }

    @Test func skipsBlankLinesButCountsThem() throws {
        #expect(
            try outcomes("a\n\n\r\n\rb\n\n") == [
                .record(["a"], line: 1),
                .record(["b"], line: 5),
            ])
    }

    @Test func emptyInputHasNoRecords() throws {
        #expect(try outcomes("") == [])
        #expect(try outcomes("\r\n\n") == [])
        #expect(try outcomes(bom) == [])
    }

    @Test func keepsSpacesAndAccents() throws {
        #expect(try outcomes(" São Paulo , Conceição\n") == [.record([" São Paulo ", " Conceição"], line: 1)])
    }

    @Test func usesTheGivenDelimiter() throws {
        #expect(
            try outcomes("nome;valor\n\"a;b\";1,50\n", delimiter: ";") == [
                .record(["nome", "valor"], line: 1),
                .record(["a;b", "1,50"], line: 2),
            ])
        #expect(try outcomes("a\tb c\n", delimiter: "\t") == [.record(["a", "b c"], line: 1)])
    }

    // MARK: - Byte order mark

    @Test(arguments: 1...4)
    func skipsLeadingBOM(chunkSize: Int) throws {
        let bytes = bom + Array("id,nome\n1,José\n".utf8)
        #expect(
            try outcomes(bytes, chunkSize: chunkSize) == [
                .record(["id", "nome"], line: 1),
                .record(["1", "José"], line: 2),
            ])
    }

    @Test(arguments: 1...4)
    func keepsBytesThatOnlyStartLikeABOM(chunkSize: Int) throws {
        // EF BB 80 is U+FEC0, a real character, and must not be mistaken for a BOM.
        let lookalike: [UInt8] = [0xEF, 0xBB, 0x80, 0x2C, 0x61]
        #expect(try outcomes(lookalike, chunkSize: chunkSize) == [.record(["\u{FEC0}", "a"], line: 1)])
        // A BOM after the start is data.
        let inside = Array("a,".utf8) + bom + [0x62]
        #expect(try outcomes(inside, chunkSize: chunkSize) == [.record(["a", "\u{FEFF}b"], line: 1)])
    }

    @Test func truncatedBOMAtEndIsInvalidUTF8() throws {
        #expect(try outcomes([0xEF]) == [.error(.invalidUTF8, line: 1)])
        #expect(try outcomes([0xEF, 0xBB]) == [.error(.invalidUTF8, line: 1)])
    }

    // MARK: - Chunk boundaries

    @Test(arguments: 1...7)
    func recordsSpanningChunksParseTheSame(chunkSize: Int) throws {
        #expect(try outcomes(trickyInput, chunkSize: chunkSize) == trickyExpected)
    }

    @Test func trickyInputParsesInOneChunk() throws {
        #expect(try outcomes(trickyInput) == trickyExpected)
    }

    // MARK: - Errors and recovery

    @Test(arguments: 1...7)
    func quoteInUnquotedFieldSkipsToNextLine(chunkSize: Int) throws {
        #expect(
            try outcomes("a,b\nc,d\"e,\"f\ng,h\n", chunkSize: chunkSize) == [
                .record(["a", "b"], line: 1),
                .error(.quoteInUnquotedField, line: 2),
                .record(["g", "h"], line: 3),
            ])
    }

    @Test func textAfterClosingQuoteIsAnError() throws {
        #expect(
            try outcomes("\"ab\"c,d\nok\n") == [
                .error(.quoteInUnquotedField, line: 1),
                .record(["ok"], line: 2),
            ])
        #expect(try outcomes("x, \"y\"\n") == [.error(.quoteInUnquotedField, line: 1)])
    }

    @Test func errorAtEndOfInputWithoutNewline() throws {
        #expect(try outcomes("ok\na\"b") == [.record(["ok"], line: 1), .error(.quoteInUnquotedField, line: 2)])
    }

    @Test func errorReportsTheLineWhereTheRecordStarts() throws {
        #expect(
            try outcomes("\"l1\nl2\",x\n\"l3\nl4\"bad\nfine\n") == [
                .record(["l1\nl2", "x"], line: 1),
                .error(.quoteInUnquotedField, line: 3),
                .record(["fine"], line: 5),
            ])
    }

    @Test(arguments: 1...7)
    func unterminatedQuoteAtEndIsAnError(chunkSize: Int) throws {
        #expect(
            try outcomes("a\n\"open,b\nc\n", chunkSize: chunkSize) == [
                .record(["a"], line: 1),
                .error(.unterminatedQuote, line: 2),
            ])
    }

    @Test func invalidUTF8IsReportedAndSkipped() throws {
        let bytes = Array("ok\n".utf8) + [0xFF, 0x2C, 0x61]
            + Array("\n\"\u{E9}\",\"".utf8) + [0xC3] + Array("\"\nnext\n".utf8)
        #expect(
            try outcomes(bytes) == [
                .record(["ok"], line: 1),
                .error(.invalidUTF8, line: 2),
                .error(.invalidUTF8, line: 3),
                .record(["next"], line: 4),
            ])
    }

    @Test func endsAfterAnError() throws {
        let reader = CSVReader(data: Data("\"never closed".utf8))
        #expect(throws: CSVError(kind: .unterminatedQuote, line: 1)) { try reader.next() }
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
    }

    // MARK: - Sequence, progress, files

    @Test func iteratesAsSequenceOfResults() throws {
        let reader = CSVReader(data: Data("a\nb\"c\nd\n".utf8))
        var fields: [[String]] = []
        var errors: [CSVError] = []
        for result in reader {
            switch result {
            case .success(let record): fields.append(record.fields)
            case .failure(let error): errors.append(try #require(error as? CSVError))
            }
        }
        #expect(fields == [["a"], ["d"]])
        #expect(errors == [CSVError(kind: .quoteInUnquotedField, line: 2)])
    }

    @Test func reportsBytesReadForProgress() throws {
        let data = Data("a,b\ncc,d\n".utf8)
        let reader = CSVReader(data: data, chunkSize: 1)
        #expect(reader.fileSize == 9)
        #expect(reader.bytesRead == 0)
        _ = try reader.next()
        #expect(reader.bytesRead == 4)
        _ = try reader.next()
        #expect(reader.bytesRead == 9)
        #expect(try reader.next() == nil)
        #expect(reader.bytesRead == 9)
    }

    @Test(arguments: [1, 3, 4096])
    func readsAFileInChunks(chunkSize: Int) throws {
        try withScratchDirectory { directory in
            let url = directory.appending(path: "contatos.csv")
            let rows = (1...2_000).map { ["\($0)", "Cliente \($0)", "obs \"\($0)\"\nsegunda linha"] }
            var text = ""
            for row in rows {
                text += row.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
                text += "\r\n"
            }
            try Data(text.utf8).write(to: url)

            let reader = try CSVReader(url: url, chunkSize: chunkSize)
            #expect(reader.fileSize == text.utf8.count)
            var read: [CSVRecord] = []
            while let record = try reader.next() {
                read.append(record)
            }
            #expect(read.map(\.fields) == rows)
            #expect(read.last?.line == 3_999)
            #expect(reader.bytesRead == text.utf8.count)
        }
    }

    @Test func fileSizeIsZeroForAPipe() throws {
        let pipe = Pipe()
        let url = URL(filePath: "/proc/self/fd/\(pipe.fileHandleForReading.fileDescriptor)")
        try pipe.fileHandleForWriting.write(contentsOf: Data("a;b\n".utf8))
        try pipe.fileHandleForWriting.close()
        let reader = try CSVReader(url: url, delimiter: UInt8(ascii: ";"))
        #expect(reader.fileSize == 0)
        #expect(try reader.next() == CSVRecord(fields: ["a", "b"], line: 1))
        #expect(reader.bytesRead == 4)
    }

    @Test func missingFileThrowsOpenError() throws {
        let url = URL(filePath: "/nonexistent-\(UUID().uuidString)/x.csv")
        let error = #expect(throws: FileIOError.self) { try CSVReader(url: url) }
        #expect(error?.operation == .open)
        #expect(error?.code == ENOENT)
        #expect(error?.path == url.path(percentEncoded: false))
        #expect(error?.reason.isEmpty == false)
    }

    // MARK: - Delimiter sniffing

    @Test(arguments: [
        ("nome;telefone;cidade\n1,5;2;3\n", ";"),
        ("nome,telefone\n", ","),
        ("\"a;b;c\";x,y\n", ","),
        ("\u{FEFF}nome;telefone\r\n", ";"),
        ("a;b,c;d", ";"),
        ("só um campo\n", ","),
        ("", ","),
        ("a,b\nc;d;e;f\n", ","),
    ])
    func sniffsDelimiterFromHeader(text: String, expected: Character) {
        #expect(CSVReader.sniffDelimiter(in: Array(text.utf8)) == expected.asciiValue)
    }

    @Test func sniffsDelimiterFromAFile() throws {
        try withScratchDirectory { directory in
            let url = directory.appending(path: "planilha.csv")
            try Data((bom + Array("nome;telefone\nAna;11 9999-0000\n".utf8))).write(to: url)
            #expect(try CSVReader.sniffDelimiter(url: url) == UInt8(ascii: ";"))
        }
    }

    // MARK: - Round trips

    @Test(arguments: [(UInt64(1), false), (2, true), (3, false), (4, true)])
    func randomRecordsSurviveAFileRoundTrip(seed: UInt64, excel: Bool) throws {
        let writer = CSVWriter(excel: excel)
        let header = ["nome", "telefone", "observação"]
        let records = [header] + randomRecords(count: 500, seed: seed)
        try withScratchDirectory { directory in
            let url = directory.appending(path: "export.csv")
            let output = try BufferedFileWriter(path: url.path(percentEncoded: false), capacity: 97)
            try output.write(writer.preamble())
            for record in records {
                try writer.write(record, to: output)
            }
            try output.close()

            let delimiter = try CSVReader.sniffDelimiter(url: url)
            #expect(delimiter == (excel ? UInt8(ascii: ";") : UInt8(ascii: ",")))
            for chunkSize in [1, 5, 7, 64 * 1024] {
                let reader = try CSVReader(url: url, delimiter: delimiter, chunkSize: chunkSize)
                var read: [[String]] = []
                while let record = try reader.next() {
                    read.append(record.fields)
                }
                #expect(read == Self.asWritten(records, excel: excel), "chunk size \(chunkSize)")
            }
        }
    }

    // MARK: - Agreement with Python's csv module

    @Test(.enabled(if: python3 != nil, "python3 is not on PATH"), arguments: [false, true])
    func pythonReadsWhatTheWriterWrites(excel: Bool) throws {
        let writer = CSVWriter(excel: excel)
        let records: [[String]] = [
            ["id", "nome", "obs"],
            ["1", "José \"Zé\" da Silva", "linha 1\r\nlinha 2"],
            ["2", " espaço inicial", "final "],
            ["3", "a,b;c", "\"\""],
            ["4", "", "só \r e \n"],
            [""],
            ["😀", "Conceição", "€ 1.234,56"],
        ] + randomRecords(count: 200, seed: 42)
        try withScratchDirectory { directory in
            let url = directory.appending(path: "python.csv")
            let output = try BufferedFileWriter(path: url.path(percentEncoded: false))
            try output.write(writer.preamble())
            for record in records {
                try writer.write(record, to: output)
            }
            try output.close()

            let process = Process()
            process.executableURL = URL(filePath: try #require(python3))
            process.arguments = ["-c", pythonReader, url.path(percentEncoded: false), String(writer.delimiter)]
            let stdout = Pipe()
            process.standardOutput = stdout
            try process.run()
            let json = stdout.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let parsed = try JSONDecoder().decode([[String]].self, from: json)
            #expect(parsed == Self.asWritten(records, excel: excel))
        }
    }

    /// The records as an excel-mode writer puts them: a cell that would start a formula gets a `'`.
    static func asWritten(_ records: [[String]], excel: Bool) -> [[String]] {
        guard excel else { return records }
        return records.map { $0.map { CSVWriter.startsFormula($0.utf8) ? "'" + $0 : $0 } }
    }
}

public import AtendeCore
public import AtendeStore
public import Foundation

/// Why one row of a contacts file was not imported.
public enum ImportProblem: Sendable, Equatable {
    case rule(AtendeError)
    case syntax(CSVError.Kind)
    case tooManyFields(expected: Int, found: Int)
}

/// The outcome of an import: rows kept, rows refused with their line and reason.
public struct ImportReport: Sendable, Equatable {
    public var imported: Int
    public var rejected: [Rejection]

    public struct Rejection: Sendable, Equatable {
        public var line: Int
        public var problem: ImportProblem
    }
}

/// Reads contacts from a CSV file with a header row (CT-1): good rows are kept, bad ones reported.
///
/// Columns are found by name, in English or Portuguese: `name`/`nome` (required),
/// `phone`/`telefone`/`celular` (several columns, or several phones in one cell separated by `|`),
/// `company`/`empresa`, `email`, `notes`/`observacao`. The delimiter is `,` or `;`, found from the header.
public struct ContactImporter {
    let store: Store
    let areaCode: String
    let batchSize: Int

    /// `batchSize` rows go into each transaction. Each commit syncs the WAL and flushes the
    /// full-text index's pending terms, so large batches are faster; the two batches in hand
    /// (one read, one written) bound the memory an import takes.
    public init(store: Store, areaCode: String, batchSize: Int = 20_000) {
        self.store = store
        self.areaCode = areaCode
        self.batchSize = batchSize
    }

    /// Imports `url`; `progress` gets (bytes read, file size).
    public func importContacts(from url: URL, progress: (Int, Int) -> Void) throws -> ImportReport {
        guard FileManager.default.fileExists(atPath: url.path) else { throw AtendeError.fileNotFound(url.path) }
        let reader: CSVReader
        do {
            let head = try CSVReader.head(url: url)
            // A spreadsheet's "Unicode text" (UTF-16) or a Latin-1 CSV would import as garbage, row by row.
            guard CSVReader.looksLikeUTF8(head, complete: head.count < CSVReader.headLength) else { throw AtendeError.fileNotUTF8(url.path) }
            reader = try CSVReader(url: url, delimiter: CSVReader.sniffDelimiter(in: head))
        } catch let error as FileIOError {
            throw AtendeError.fileUnreadable(url.path, problem: SystemProblem(errno: error.code))
        }
        let header: CSVRecord
        do {
            guard let first = try reader.next() else { throw AtendeError.csvMissingColumn("name") }
            header = first
        } catch let error as FileIOError {
            throw AtendeError.fileUnreadable(url.path, problem: SystemProblem(errno: error.code))
        }
        let columns = Columns(header.fields)
        guard columns.name != nil else { throw AtendeError.csvMissingColumn("name") }

        // The writer's large page cache is the import's only (Store.bulkWriting).
        return try store.bulkWriting { () throws -> ImportReport in
            var report = ImportReport(imported: 0, rejected: [])
            var ids = UUIDGenerator()
            var batch: [Contact] = []
            // The store writes one batch while the next is read and checked.
            let writer = BackgroundWriter(label: "atende.import")
            defer { writer.wait() }
            func write(_ batch: [Contact]) throws {
                let prepared = ContactBatch(batch)
                try writer.submit { [store] in try store.contacts.addAll(prepared) }
                report.imported += batch.count
                progress(reader.bytesRead, reader.fileSize)
            }
            while true {
                let record: CSVRecord
                do {
                    guard let r = try reader.next() else { break }
                    record = r
                } catch let error as CSVError {
                    report.rejected.append(.init(line: error.line, problem: .syntax(error.kind)))
                    continue
                }
                if record.fields.allSatisfy({ $0.trimmingSpaces.isEmpty }) { continue }
                guard record.fields.count <= header.fields.count else {
                    report.rejected.append(
                        .init(line: record.line, problem: .tooManyFields(expected: header.fields.count, found: record.fields.count)))
                    continue
                }
                switch Result(catching: { () throws(AtendeError) -> Contact in try contact(record.fields, columns, id: ids.next()) }) {
                case .success(let c): batch.append(c)
                case .failure(let error): report.rejected.append(.init(line: record.line, problem: .rule(error)))
                }
                if batch.count >= batchSize {
                    try write(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            try write(batch)
            try writer.finish()
            return report
        }
    }

    private func contact(_ fields: [String], _ c: Columns, id: UUID) throws(AtendeError) -> Contact {
        func field(_ i: Int?) -> String? { i.flatMap { $0 < fields.count ? fields[$0] : nil } }
        let phones = c.phones.compactMap(field).flatMap { cell in
            cell.utf8.contains(UInt8(ascii: "|")) ? cell.split(separator: "|").map(String.init) : [cell]
        }
        var draft = ContactDraft(name: field(c.name), phones: phones, company: field(c.company), email: field(c.email), notes: field(c.notes))
        draft.name = draft.name?.trimmingSpaces
        return try ContactRules.contact(from: draft, areaCode: areaCode, id: id)
    }

    /// Where each known column is in the header.
    struct Columns {
        var name: Int?
        var phones: [Int] = []
        var company: Int?
        var email: Int?
        var notes: Int?

        init(_ header: [String]) {
            for (i, raw) in header.enumerated() {
                let h = raw.trimmingSpaces.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                switch h {
                case "name", "nome", "contato", "contact": name = name ?? i
                case "company", "empresa": company = company ?? i
                case "email", "e-mail": email = email ?? i
                case "notes", "note", "observacao", "obs", "notas": notes = notes ?? i
                default:
                    if ["phone", "telefone", "celular", "fone", "mobile"].contains(where: { h.hasPrefix($0) }) {
                        phones.append(i)
                    }
                }
            }
        }
    }
}

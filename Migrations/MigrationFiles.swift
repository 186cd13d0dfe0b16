public import Foundation

/// The numbered schema files bundled with the package, one folder per database kind.
public enum MigrationFiles {
    /// The files of `Migrations/<kind>/`, sorted by their number: `0001_init.sql`, `0002_…`.
    public static func sqlFiles(kind: String) -> [URL] {
        guard let folder = Bundle.module.url(forResource: kind, withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return [] }
        return names.filter { $0.hasSuffix(".sql") }.sorted().map { folder.appendingPathComponent($0) }
    }
}

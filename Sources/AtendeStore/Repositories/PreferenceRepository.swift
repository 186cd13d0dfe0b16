import AtendeCore
import Foundation
import GRDB

/// The workstation configuration (PF-1), as key and value.
public final class PreferenceRepository: Sendable {
    let pool: DatabasePool
    let stamper: Stamper

    init(pool: DatabasePool, stamper: Stamper) {
        self.pool = pool
        self.stamper = stamper
    }

    /// Every stored value; keys never set are absent.
    public func all() throws -> [String: String] {
        try pool.reading { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT key, value FROM preferences").map {
                ($0["key"] as String, $0["value"] as String)
            })
        }
    }

    /// Sets several values in one transaction. Keys in `localOnly` (a device secret, sealed by
    /// the caller) are never queued for sync, and any operation still queued for them is dropped.
    public func set(_ values: [String: String], localOnly: Set<String> = []) throws {
        try pool.writing { db in
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                let hlc = try stamper.stamp(db)
                try db.cachedStatement(sql: """
                        INSERT INTO preferences (key, value, updated_at, hlc) VALUES (?, ?, ?, ?)
                        ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
                            hlc = excluded.hlc
                        """).execute(arguments: [key, value, stamper.now.unixSeconds, hlc])
                if localOnly.contains(key) {
                    try db.cachedStatement(sql: "DELETE FROM outbox WHERE entity = 'preference' AND entity_id = ?")
                        .execute(arguments: [Self.id(for: key).uuidString])
                    continue
                }
                try stamper.enqueue(
                    db, entity: "preference", id: Self.id(for: key), operation: "update",
                    record: ["key": key, "value": value], hlc: hlc)
            }
        }
    }

    /// A stable id per key, so the server merges edits of the same key.
    static func id(for key: String) -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        for (i, b) in key.utf8.enumerated() { bytes[i % 16] = bytes[i % 16] &* 31 &+ b }
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

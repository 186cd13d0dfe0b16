public import AtendeCore
public import Foundation
import GRDB

/// The cached server catalogues: groups, services, agents, pause reasons and codes.
public final class CatalogRepository: Sendable {
    let pool: DatabasePool

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// Replaces the catalogues when `registry` differs from the one cached; true when it did.
    @discardableResult
    public func refresh(with registry: Registry) throws -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let fingerprint = String(decoding: try encoder.encode(registry), as: UTF8.self)
        let cached = try pool.reading { db in
            try String.fetchOne(db, sql: "SELECT value FROM workstation_meta WHERE key = 'registry'")
        }
        guard cached != fingerprint else { return false }
        try replace(with: registry, fingerprint: fingerprint)
        return true
    }

    /// Replaces every catalogue with the one given, in one transaction.
    func replace(with registry: Registry, fingerprint: String) throws {
        try pool.writing { db in
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO workstation_meta (key, value) VALUES ('registry', ?)").execute(arguments: [fingerprint])
            for table in [
                "catalog_groups", "catalog_services", "catalog_pause_reasons", "catalog_recording_reasons",
                "qualification_codes", "extension_directory",
            ] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            for g in registry.groups {
                try db.cachedStatement(sql: "INSERT INTO catalog_groups (name, title) VALUES (?, ?)").execute(arguments: [g.name, g.title])
            }
            for s in registry.services {
                try db.cachedStatement(sql: "INSERT INTO catalog_services (number, name, group_name) VALUES (?, ?, ?)").execute(arguments: [s.number, s.name, s.group])
            }
            for p in registry.pauseReasons {
                try db.cachedStatement(sql: "INSERT INTO catalog_pause_reasons (name, kind, code) VALUES (?, ?, ?)").execute(arguments: [p.name, p.kind.rawValue, p.code])
            }
            for r in registry.recordingReasons {
                try db.cachedStatement(sql: "INSERT INTO catalog_recording_reasons (code, label) VALUES (?, ?)").execute(arguments: [r.code, r.label])
            }
            for q in registry.qualificationCodes {
                try db.cachedStatement(sql: "INSERT INTO qualification_codes (code, label, tags) VALUES (?, ?, ?)").execute(arguments: [q.code, q.label, q.tags.joined(separator: ",")])
            }
            for a in registry.agents {
                try db.cachedStatement(sql: """
                        INSERT INTO extension_directory
                            (nickname, name, email, extension, groups, sector, role, permissions)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """).execute(arguments: [
                        a.nickname, a.name, a.email, a.extension, a.groups.joined(separator: ","), a.sector,
                        a.role.rawValue, a.permissions.map(\.rawValue).sorted().joined(separator: ","),
                    ])
            }
        }
    }

    /// The cached catalogue, or an empty one before the first load.
    public func registry() throws -> Registry {
        try pool.reading { db in
            Registry(
                groups: try Row.fetchAll(db, sql: "SELECT * FROM catalog_groups ORDER BY name").map {
                    Group(name: $0["name"], title: $0["title"])
                },
                services: try Row.fetchAll(db, sql: "SELECT * FROM catalog_services ORDER BY number").map {
                    Service(number: $0["number"], name: $0["name"], group: $0["group_name"])
                },
                agents: try Row.fetchAll(db, sql: "SELECT * FROM extension_directory ORDER BY nickname").map { r in
                    Agent(
                        nickname: r["nickname"], name: r["name"], email: r["email"], extension: r["extension"],
                        groups: (r["groups"] as String).split(separator: ",").map(String.init), sector: r["sector"],
                        role: Role(rawValue: r["role"]) ?? .agent,
                        permissions: Set((r["permissions"] as String).split(separator: ",").compactMap {
                            Permission(rawValue: String($0))
                        }))
                },
                pauseReasons: try Row.fetchAll(db, sql: "SELECT * FROM catalog_pause_reasons ORDER BY kind, name").map {
                    PauseReason(name: $0["name"], kind: PauseReason.Kind(rawValue: $0["kind"]) ?? .eventual, code: $0["code"])
                },
                qualificationCodes: try Row.fetchAll(db, sql: "SELECT * FROM qualification_codes ORDER BY code").map {
                    QualificationCode(
                        code: $0["code"], label: $0["label"],
                        tags: ($0["tags"] as String).split(separator: ",").map(String.init))
                },
                recordingReasons: try Row.fetchAll(db, sql: "SELECT * FROM catalog_recording_reasons ORDER BY code").map {
                    RecordingReason(code: $0["code"], label: $0["label"])
                })
        }
    }

    /// The registry an admin installed with `atende admin registry load` (SV-6), or nil when
    /// none was: then the bundled one is in force.
    public func installedRegistry() throws -> InstalledRegistry? {
        try pool.reading { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT key, value FROM workstation_meta WHERE key IN ('registry.installed', 'registry.installed-by', 'registry.installed-at')")
            let values = Dictionary(uniqueKeysWithValues: rows.map { ($0["key"] as String, $0["value"] as String) })
            guard let json = values["registry.installed"] else { return nil }
            do {
                let registry = try JSONDecoder().decode(Registry.self, from: Data(json.utf8))
                return InstalledRegistry(
                    registry: registry, installedBy: values["registry.installed-by"] ?? "",
                    installedAt: Date(timeIntervalSince1970: TimeInterval(Int(values["registry.installed-at"] ?? "") ?? 0)))
            } catch {
                throw StoreError.io(path: "workstation_meta registry.installed", message: "the installed registry cannot be read")
            }
        }
    }

    /// Keeps `registry` as the one in force from the next start on, with who installed it and when.
    public func install(_ registry: Registry, by nickname: String, at date: Date) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(registry), as: UTF8.self)
        try pool.writing { db in
            let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO workstation_meta (key, value) VALUES (?, ?)")
            try statement.execute(arguments: ["registry.installed", json])
            try statement.execute(arguments: ["registry.installed-by", nickname])
            try statement.execute(arguments: ["registry.installed-at", String(date.unixSeconds)])
        }
    }
}

/// A registry an admin installed into the store, with who did it and when.
public struct InstalledRegistry: Sendable, Equatable {
    public var registry: Registry
    public var installedBy: String
    public var installedAt: Date
}

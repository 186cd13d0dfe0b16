public import AtendeCore
import AtendeStore
import Foundation

extension Workstation {
    /// The configuration in force: the stored values over the defaults of `Config/` (PF-1).
    public func configuration() throws -> WorkstationConfig {
        // Read on every call event: kept until this workstation changes it (the only writer).
        if let cached = cachedConfiguration { return cached }
        var values = settings.defaults
        for (key, value) in try store.preferences.all() {
            guard let k = ConfigKey.named(key) else { continue }
            // A device secret is kept sealed; one that cannot be opened (its key file lost) is unset.
            values[key] = k.kind == .secret ? secrets.open(value) ?? "" : value
        }
        if values[ConfigKey.extension.name, default: ""].isEmpty, let session {
            values[ConfigKey.extension.name] = session.extension
        }
        let config = WorkstationConfig(values: values)
        cachedConfiguration = config
        return config
    }

    /// Validates and stores one value; returns the key and the value as stored.
    ///
    /// `takingEffect` puts the configuration with the new value in force (the screen transfer
    /// listening on another port, say) before anything is stored: when it throws, nothing is
    /// stored and its error is the refusal. For example:
    /// ```swift
    /// try await ws.setConfiguration("transfer", "tcp 3000") { config in try transfer.apply(config) }
    /// ```
    @discardableResult
    public func setConfiguration(
        _ name: String, _ value: String, takingEffect: (@Sendable (WorkstationConfig) throws -> Void)? = nil
    ) throws -> (ConfigKey, String) {
        let session = try requireSession()
        guard let key = ConfigKey.named(name) else { throw AtendeError.unknownConfigKey(name) }
        let stored = try key.validate(value)
        // Annex I has no authentication: the CRM port leaves this computer only when an admin says so.
        if key == .transferHost, !ConfigKey.isLoopback(stored), session.agent.role != .admin {
            throw AtendeError.transferHostNotLoopback(stored)
        }
        // Only the extensions' folders are created, inside a folder that exists.
        if key == .transfer, stored.hasPrefix("txt ") {
            let folder = String(stored.dropFirst(4))
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw AtendeError.transferFolderMissing(folder)
            }
        }
        let before = try configuration()
        if let takingEffect {
            var next = before
            next.set(key, stored)
            try takingEffect(next)
        }
        do {
            try storePreferences([key.name: stored])
        } catch {
            // Not stored: what is in force goes back to what is stored.
            try? takingEffect?(before)
            throw error
        }
        cachedConfiguration = nil
        return (key, stored)
    }

    /// Stores configuration values; a device secret (`pabx.password`) sealed, and kept out of the
    /// sync outbox: it is this workstation's, for the PABX, and no server needs it.
    nonisolated func storePreferences(_ values: [String: String]) throws {
        var sealed = values
        var local = Set<String>()
        for (name, value) in values where ConfigKey.named(name)?.kind == .secret {
            sealed[name] = try secrets.seal(value)
            local.insert(name)
        }
        try store.preferences.set(sealed, localOnly: local)
    }

    /// Seals a device secret stored in clear by an older version, and drops its queued sync copy.
    nonisolated func sealStoredSecrets() throws {
        let stored = try store.preferences.all()
        var clear: [String: String] = [:]
        for key in ConfigKey.all where key.kind == .secret {
            if let value = stored[key.name], !SecretBox.isSealed(value) { clear[key.name] = value }
        }
        if !clear.isEmpty { try storePreferences(clear) }
    }

    /// On the first login of a workstation, saves the defaults so later runs show what is in force.
    func applyDefaultConfigurationIfNeeded(for agent: Agent) throws -> Bool {
        guard try store.preferences.all().isEmpty else { return false }
        // The extension stays as the defaults have it (empty: each agent sits at their registered one, CC-0).
        try storePreferences(settings.defaults)
        cachedConfiguration = nil
        return true
    }
}

public import AtendeCore
import AtendeStore
import Foundation

extension Workstation {
    /// The configuration in force: the stored values over the defaults of `Config/` (PF-1).
    public func configuration() throws -> WorkstationConfig {
        // Read on every call event: kept until this workstation changes it (the only writer).
        if let cached = cachedConfiguration { return cached }
        var values = settings.defaults
        for (key, value) in try store.preferences.all() where ConfigKey.named(key) != nil {
            values[key] = value
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
        _ = try requireSession()
        guard let key = ConfigKey.named(name) else { throw AtendeError.unknownConfigKey(name) }
        let stored = try key.validate(value)
        let before = try configuration()
        if let takingEffect {
            var next = before
            next.set(key, stored)
            try takingEffect(next)
        }
        do {
            try store.preferences.set([key.name: stored])
        } catch {
            // Not stored: what is in force goes back to what is stored.
            try? takingEffect?(before)
            throw error
        }
        cachedConfiguration = nil
        return (key, stored)
    }

    /// On the first login of a workstation, saves the defaults so later runs show what is in force.
    func applyDefaultConfigurationIfNeeded(for agent: Agent) throws -> Bool {
        guard try store.preferences.all().isEmpty else { return false }
        // The extension stays as the defaults have it (empty: each agent sits at their registered one, CC-0).
        try store.preferences.set(settings.defaults)
        cachedConfiguration = nil
        return true
    }
}

public import Foundation

/// The workstation defaults and the demo registry shipped in `Config/`.
public enum DefaultFiles {
    /// `Config/defaults.json`: the workstation configuration a new installation starts with.
    public static var defaults: URL { Bundle.module.url(forResource: "defaults", withExtension: "json")! }
    /// `Config/registry.json`: the demo call center of the standalone mode.
    public static var registry: URL { Bundle.module.url(forResource: "registry", withExtension: "json")! }
}

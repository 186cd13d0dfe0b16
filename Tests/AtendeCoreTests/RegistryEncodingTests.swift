import AtendeCore
import Foundation
import Testing

@Suite struct RegistryEncodingTests {
    /// The same agent encodes to the same bytes, however its permissions were gathered: a store
    /// compares its registry's fingerprint at each start and writes only when it changed.
    @Test func anAgentEncodesTheSameWhateverTheOrderItsPermissionsCameIn() throws {
        let all = Permission.allCases
        var small = Set<Permission>()
        for p in all { small.insert(p) }
        var large = Set<Permission>(minimumCapacity: 256)
        for p in all.reversed() { large.insert(p) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let a = try encoder.encode(Agent(nickname: "fabio", name: "Fabio", extension: "2050", groups: ["receptivas"], permissions: small))
        let b = try encoder.encode(Agent(nickname: "fabio", name: "Fabio", extension: "2050", groups: ["receptivas"], permissions: large))
        #expect(String(decoding: a, as: UTF8.self) == String(decoding: b, as: UTF8.self))
        let decoded = try JSONDecoder().decode(Agent.self, from: a)
        #expect(decoded.permissions == small)
    }
}

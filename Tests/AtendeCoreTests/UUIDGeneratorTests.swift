import AtendeCore
import Foundation
import Testing

@Suite struct UUIDGeneratorTests {
    @Test func givesDistinctVersion4UUIDs() {
        // Given a generator
        var ids = UUIDGenerator()
        // When it gives more ids than it draws at a time
        let drawn = (0..<1_000).map { _ in ids.next() }
        // Then they are all different, random (version 4) UUIDs of the RFC 4122 variant
        #expect(Set(drawn).count == drawn.count)
        for id in drawn {
            #expect(id.uuid.6 >> 4 == 4)
            #expect(id.uuid.8 >> 6 == 0b10)
        }
    }
}

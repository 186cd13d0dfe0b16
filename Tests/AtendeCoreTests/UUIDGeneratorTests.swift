import AtendeCore
import Foundation
import Synchronization
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

    @Test func theSharedGeneratorGivesDistinctIdsAcrossThreads() {
        // When four threads each take 1,000 ids from the shared generator at once
        let drawn = Mutex<[UUID]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let mine = (0..<1_000).map { _ in UUID.random() }
            drawn.withLock { $0 += mine }
        }
        // Then none repeats and all are version 4
        let all = drawn.withLock { $0 }
        #expect(all.count == 4_000)
        #expect(Set(all).count == 4_000)
        #expect(all.allSatisfy { $0.uuid.6 >> 4 == 4 })
    }
}

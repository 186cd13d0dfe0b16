import AtendeCore
import Testing
@testable import AtendeIntegration

private func frame(_ text: String) -> [UInt8] { [0x02] + Array(text.utf8) + [0x03] }

private func decodeAll(_ bytes: [UInt8], limits: FrameLimits = .init()) -> [DecodedItem] {
    var decoder = FrameDecoder(limits: limits)
    return decoder.feed(bytes) + decoder.finish()
}

/// A sample stream mixing frames, garbage and every kind of rejection.
private let mixedStream: [UInt8] =
    Array("xx".utf8) + frame("1;40009938;4832819500") + [0x0D, 0x0A] + frame("5")
    + [0x02, 0x03] + frame("4;2071" + String(repeating: "9", count: 40))
    + [0x02, 0x41, 0xC3, 0xA9, 0x03] + [0x02, 0x41, 0x00, 0x03] + [0x02] + Array("6;1".utf8) + frame("9999")
    + [0x02] + Array(repeating: UInt8(ascii: "7"), count: 300) + [0x03, 0x41] + frame("2") + [0x02, 0x31]

private let mixedExpected: [DecodedItem] = [
    .rejected(.bytesOutsideFrame(count: 2)),
    .frame(["1", "40009938", "4832819500"]),
    .rejected(.bytesOutsideFrame(count: 2)),
    .frame(["5"]),
    .rejected(.emptyFrame),
    .rejected(.fieldTooLong(index: 1, length: 44)),
    .rejected(.nonASCII),
    .rejected(.nonASCII),
    .rejected(.unterminatedFrame(length: 3)),
    .frame(["9999"]),
    .rejected(.frameTooLong(length: 257)),
    .rejected(.bytesOutsideFrame(count: 1)),
    .frame(["2"]),
    .rejected(.unterminatedFrame(length: 1)),
]

@Suite struct FrameDecoderTests {
    @Test(arguments: [
        (Array("ab".utf8) + frame("1"), [DecodedItem.rejected(.bytesOutsideFrame(count: 2)), .frame(["1"])]),
        (frame("1;" + String(repeating: "1", count: 31)), [.rejected(.fieldTooLong(index: 1, length: 31))]),
        (frame("1;" + String(repeating: "1", count: 30)), [.frame(["1", String(repeating: "1", count: 30)])]),
        ([0x02] + Array(repeating: 0x31, count: 257) + [0x03], [.rejected(.frameTooLong(length: 257))]),
        ([0x02, 0x31, 0x80, 0x03], [.rejected(.nonASCII)]),
        ([0x02, 0x31, 0x7F, 0x03], [.rejected(.nonASCII)]),
        ([0x02, 0x31, 0x09, 0x03], [.rejected(.nonASCII)]),
        ([0x02, 0x03], [.rejected(.emptyFrame)]),
        ([0x02, 0x31, 0x32], [.rejected(.unterminatedFrame(length: 2))]),
        ([0x02], [.rejected(.unterminatedFrame(length: 0))]),
        ([0x02, 0x31, 0x02, 0x32, 0x03], [.rejected(.unterminatedFrame(length: 1)), .frame(["2"])]),
        ([0x03, 0x03], [.rejected(.bytesOutsideFrame(count: 2))]),
        (frame(";"), [.frame(["", ""])]),
        (frame("3;;;;32819500"), [.frame(["3", "", "", "", "32819500"])]),
    ] as [([UInt8], [DecodedItem])])
    func rejectionsAndFrames(input: [UInt8], expected: [DecodedItem]) {
        #expect(decodeAll(input) == expected)
    }

    @Test func frameOfExactlyMaxLengthIsAccepted() {
        let fields = Array(repeating: String(repeating: "1", count: 30), count: 8) + [String(repeating: "2", count: 8)]
        let bytes = FrameEncoder.encode(fields)
        #expect(bytes.count == 258)
        #expect(decodeAll(bytes) == [.frame(fields)])
    }

    @Test func mixedStreamInOneFeed() {
        #expect(decodeAll(mixedStream) == mixedExpected)
    }

    @Test func oneByteAtATime() {
        var decoder = FrameDecoder()
        var items: [DecodedItem] = []
        for byte in mixedStream {
            items += decoder.feed([byte])
            #expect(decoder.bufferedByteCount <= 256)
        }
        items += decoder.finish()
        #expect(items == mixedExpected)
    }

    @Test func everyTwoWaySplit() {
        for cut in 0...mixedStream.count {
            var decoder = FrameDecoder()
            let items = decoder.feed(mixedStream[..<cut]) + decoder.feed(mixedStream[cut...]) + decoder.finish()
            #expect(items == mixedExpected, "split at \(cut)")
        }
    }

    @Test func severalFramesInOneFeed() {
        var decoder = FrameDecoder()
        let items = decoder.feed(frame("1") + frame("2") + frame("5;1"))
        #expect(items == [.frame(["1"]), .frame(["2"]), .frame(["5", "1"])])
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func garbageBetweenFramesIsReportedOncePerRun() {
        var decoder = FrameDecoder()
        var items = decoder.feed(frame("1") + Array("garb".utf8))
        #expect(items == [.frame(["1"])])
        items = decoder.feed(Array("age".utf8)) + decoder.feed(frame("2"))
        #expect(items == [.rejected(.bytesOutsideFrame(count: 7)), .frame(["2"])])
    }

    @Test func hugeFrameWithoutETXThenGoodFrame() {
        var decoder = FrameDecoder()
        var items = decoder.feed([0x02])
        for _ in 0..<10 {
            items += decoder.feed(Array(repeating: UInt8(ascii: "9"), count: 1024))
            #expect(decoder.bufferedByteCount <= 256)
        }
        items += decoder.feed(frame("4;2071")) + decoder.finish()
        #expect(items == [.rejected(.frameTooLong(length: 257)), .frame(["4", "2071"])])
    }

    @Test func finishMidFrameResets() {
        var decoder = FrameDecoder()
        #expect(decoder.feed([0x02] + Array("3;21".utf8)).isEmpty)
        #expect(decoder.bufferedByteCount == 4)
        #expect(decoder.finish() == [.rejected(.unterminatedFrame(length: 4))])
        #expect(decoder.bufferedByteCount == 0)
        #expect(decoder.feed(frame("2")) == [.frame(["2"])])
    }

    @Test func customLimits() {
        let limits = FrameLimits(maxFieldLength: 2, maxFrameLength: 4)
        #expect(decodeAll(frame("12;3"), limits: limits) == [.frame(["12", "3"])])
        #expect(decodeAll(frame("123"), limits: limits) == [.rejected(.fieldTooLong(index: 0, length: 3))])
        #expect(decodeAll(frame("12;34"), limits: limits) == [.rejected(.frameTooLong(length: 5))])
    }

    @Test func encoderWritesStxFieldsEtx() {
        #expect(FrameEncoder.encode(["1", "40009938", "4832819500"]) == [0x02] + Array("1;40009938;4832819500".utf8) + [0x03])
        #expect(FrameEncoder.encode(["5"]) == [0x02, 0x35, 0x03])
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func randomByteSoup(seed: UInt64) {
        var rng = SplitMix64(state: seed)
        let alphabet: [UInt8] = [0x02, 0x03, 0x3B, 0x31, 0x32, 0x20, 0x41, 0x80, 0xFF, 0x00]
        var decoder = FrameDecoder()
        var items: [DecodedItem] = []
        for _ in 0..<2000 {
            let count = Int(rng.next() % 400)
            let chunk = (0..<count).map { _ in
                rng.next() % 3 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            items += decoder.feed(chunk)
            #expect(decoder.bufferedByteCount <= 256)
        }
        items += decoder.finish()
        for case let .frame(fields) in items {
            #expect(fields.allSatisfy { $0.utf8.count <= 30 && $0.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } })
            var again = FrameDecoder()
            #expect(again.feed(FrameEncoder.encode(fields)) == [.frame(fields)])
        }
    }
}


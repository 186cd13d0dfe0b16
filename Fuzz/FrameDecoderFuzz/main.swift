/// libFuzzer entry point for the Annex I frame decoder and command parser; traps on a broken invariant.
@_cdecl("LLVMFuzzerTestOneInput")
public func frameDecoderFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = FrameLimits()
    let whole = decode(input, limits: limits, chunk: size + 1)
    let firstByte = Int(input.first ?? 0)
    for chunk in [1, 2, firstByte % 7 + 1, max(1, size / 2)] {
        check(decode(input, limits: limits, chunk: chunk) == whole, "split pattern \(chunk) changed the items")
    }
    if whole.count == 1, case let .frame(fields) = whole[0] {
        check(FrameEncoder.encode(fields) == input, "encode(decode(x)) != x")
    }
    for fields in frames(whole) {
        checkFrame(fields, limits: limits)
        exerciseParser(fields)
    }
    let tight = FrameLimits(maxFieldLength: 3, maxFrameLength: 8)
    for fields in frames(decode(input, limits: tight, chunk: firstByte % 3 + 1)) {
        checkFrame(fields, limits: tight)
    }
    let text = String(decoding: input, as: UTF8.self)
    for event in [CRMEvent.incomingRinging(service: text, phone: text), .dateTime(date: text, time: "")] {
        var decoder = FrameDecoder()
        let items = decoder.feed(event.bytes)
        check(items == [.frame(event.fields)], "event bytes do not decode to its fields")
        checkFrame(event.fields, limits: limits)
    }
    return 0
}

/// Feeds `input` in pieces of `chunk` bytes, checking the buffer bound after each feed.
private func decode(_ input: [UInt8], limits: FrameLimits, chunk: Int) -> [DecodedItem] {
    var decoder = FrameDecoder(limits: limits)
    var items: [DecodedItem] = []
    var start = 0
    while start < input.count {
        let end = min(input.count, start + chunk)
        items += decoder.feed(input[start..<end])
        check(decoder.bufferedByteCount <= limits.maxFrameLength, "buffer over the frame limit")
        start = end
    }
    items += decoder.finish()
    check(decoder.bufferedByteCount == 0, "buffer not empty after finish")
    return items
}

/// The accepted frames among `items`.
private func frames(_ items: [DecodedItem]) -> [[String]] {
    items.compactMap { if case let .frame(fields) = $0 { fields } else { nil } }
}

/// Fields are short printable ASCII without ";" and re-encode to a frame that decodes to them.
private func checkFrame(_ fields: [String], limits: FrameLimits) {
    for field in fields {
        check(field.utf8.count <= limits.maxFieldLength, "field too long: \(field)")
        check(field.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != FrameByte.separator }, "bad byte in field")
    }
    let bytes = FrameEncoder.encode(fields)
    check(bytes.count - 2 <= limits.maxFrameLength, "accepted frame over the frame limit")
    var decoder = FrameDecoder(limits: limits)
    check(decoder.feed(bytes) == [.frame(fields)], "re-encoded frame does not round-trip")
}

/// Parses a frame as a command; an accepted command only carries digit strings.
private func exerciseParser(_ fields: [String]) {
    guard let command = try? CRMCommand.parse(fields) else { return }
    let digits: [String]
    switch command {
    case let .dialExternal(carrier, ddi, ddd, phone):
        check(!phone.isEmpty, "external dial without phone")
        digits = [carrier, ddi, ddd, phone]
    case let .dialExtension(ext):
        check(!ext.isEmpty, "extension dial without extension")
        digits = [ext]
    case let .productivePause(code, on):
        check(!on || !code.isEmpty, "productive pause on without code")
        digits = [code]
    case .answer, .hangup, .eventualPause, .requestDateTime:
        digits = []
    }
    check(digits.allSatisfy { $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }, "non-digit value in \(command)")
}

/// Traps with `message` when `condition` is false.
private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

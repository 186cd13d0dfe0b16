import Foundation
/// One editing key, decoded from terminal input.
enum EditorKey: Equatable, Sendable {
    case character(Character)
    case backspace
    case deleteForward
    case left
    case right
    case wordLeft
    case wordRight
    case home
    case end
    case killToStart
    case killToEnd
    case deleteWordBackward
    case up
    case down
    case tab
    case enter
    case controlD
    case interrupt
    case clearScreen
    case escape
}

/// Incremental decoder turning raw terminal bytes (control codes, UTF-8, ANSI escape sequences) into keys.
struct KeyDecoder: Sendable {
    private enum State: Sendable {
        case ground
        case escape
        case csi([UInt8])
        case ss3
        case utf8(needed: Int, bytes: [UInt8])
    }

    private static let maxSequenceLength = 32

    private var state = State.ground
    private var skipLineFeed = false

    /// True while a sequence is incomplete; a lone ESC only becomes `.escape` on `flush()`.
    var isAwaitingMore: Bool {
        if case .ground = state { return false }
        return true
    }

    /// Decodes `bytes`, keeping any incomplete sequence for the next call.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [EditorKey] {
        var keys: [EditorKey] = []
        for byte in bytes {
            decode(byte, into: &keys)
        }
        return keys
    }

    /// Ends a pending sequence after an input pause: a lone ESC becomes `.escape`, partial sequences are dropped.
    mutating func flush() -> [EditorKey] {
        defer { state = .ground }
        if case .escape = state { return [.escape] }
        return []
    }

    private mutating func decode(_ byte: UInt8, into keys: inout [EditorKey]) {
        switch state {
        case .ground:
            decodeGround(byte, into: &keys)
        case .escape:
            decodeAfterEscape(byte, into: &keys)
        case .csi(var parameters):
            if (0x40...0x7E).contains(byte) {
                state = .ground
                if let key = Self.csiKey(parameters: parameters, final: byte) { keys.append(key) }
            } else if (0x20...0x3F).contains(byte) {
                if parameters.count < Self.maxSequenceLength { parameters.append(byte) }
                state = .csi(parameters)
            } else {
                state = .ground
                decodeGround(byte, into: &keys)
            }
        case .ss3:
            state = .ground
            if let key = Self.cursorKey(final: byte, modifier: 1) {
                keys.append(key)
            } else if !(0x20...0x7E).contains(byte) {
                decodeGround(byte, into: &keys)
            }
        case .utf8(let needed, var bytes):
            guard byte & 0xC0 == 0x80 else {
                state = .ground
                decodeGround(byte, into: &keys)
                return
            }
            bytes.append(byte)
            guard bytes.count == needed else {
                state = .utf8(needed: needed, bytes: bytes)
                return
            }
            state = .ground
            if let text = String(validating: bytes, as: UTF8.self),
               let scalar = text.unicodeScalars.first,
               scalar.properties.generalCategory != .control {
                keys.append(.character(Character(scalar)))
            }
        }
    }

    private mutating func decodeGround(_ byte: UInt8, into keys: inout [EditorKey]) {
        if byte == 0x0A, skipLineFeed {
            skipLineFeed = false
            return
        }
        skipLineFeed = byte == 0x0D
        switch byte {
        case 0x1B: state = .escape
        case 0x0A, 0x0D: keys.append(.enter)
        case 0x20..<0x7F: keys.append(.character(Character(Unicode.Scalar(byte))))
        case 0xC2...0xDF: state = .utf8(needed: 2, bytes: [byte])
        case 0xE0...0xEF: state = .utf8(needed: 3, bytes: [byte])
        case 0xF0...0xF4: state = .utf8(needed: 4, bytes: [byte])
        default:
            if let key = Self.controlKey(byte) { keys.append(key) }
        }
    }

    private mutating func decodeAfterEscape(_ byte: UInt8, into keys: inout [EditorKey]) {
        state = .ground
        switch byte {
        case UInt8(ascii: "["): state = .csi([])
        case UInt8(ascii: "O"): state = .ss3
        case UInt8(ascii: "b"): keys.append(.wordLeft)
        case UInt8(ascii: "f"): keys.append(.wordRight)
        case 0x7F, 0x08: keys.append(.deleteWordBackward)
        default:
            keys.append(.escape)
            decodeGround(byte, into: &keys)
        }
    }

    private static func controlKey(_ byte: UInt8) -> EditorKey? {
        switch byte {
        case 0x01: .home
        case 0x02: .left
        case 0x03: .interrupt
        case 0x04: .controlD
        case 0x05: .end
        case 0x06: .right
        case 0x08, 0x7F: .backspace
        case 0x09: .tab
        case 0x0B: .killToEnd
        case 0x0C: .clearScreen
        case 0x0E: .down
        case 0x10: .up
        case 0x15: .killToStart
        case 0x17: .deleteWordBackward
        default: nil
        }
    }

    /// Maps `ESC [ params final`; xterm modifiers (`1;5C`) turn Ctrl/Alt arrows into word moves.
    private static func csiKey(parameters: [UInt8], final: UInt8) -> EditorKey? {
        let fields = String(decoding: parameters, as: UTF8.self)
            .split(separator: ";", omittingEmptySubsequences: false)
        if final == UInt8(ascii: "~") {
            switch fields.first.flatMap({ Int($0) }) {
            case 1, 7: return .home
            case 4, 8: return .end
            case 3: return .deleteForward
            default: return nil
            }
        }
        let modifier = fields.count > 1 ? Int(fields[1]) ?? 1 : 1
        return cursorKey(final: final, modifier: modifier)
    }

    private static func cursorKey(final: UInt8, modifier: Int) -> EditorKey? {
        let wordModifier = (modifier - 1) & 0b110 != 0
        switch final {
        case UInt8(ascii: "A"): return .up
        case UInt8(ascii: "B"): return .down
        case UInt8(ascii: "C"): return wordModifier ? .wordRight : .right
        case UInt8(ascii: "D"): return wordModifier ? .wordLeft : .left
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        default: return nil
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes Unix times as local `yyyy-mm-dd HH:MM:SS`, fast enough for million-row exports:
/// the text of the current local hour is kept and only minutes and seconds are computed.
struct LocalTimeText {
    /// Nil: the process's time zone (`TZ`, else the system's), as the C library reads it.
    private let timeZone: TimeZone?
    private var hourStart: Int64 = .min
    private var hourPrefix: [UInt8] = []

    init(timeZone: TimeZone? = nil) {
        self.timeZone = timeZone
    }

    mutating func append(_ unixSeconds: Int64, to line: inout ByteLine) {
        let t = unixSeconds
        if t < hourStart || t >= hourStart + 3600 {
            var parts = tm()
            if let timeZone {
                // The zone's wall clock is UTC moved by its offset at that instant.
                var time = time_t(t + Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))))
                gmtime_r(&time, &parts)
            } else {
                var time = time_t(t)
                localtime_r(&time, &parts)
            }
            hourStart = t - Int64(parts.tm_min) * 60 - Int64(parts.tm_sec)
            hourPrefix.removeAll(keepingCapacity: true)
            Self.appendPadded(Int(parts.tm_year) + 1900, width: 4, to: &hourPrefix)
            hourPrefix.append(UInt8(ascii: "-"))
            Self.appendPadded(Int(parts.tm_mon) + 1, width: 2, to: &hourPrefix)
            hourPrefix.append(UInt8(ascii: "-"))
            Self.appendPadded(Int(parts.tm_mday), width: 2, to: &hourPrefix)
            hourPrefix.append(UInt8(ascii: " "))
            Self.appendPadded(Int(parts.tm_hour), width: 2, to: &hourPrefix)
            hourPrefix.append(UInt8(ascii: ":"))
        }
        let offset = t - hourStart
        let m = UInt8(offset / 60)
        let s = UInt8(offset % 60)
        line.append(contentsOf: hourPrefix)
        line.append(48 + m / 10)
        line.append(48 + m % 10)
        line.append(UInt8(ascii: ":"))
        line.append(48 + s / 10)
        line.append(48 + s % 10)
    }

    /// `value` in decimal as printf's `%0<width>d` writes it: zeros after any minus sign.
    private static func appendPadded(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        var width = width
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            width -= 1
        }
        let digits = String(value.magnitude).utf8
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, width - digits.count)))
        bytes.append(contentsOf: digits)
    }
}

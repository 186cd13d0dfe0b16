import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Formats Unix times as local `yyyy-mm-dd HH:MM:SS`, fast enough for million-row exports:
/// the text of the current local hour is kept and only minutes and seconds are computed.
struct LocalTimeText {
    private var hourStart: Int = .min
    private var hourPrefix: [UInt8] = []

    mutating func format(_ date: Date) -> String {
        let t = Int(date.timeIntervalSince1970.rounded(.down))
        if t < hourStart || t >= hourStart + 3600 {
            var time = time_t(t)
            var parts = tm()
            localtime_r(&time, &parts)
            hourStart = t - Int(parts.tm_min) * 60 - Int(parts.tm_sec)
            hourPrefix = Array(
                String(
                    format: "%04d-%02d-%02d %02d:", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                    Int(parts.tm_hour)
                ).utf8)
        }
        let offset = t - hourStart
        let m = offset / 60
        let s = offset % 60
        var bytes = hourPrefix
        bytes += [
            UInt8(48 + m / 10), UInt8(48 + m % 10), UInt8(ascii: ":"), UInt8(48 + s / 10), UInt8(48 + s % 10),
        ]
        return String(decoding: bytes, as: UTF8.self)
    }
}

import Foundation

/// A command file's stamp at the last poll and when that stamp was first seen.
struct TXTSighting {
    var stamp: TXTStamp
    var since: Date
}

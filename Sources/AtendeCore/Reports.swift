import Foundation

/// Which agenda events a view shows.
public enum AgendaFilter: Sendable {
    case all, pending, done
}

/// Totals of a set of attendances, with calls per local hour (RP-5).
public struct AttendanceSummary: Sendable, Equatable {
    public var calls: Int
    public var byType: [CallType: Int]
    public var talkSeconds: Int
    public var waitSeconds: Int
    public var holdSeconds: Int
    /// Index 0…23: calls started in that local hour.
    public var perHour: [Int]

    public init(calls: Int, byType: [CallType: Int], talkSeconds: Int, waitSeconds: Int, holdSeconds: Int, perHour: [Int]) {
        self.calls = calls
        self.byType = byType
        self.talkSeconds = talkSeconds
        self.waitSeconds = waitSeconds
        self.holdSeconds = holdSeconds
        self.perHour = perHour
    }
}


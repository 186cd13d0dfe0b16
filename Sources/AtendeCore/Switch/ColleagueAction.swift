/// What a simulated colleague can be told to do (`sim agent NAME …`).
public enum ColleagueAction: Sendable, Equatable {
    case login, logout, pause, free, answer, hangup
    case call(String)
}

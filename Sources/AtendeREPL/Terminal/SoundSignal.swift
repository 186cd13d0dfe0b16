import Foundation

/// Rings for a call (CC-18): the terminal bell, or a WAV file played by the system's player.
/// It never waits for the sound: the REPL goes on at once.
enum SoundSignal {
    /// Players tried in order; the first one on the PATH plays the file.
    static let players = ["aplay", "paplay", "pw-play", "ffplay"]

    /// `setting` is the `sound` configuration: `bell` or `wav FILE.wav`.
    static func ring(_ setting: String) {
        guard setting.hasPrefix("wav "), let player = findPlayer() else {
            bell()
            return
        }
        let file = String(setting.dropFirst(4))
        let process = Process()
        process.executableURL = player
        process.arguments = player.lastPathComponent == "ffplay" ? ["-nodisp", "-autoexit", "-loglevel", "quiet", file] : [file]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        // No player could start: the bell still tells the agent.
        if (try? process.run()) == nil { bell() }
    }

    /// The terminal bell, written straight to the terminal so the line being typed stays as it is.
    static func bell() {
        FileHandle.standardOutput.write(Data("\u{7}".utf8))
    }

    static func findPlayer() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in players {
            for dir in path.split(separator: ":") {
                let url = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
        }
        return nil
    }
}

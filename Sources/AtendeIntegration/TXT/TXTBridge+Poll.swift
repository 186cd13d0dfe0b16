import Foundation

/// The outcome of looking at one command file during a scan.
enum TXTStep {
    /// Done with this file (executed, moved aside or vanished); go on with the next.
    case next
    /// Not ready yet; newer files wait for it.
    case wait
}

extension TXTBridge {
    /// One scan: stamps every command file, then handles them oldest first.
    func scan() {
        var present: [(name: String, sighting: TXTSighting, stable: Bool)] = []
        for name in Self.commandNames {
            switch TXTFileSystem.examine(path(name)) {
            case .missing:
                sightings[name] = nil
                reported.remove(name)
            case .failed(let code):
                reportOnce(name, "\(name) cannot be examined (\(TXTFileSystem.describe(code))).")
            case .found(let stamp):
                let previous = sightings[name]
                let stable = previous?.stamp == stamp
                let sighting = TXTSighting(stamp: stamp, since: stable ? previous!.since : now())
                sightings[name] = sighting
                present.append((name, sighting, stable))
            }
        }
        present.sort { a, b in
            let ka = (a.sighting.stamp.modifiedSeconds, a.sighting.stamp.modifiedNanoseconds)
            let kb = (b.sighting.stamp.modifiedSeconds, b.sighting.stamp.modifiedNanoseconds)
            if ka != kb { return ka < kb }
            return Self.commandNames.firstIndex(of: a.name)! < Self.commandNames.firstIndex(of: b.name)!
        }
        for item in present {
            if handle(item.name, item.sighting, stable: item.stable) == .wait { break }
        }
    }

    /// Decides what to do with one present command file.
    func handle(_ name: String, _ sighting: TXTSighting, stable: Bool) -> TXTStep {
        guard sighting.stamp.isRegular else {
            moveAside(name, reason: "is not a regular file")
            return .next
        }
        switch name {
        case "LA.txt": execute(name) { _ in .answer }
        case "LD.txt": execute(name) { _ in .hangup }
        default: return handleDial(name, sighting, stable: stable)
        }
        return .next
    }

    /// Dials once `LS.txt` holds a number and has not changed since the previous poll.
    func handleDial(_ name: String, _ sighting: TXTSighting, stable: Bool) -> TXTStep {
        switch readNumber(path(name)) {
        case .failure(let problem) where problem.isUnreadable:
            moveAside(name, reason: problem.reason)
            return .next
        case .failure(let problem):
            guard now().timeIntervalSince(sighting.since) >= Self.staleAfter else { return .wait }
            moveAside(name, reason: "\(problem.reason) after \(Int(Self.staleAfter)) s")
            return .next
        case .success:
            guard stable else { return .wait }
            execute(name) { claimed in
                switch readNumber(claimed) {
                case .success(let number): return .dial(number)
                case .failure(let problem):
                    log("\(name) changed while being claimed and \(problem.reason); not dialled.")
                    return nil
                }
            }
            return .next
        }
    }

    /// Claims a command file, runs the command `make` builds from the claimed path, then deletes it.
    func execute(_ name: String, _ make: (String) -> TXTCommand?) {
        let claimed = uniquePath("\(name).processing-")
        if let code = TXTFileSystem.rename(path(name), claimed) {
            if code != ENOENT {
                reportOnce(name, "\(name) could not be claimed (\(TXTFileSystem.describe(code))).")
            }
            return
        }
        sightings[name] = nil
        reported.remove(name)
        if let command = make(claimed) {
            log(describe(command, from: name))
            onCommand(command)
            if let code = TXTFileSystem.unlink(claimed) {
                log("\(name) was executed but its claimed copy could not be deleted (\(TXTFileSystem.describe(code))).")
            }
        } else {
            let rejected = uniquePath("\(name).rejected-")
            _ = TXTFileSystem.rename(claimed, rejected)
        }
    }

    /// Moves a file that will never be valid to `<name>.rejected-<unix-ms>` and says why.
    func moveAside(_ name: String, reason: String) {
        let target = uniquePath("\(name).rejected-")
        if let code = TXTFileSystem.rename(path(name), target) {
            if code == ENOENT { sightings[name] = nil; return }
            reportOnce(name, "\(name) \(reason) and could not be moved aside (\(TXTFileSystem.describe(code))).")
            return
        }
        sightings[name] = nil
        reported.remove(name)
        log("\(name) \(reason); moved aside to \((target as NSString).lastPathComponent).")
    }

    /// Reads and normalises the number in a dial file.
    func readNumber(_ file: String) -> Result<String, TXTDialProblem> {
        switch TXTFileSystem.read(file, limit: Self.maxCommandBytes) {
        case .failure(let error):
            return .failure(.unreadable(TXTFileSystem.describe(error.code)))
        case .success(let bytes):
            if bytes.count > Self.maxCommandBytes { return .failure(.invalid("is larger than \(Self.maxCommandBytes) bytes")) }
            let text = String(decoding: bytes, as: UTF8.self)
            if text.allSatisfy({ TXTNumber.separators.contains($0) }) { return .failure(.invalid("is empty")) }
            guard let number = TXTNumber.normalise(text) else { return .failure(.invalid("holds no valid number")) }
            return .success(number)
        }
    }

    /// The log line for an executed command.
    func describe(_ command: TXTCommand, from name: String) -> String {
        switch command {
        case .answer: "\(name): answering the call."
        case .hangup: "\(name): hanging up the call."
        case .dial(let number): "\(name): dialling \(TXTNumber.redacted(number))."
        }
    }

    /// Logs `message` once until the file named `key` goes away or is handled.
    func reportOnce(_ key: String, _ message: String) {
        if reported.insert(key).inserted { log(message) }
    }

    /// The full path of a file in the extension folder.
    func path(_ name: String) -> String {
        "\(folder.path)/\(name)"
    }

    /// `prefix<unix-ms>` in the folder, with a counter appended if that name is taken.
    func uniquePath(_ prefix: String) -> String {
        let base = path("\(prefix)\(Int64((now().timeIntervalSince1970 * 1000).rounded(.down)))")
        var candidate = base
        var counter = 1
        while TXTFileSystem.exists(candidate) {
            counter += 1
            candidate = "\(base)-\(counter)"
        }
        return candidate
    }
}

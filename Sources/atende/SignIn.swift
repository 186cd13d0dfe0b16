import AtendeCore
import AtendeREPL
import AtendeWorkstation
import Foundation
import Glibc

/// The login of the commands that run outside the REPL (`export`, `import`, `admin registry load`):
/// `--user NICKNAME`, and the password asked on the terminal without echo (the prompt on standard
/// error, so an export to standard output stays clean) or read from the first line of standard input.
enum SignIn {
    static func agent(_ user: String?, command: String, boot: Bootstrap) async throws -> Agent {
        guard let user, !user.isEmpty else { throw AtendeError.signInNeeded(command: command) }
        guard let password = readPassword(prompt: boot.catalogue.text(.signInPrompt(user: user))) else {
            throw AtendeError.signInNeeded(command: command)
        }
        return try await boot.workstation.authenticate(nickname: user, password: password)
    }

    /// A line from standard input; on a terminal, typed without echo after `prompt` on standard error.
    static func readPassword(prompt: String) -> String? {
        guard isatty(0) != 0 else { return Swift.readLine(strippingNewline: true).map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 } }
        FileHandle.standardError.write(Data(prompt.utf8))
        var original = termios()
        let saved = tcgetattr(0, &original) == 0
        if saved {
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSAFLUSH, &silent)
        }
        defer {
            if saved { tcsetattr(0, TCSAFLUSH, &original) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return Swift.readLine(strippingNewline: true)
    }
}

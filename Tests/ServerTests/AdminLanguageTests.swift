import AtendeCore
import Foundation
import Testing
import TestSupport

/// `atende admin …` speaks the language of `--lang`, else of `LANG`, like the REPL: its lines come
/// from the catalogue, in pt-BR and English.
@Suite(.serialized, .timeLimit(.minutes(2))) struct AdminLanguageTests {
    /// A server that does not answer is said as an admin needs it: the address, and what to check.
    @Test func anUnreachableServerIsNamedWithWhatToCheck() throws {
        // A server that was there and stopped: nobody listens on its port now.
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url)
        let port = server.port
        _ = server.terminate()
        let address = ["--server", "127.0.0.1:\(port)", "--user", "intelbras"]
        let en = try AtendeBinary.run(["admin", "agents", "list", "--lang", "en"] + address, input: "Segredo-123\n")
        #expect(en.status == 1)
        #expect(en.errorLines == ["error: the server 127.0.0.1:\(port) cannot be reached: check the address (--server) and that `atende server` runs there."])
        let pt = try AtendeBinary.run(["admin", "call", "4832819500", "Suporte", "--lang", "pt"] + address, input: "Segredo-123\n")
        #expect(pt.status == 1)
        #expect(pt.errorLines == ["erro: o servidor 127.0.0.1:\(port) não responde: confira o endereço (--server) e se o `atende server` está rodando lá."])
    }

    @Test func anAdminCommandsErrorAndSuccessInPortuguese() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url)
        defer { _ = server.terminate() }
        let address = ["--server", "127.0.0.1:\(server.port)", "--user", "intelbras"]
        let pt = ["LANG": "pt_BR.UTF-8"]

        let added = try AtendeBinary.run(
            ["admin", "agents", "add", "maria", "--name", "Maria Souza", "--extension", "2090", "--groups", "ativas"] + address,
            input: "Segredo-123\n", environment: pt)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout == "Agente maria criado (versão 2 do cadastro).\n")

        let badAction = try AtendeBinary.run(["admin", "groups", "rename", "ativas"] + address, input: "Segredo-123\n", environment: pt)
        #expect(badAction.status == 1)
        #expect(badAction.errorLines == ["erro: a ação deve ser uma de list, show, add, edit, remove, não \"rename\"."])

        // The server's refusal, framed in Portuguese (its reason as the server gives it); nothing changed.
        let refused = try AtendeBinary.run(
            ["admin", "groups", "remove", "receptivas"] + address, input: "Segredo-123\n", environment: pt)
        #expect(refused.status == 1)
        #expect(refused.errorLines.count == 1)
        #expect(refused.stderr.hasPrefix("erro: pedido recusado: ") && refused.stderr.contains("Nada foi alterado."), "\(refused.stderr)")

        // A wrong password reads as the workstation's login says it; `--lang en` wins over LANG.
        let wrong = try AtendeBinary.run(["admin", "audit"] + address, input: "errada\n", environment: pt)
        #expect(wrong.status == 1)
        #expect(wrong.errorLines.first?.hasPrefix("erro: senha incorreta") == true, "\(wrong.stderr)")
        let english = try AtendeBinary.run(["admin", "sim", "traffic", "999", "--lang", "en"] + address, environment: pt)
        #expect(english.errorLines == ["error: RATE \"999\" must be 0 to 120 calls a minute (0 stops the traffic). Nothing was changed."])
        let portuguese = try AtendeBinary.run(["admin", "sim", "traffic", "999"] + address, environment: pt)
        #expect(portuguese.errorLines == ["erro: TAXA \"999\" deve ser de 0 a 120 chamadas por minuto (0 para o tráfego). Nada foi alterado."])
    }

    @Test func theServersLinesInPortuguese() throws {
        let tmp = try TemporaryDirectory()
        let r = try AtendeBinary.run(["server", "--port", "70000", "--data-dir", tmp.url.path, "--lang", "pt"])
        #expect(r.status == 2)
        #expect(r.errorLines == ["erro: --port deve ser de 0 a 65535."])
    }
}


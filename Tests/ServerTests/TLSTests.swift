import AtendeCore
import AtendeRemote
import Foundation
import Testing
import TestSupport

/// `atende server --tls-cert --tls-key`: HTTPS and WSS on one port, with a self-signed
/// certificate made for the test by `openssl`; the clients trust it with `--ca-cert`.
@Suite(.serialized, .timeLimit(.minutes(3))) struct TLSTests {
    /// A self-signed certificate for `localhost` and 127.0.0.1 and its key, in `dir`.
    static func certificate(in dir: URL, name: String = "server") throws -> (cert: String, key: String) {
        let cert = dir.appendingPathComponent("\(name).crt.pem").path
        let key = dir.appendingPathComponent("\(name).key.pem").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ServerFixtureError.didNotStart("openssl failed") }
        return (cert, key)
    }

    @Test func aTLSServerIsReachedByTheWorkstationAndAdminOverHTTPSAndWSS() async throws {
        let tmp = try TemporaryDirectory()
        let (cert, key) = try Self.certificate(in: tmp.url)
        let server = try RunningServer(
            dir: tmp.url.appendingPathComponent("server"), arguments: ["--tls-cert", cert, "--tls-key", key], caCertificate: cert)
        defer { _ = server.terminate() }
        let https = "https://127.0.0.1:\(server.port)"

        // A real workstation logs in over HTTPS and follows the switch over WSS: a queue call rings there.
        let fabio = try RunningAtende([
            "--data-dir", tmp.url.appendingPathComponent("fabio").path, "--lang", "en", "--server", https, "--ca-cert", cert,
            "--transfer", "off", "--keep-going",
        ])
        defer { fabio.process.terminate() }
        fabio.type("login fabio receptivas")
        fabio.type("Segredo-123")
        fabio.type("Segredo-123")
        #expect(fabio.waitFor("Welcome, Fabio", timeout: 20), "\(fabio.stdout)\n\(fabio.stderr)")
        let call = try AtendeBinary.run(
            ["admin", "call", "4832819500", "Suporte", "--server", https, "--ca-cert", cert, "--user", "intelbras"], input: "Segredo-123\n")
        #expect(call.status == 0, "\(call.stderr)")
        #expect(fabio.waitFor("Ringing: Suporte"))

        // A real `atende admin agents list` over HTTPS.
        let listed = try AtendeBinary.run(
            ["admin", "agents", "list", "--server", https, "--user", "intelbras"], input: "Segredo-123\n",
            environment: ["ATENDE_CA_CERT": cert])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("fabio  2050  "))

        // Without the CA the certificate is not trusted: one clear line, exit 1.
        let untrusted = try AtendeBinary.run(["admin", "agents", "list", "--server", https, "--user", "intelbras"], input: "Segredo-123\n")
        #expect(untrusted.status == 1)
        #expect(untrusted.errorLines == [
            "error: the certificate of the server \(https) is not signed by a trusted CA (or is not for this address). "
                + "Give its CA with --ca-cert FILE (or `config server.ca-cert FILE`).",
        ])
        // Nor does a workstation without it log in; it says why.
        let luan = try AtendeBinary.run(
            ["--data-dir", tmp.url.appendingPathComponent("luan").path, "--lang", "en", "--server", https, "--transfer", "off"],
            input: "login luan receptivas\nSegredo-123\nSegredo-123\n")
        #expect(luan.stderr.contains("error: the certificate of the server \(https) is not signed by a trusted CA"), "\(luan.stderr)")
        #expect(!luan.stdout.contains("Welcome"))

        // Plain HTTP to the TLS port fails cleanly, and the server goes on serving.
        let plain = try AtendeBinary.run(
            ["admin", "agents", "list", "--server", "127.0.0.1:\(server.port)", "--user", "intelbras"], input: "Segredo-123\n")
        #expect(plain.status == 1)
        #expect(plain.errorLines == [
            "error: the server 127.0.0.1:\(server.port) did not answer in this protocol: if it serves TLS, give its address as "
                + "https://HOST:PORT; if not, without https://.",
        ])
        #expect(try await server.login("intelbras").agent.role == .admin)

        // The key is never written out: not in the server's logs.
        let keyBody = try String(contentsOfFile: key, encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        #expect(!keyBody.isEmpty)
        #expect(!server.process.stderr.contains(String(keyBody.prefix(40))))
        #expect(!server.process.stdout.contains(String(keyBody.prefix(40))))
    }

    /// `config server.host https://…` and `config server.ca-cert FILE`, read at the next start.
    @Test func theWorkstationsConfigurationNamesTheTLSServerAndItsCA() async throws {
        let tmp = try TemporaryDirectory()
        let (cert, key) = try Self.certificate(in: tmp.url)
        let server = try RunningServer(
            dir: tmp.url.appendingPathComponent("server"), arguments: ["--tls-cert", cert, "--tls-key", key], caCertificate: cert)
        defer { _ = server.terminate() }
        let data = tmp.url.appendingPathComponent("fabio").path
        let setup = try AtendeBinary.run(
            ["--data-dir", data, "--lang", "en"],
            input: "login fabio receptivas\nSegredo-123\nSegredo-123\nconfig server.host https://127.0.0.1\n"
                + "config server.port \(server.port)\nconfig server.ca-cert \(cert)\n")
        #expect(setup.status == 0, "\(setup.stderr)")
        let online = try AtendeBinary.run(
            ["--data-dir", data, "--lang", "en"], input: "login fabio receptivas\nSegredo-123\nSegredo-123\nstatus\n")
        #expect(online.stdout.contains("Welcome, Fabio"), "\(online.stdout)\n\(online.stderr)")
        #expect(online.stdout.contains("server https://127.0.0.1:\(server.port) online"), "\(online.stdout)")
        // A CA file that cannot be read stops the workstation's start with one line.
        let bad = try AtendeBinary.run(["--data-dir", data, "--lang", "en"], input: "status\n", environment: ["ATENDE_CA_CERT": "/nonexistent/ca.pem"])
        #expect(bad.status == 2)
        #expect(bad.errorLines == [
            "error: ATENDE_CA_CERT /nonexistent/ca.pem: the file does not exist or is not PEM. Give the path of a readable PEM file; nothing was started.",
        ])
    }

    /// A TLS address for a plain server is refused as clearly as the other way round.
    @Test func httpsToAPlainServerFailsCleanly() async throws {
        let tmp = try TemporaryDirectory()
        let server = try RunningServer(dir: tmp.url)
        defer { _ = server.terminate() }
        let r = try AtendeBinary.run(
            ["admin", "agents", "list", "--server", "https://127.0.0.1:\(server.port)", "--user", "intelbras"], input: "Segredo-123\n")
        #expect(r.status == 1)
        #expect(r.errorLines == [
            "error: the server https://127.0.0.1:\(server.port) did not answer in this protocol: if it serves TLS, give its address as "
                + "https://HOST:PORT; if not, without https://.",
        ])
    }

    @Test func aBadCertificateOrKeyIsOneLineExitTwoAndNothingStarts() throws {
        let tmp = try TemporaryDirectory()
        let (cert, key) = try Self.certificate(in: tmp.url)
        let (_, otherKey) = try Self.certificate(in: tmp.url, name: "other")
        let data = tmp.url.appendingPathComponent("server")
        func start(_ tls: [String]) throws -> RunResult {
            try AtendeBinary.run(["server", "--port", "0", "--data-dir", data.path] + tls)
        }
        let cases: [([String], String)] = [
            (["--tls-cert", tmp.url.appendingPathComponent("none.pem").path, "--tls-key", key],
             "error: --tls-cert \(tmp.url.appendingPathComponent("none.pem").path): the file does not exist or is not PEM."),
            (["--tls-cert", cert, "--tls-key", cert], "error: --tls-key \(cert): the file does not exist or is not PEM."),
            (["--tls-cert", cert, "--tls-key", otherKey], "error: the key \(otherKey) is not the one of the certificate \(cert)."),
            (["--tls-cert", cert], "error: TLS needs both --tls-cert and --tls-key"),
        ]
        for (tls, line) in cases {
            let r = try start(tls)
            #expect(r.status == 2, "\(tls): \(r.stdout) \(r.stderr)")
            #expect(r.errorLines.count == 1 && r.errorLines[0].hasPrefix(line), "\(tls): \(r.stderr)")
            #expect(!r.stdout.contains("listening"))
        }
        // Nothing started: not even the data folder.
        #expect(!FileManager.default.fileExists(atPath: data.path))
        // A CA file that cannot be read stops a client at once.
        let ca = try AtendeBinary.run(
            ["admin", "agents", "list", "--server", "https://127.0.0.1:1", "--ca-cert", "/nonexistent/ca.pem", "--user", "intelbras"])
        #expect(ca.status == 2)
        #expect(ca.errorLines == ["error: --ca-cert /nonexistent/ca.pem: the file does not exist or is not PEM. Give the path of a readable PEM file; nothing was started."])
    }
}

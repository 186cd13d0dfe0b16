public import AtendeCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif
public import NIOSSL

extension ServerAddress {
    /// The client's TLS for this server: nil over plain HTTP; else full verification against the
    /// system's CAs, or only against `caCertificate` when one is given (as `curl --cacert` does).
    public func clientTLS() throws(AtendeError) -> TLSConfiguration? {
        guard tls else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caCertificate {
            guard let roots = try? NIOSSLCertificate.fromPEMFile(caCertificate), !roots.isEmpty else {
                throw AtendeError.tlsFileUnreadable(option: "--ca-cert", path: caCertificate)
            }
            configuration.trustRoots = .certificates(roots)
        }
        return configuration
    }

    /// Checks, before anything starts, that the CA file (if any) can be read; `source` names where
    /// it was given (`--ca-cert`, `ATENDE_CA_CERT`, `server.ca-cert`) for the refusal.
    public func checkTrust(source: String) throws(AtendeError) {
        do {
            _ = try clientTLS()
        } catch {
            throw AtendeError.tlsFileUnreadable(option: source, path: caCertificate ?? "")
        }
    }

    /// The name sent in the TLS handshake (SNI). An IP address may not be sent: the certificate is
    /// then checked against the address connected to (its IP subject alternative names) and the
    /// name sent is one no public CA issues (RFC 6761's `.invalid`), so it matches nothing real.
    var sniHostname: String? { Self.isIPAddress(host) ? "atende-server.invalid" : nil }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}

public import AtendeCore
import NIOSSL

/// The server's TLS (SV-6): its certificate chain and private key, both PEM, read and checked
/// before anything starts. For example:
/// ```swift
/// let tls = try ServerTLS.load(certificate: "/etc/atende/cert.pem", key: "/etc/atende/key.pem")
/// let server = try CallCenterServer(ServerConfiguration(dataDir: dir, seedRegistry: registry, tls: tls), logger: logger)
/// ```
public struct ServerTLS: Sendable {
    public let certificate: String
    public let key: String
    let configuration: TLSConfiguration

    /// The pair at these paths: a file that cannot be read as PEM, or a key that is not the
    /// certificate's, is refused (the key's content is never shown).
    public static func load(certificate: String, key: String) throws(AtendeError) -> ServerTLS {
        guard let chain = try? NIOSSLCertificate.fromPEMFile(certificate), !chain.isEmpty else {
            throw .tlsFileUnreadable(option: "--tls-cert", path: certificate)
        }
        guard let privateKey = try? NIOSSLPrivateKey(file: key, format: .pem) else {
            throw .tlsFileUnreadable(option: "--tls-key", path: key)
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
        // The context checks that the key is the leaf certificate's.
        guard (try? NIOSSLContext(configuration: configuration)) != nil else {
            throw .tlsKeyMismatch(certificate: certificate, key: key)
        }
        return ServerTLS(certificate: certificate, key: key, configuration: configuration)
    }
}

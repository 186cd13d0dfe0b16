public import AtendeCore
public import AtendeWorkstation
public import Logging

/// The call-center server a workstation logs in to: HTTP for the login, a WebSocket for the switch.
public struct RemoteGateway: ServerGateway {
    public let server: ServerAddress
    let client: ServerClient
    let logger: Logger

    public init(server: ServerAddress, logger: Logger) {
        self.server = server
        client = ServerClient(server: server)
        self.logger = logger
    }

    public var address: String { server.description }

    /// No password is hashed for it: a server that has not answered within 15 s is taken as out
    /// of reach, and the agent logs in offline without waiting longer.
    public func loginStep(agent: String) async throws(ServerProblem) -> LoginStep {
        try await ServerClient(server: server, timeout: 15).loginStep(agent: agent) ? .createPassword : .password
    }

    public func open(agent: String, password: String) async throws(ServerProblem) -> ServerSession {
        let login = try await client.login(agent: agent, password: password)
        let link = RemoteSwitchLink(server: server, token: login.token, logger: logger)
        await link.start()
        guard await link.isConnected else {
            await link.stop()
            throw ServerProblem(.refused, "the switch of \(server) cannot be reached")
        }
        let client = client
        return ServerSession(
            login: login, link: link,
            close: {
                await link.stop()
                try? await client.logout(token: login.token)
            },
            changePassword: { current, new throws(ServerProblem) in
                try await client.changePassword(current: current, new: new, token: login.token)
            },
            registryChanges: { await link.registryChanges() },
            syncChanges: { await link.syncChanges() },
            fetchRegistry: { () throws(ServerProblem) in try await client.registry(token: login.token) },
            sync: ServerSyncTransport(client: client, token: login.token))
    }
}

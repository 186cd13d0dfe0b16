import AtendeCore
import Testing

/// The registry's rules for an admin's change (SV-2), as `Registry.applying` and `validate` keep them.
struct RegistryChangeTests {
    let registry = Registry(
        groups: [Group(name: "receptivas", title: "Receptivas"), Group(name: "ativas", title: "Ativas")],
        services: [Service(number: "40009938", name: "Suporte", group: "receptivas")],
        agents: [Agent(nickname: "luan", name: "Luan", extension: "2071", groups: ["receptivas"])],
        pauseReasons: [PauseReason(name: "Café", kind: .eventual)],
        qualificationCodes: [QualificationCode(code: "INFO", label: "Informação")],
        recordingReasons: [RecordingReason(code: "QUALIDADE", label: "Monitoria")])

    func refusal(_ change: RegistryChange) -> String? {
        do {
            try registry.applying(change).validate()
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aGoodChangeIsAppliedAndKeepsTheRules() throws {
        let maria = Agent(nickname: "maria", name: "Maria", extension: "2090", groups: ["ativas"], role: .supervisor)
        let next = try registry.applying(.add(.agent(maria)))
        try next.validate()
        #expect(next.agent("MARIA") == maria)
        let disabled = try next.applying(.disableAgent("maria"))
        #expect(disabled.agent("maria")?.disabled == true)
        #expect(try disabled.applying(.enableAgent("maria")).agent("maria")?.disabled == false)
        #expect(try registry.applying(.resetPassword("luan")) == registry)
        #expect(try registry.applying(.remove(.group, key: "ATIVAS")).groups.map(\.name) == ["receptivas"])
        #expect(RegistryChange.add(.pauseReason(PauseReason(name: "x", kind: .eventual))).action == "pause-reason.add")
        #expect(RegistryChange.add(.group(Group(name: "vip", title: "VIP"))).detail == #"vip {"name":"vip","title":"VIP"}"#)
        #expect(RegistryChange.disableAgent("luan").detail == "luan")
    }

    @Test func aBadChangeIsRefusedSayingWhereAndWhat() {
        let zeca = Agent(nickname: "zeca", name: "Zeca", extension: "2099", groups: ["vendas"])
        #expect(refusal(.add(.agent(zeca))) == "agent zeca: unknown group \"vendas\"")
        var twin = zeca
        twin.groups = ["ativas"]
        twin.extension = "2071"
        #expect(refusal(.add(.agent(twin))) == "agents' extensions: \"2071\" appears twice")
        twin.groups = []
        twin.extension = "2099"
        #expect(refusal(.add(.agent(twin))) == "agent zeca: an agent needs at least one group")
        #expect(refusal(.add(.agent(Agent(nickname: "LUAN", name: "L", extension: "1", groups: ["ativas"])))) == "agent LUAN: already exists; use edit to change it")
        #expect(refusal(.edit(.group(Group(name: "vip", title: "VIP")))) == "group vip: no such group")
        #expect(refusal(.remove(.group, key: "receptivas")) == "agent luan: unknown group \"receptivas\"")
        #expect(refusal(.remove(.agent, key: "luan")) == "agent luan: agents are disabled, not removed (their records stay)")
        #expect(refusal(.add(.pauseReason(PauseReason(name: "Pesquisa", kind: .productive)))) == "pause reason Pesquisa: a productive pause needs a code")
        #expect(refusal(.add(.service(Service(number: "40009938", name: "Vendas", group: "ativas")))) == "services' numbers: \"40009938\" appears twice")
        #expect(refusal(.disableAgent("ninguem")) == "agent ninguem: no such agent")
        #expect(refusal(.remove(.recordingReason, key: "OUVIDORIA")) == "recording-reason OUVIDORIA: no such recording reason")
    }
}

public import AtendeCore
public import AtendeStore
public import Foundation

/// Fills a store with a realistic, repeatable history for benchmarks and demos (issue: store
/// performance): attendances over two years, contacts with Brazilian names and phones in mixed
/// formats, losses, agenda events and notes. The same arguments give the same records.
///
/// For example:
/// ```swift
/// try HistoryGenerator(seed: 42).generate(into: store, attendances: 1_000_000, contacts: 200_000, registry: registry) { _ in }
/// ```
public struct HistoryGenerator {
    var random: SeededRandom
    let end: Date

    public init(seed: UInt64, end: Date = Date(timeIntervalSince1970: 1_790_000_000)) {
        random = SeededRandom(seed: seed)
        self.end = end
    }

    static let firstNames = [
        "Maria", "José", "Ana", "João", "Antônio", "Francisca", "Carlos", "Paulo", "Adriana", "Lucas", "Juliana", "Marcos",
        "Patrícia", "Pedro", "Aline", "Rafael", "Fernanda", "Luiz", "Camila", "Gabriel", "Beatriz", "Bruno", "Letícia", "Thiago",
    ]
    static let surnames = [
        "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes", "Costa", "Ribeiro",
        "Martins", "Carvalho", "Almeida", "Lopes", "Soares", "Fernandes", "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento",
    ]
    static let companies = [
        "Intelbras", "Padaria Pão Quente", "Construtora Horizonte", "Farmácia Vida", "Auto Peças Sul", "Escola Saber",
        "Clínica Bem Estar", "Mercado Central", "Transportes Rápido", "Tech Floripa", "Hotel Beira-Mar", "Contabilidade Exata",
    ]
    static let areaCodes = ["48", "48", "48", "47", "11", "21", "41", "51", "61", "31"]

    /// Writes the history in batches; `progress` gets the number of records written so far.
    public mutating func generate(
        into store: Store, attendances: Int, contacts: Int, registry: Registry, progress: (Int) -> Void
    ) throws {
        try store.bulkWriting { try write(into: store, attendances: attendances, contacts: contacts, registry: registry, progress: progress) }
    }

    private mutating func write(
        into store: Store, attendances: Int, contacts: Int, registry: Registry, progress: (Int) -> Void
    ) throws {
        var written = 0
        var batch: [Contact] = []
        var phones: [(String, String)] = []  // (e164, name) for attendances to refer to
        for _ in 0..<contacts {
            let c = contact()
            if let e164 = c.phones.first?.e164, phones.count < 50_000 { phones.append((e164, c.name)) }
            batch.append(c)
            if batch.count == 5_000 {
                try store.contacts.addAll(batch, queueForSync: false)
                written += batch.count
                batch.removeAll(keepingCapacity: true)
                progress(written)
            }
        }
        try store.contacts.addAll(batch, queueForSync: false)
        written += batch.count
        let agents = registry.agents.isEmpty ? [Agent(nickname: "fabio", name: "Fabio", extension: "2050", groups: ["receptivas"])] : registry.agents
        let services = registry.services
        let codes = registry.qualificationCodes.map(\.code)
        let span = 2 * 365 * 86_400.0
        let start = end.addingTimeInterval(-span)
        var calls: [Attendance] = []
        for i in 0..<attendances {
            // Spread evenly over two years, jittered within the step, during business hours.
            let day = Double(i) / Double(max(attendances, 1)) * span
            var t = start.addingTimeInterval(day)
            let secondsIntoDay = t.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400)
            t = t.addingTimeInterval(-secondsIntoDay + 11 * 3600 + Double(random.next(upTo: 10 * 3600)))
            let agent = agents[random.next(upTo: agents.count)]
            let kind = random.next(upTo: 10)
            let type: CallType = kind < 6 ? .inbound : kind < 9 ? .outbound : .internal
            let known = !phones.isEmpty && random.next(upTo: 3) == 0
            let (phone, name) = known ? phones[random.next(upTo: phones.count)] : (randomPhone(), nil)
            let service = type == .inbound && !services.isEmpty ? services[random.next(upTo: services.count)] : nil
            let wait = type == .inbound ? random.next(upTo: 90) : 0
            let talk = 20 + random.next(upTo: 600)
            let hold = random.next(upTo: 4) == 0 ? random.next(upTo: 120) : 0
            let answered = t.addingTimeInterval(Double(wait))
            var recordings: [Recording] = []
            if random.next(upTo: 20) == 0 { recordings.append(Recording(reason: "QUALIDADE", comment: nil, startOffset: 5, stopOffset: talk)) }
            calls.append(Attendance(
                id: random.uuid(), type: type, service: service?.name,
                phone: type == .internal ? agents[random.next(upTo: agents.count)].extension : phone, contactName: type == .internal ? nil : name,
                agent: agent.nickname, group: service?.group ?? agent.groups.first ?? "receptivas", extension: agent.extension,
                queuedAt: type == .inbound ? t : nil, ringingAt: t, answeredAt: answered,
                endedAt: answered.addingTimeInterval(Double(talk)), talkSeconds: talk, waitSeconds: wait, holdSeconds: hold,
                endedBy: random.next(upTo: 2) == 0 ? .agent : .customer,
                qualification: codes.isEmpty || type == .internal ? nil : codes[random.next(upTo: codes.count)],
                recordings: recordings))
            if calls.count == 5_000 {
                try store.attendances.addAll(calls, queueForSync: false)
                written += calls.count
                calls.removeAll(keepingCapacity: true)
                progress(written)
            }
        }
        try store.attendances.addAll(calls, queueForSync: false)
        written += calls.count
        written += try extras(into: store, agents: agents, services: services, count: attendances / 500)
        progress(written)
    }

    /// Losses, agenda events and notes, a few per thousand calls.
    private mutating func extras(into store: Store, agents: [Agent], services: [Service], count: Int) throws -> Int {
        // A loss's day is the store's, as the calls' and the agenda's are.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = store.timeZone
        for i in 0..<count {
            let at = end.addingTimeInterval(-Double(random.next(upTo: 2 * 365 * 86_400)))
            let c = calendar.dateComponents([.year, .month, .day], from: at)
            if let service = services.isEmpty ? nil : services[random.next(upTo: services.count)] {
                try store.losses.record(
                    service: service.name, phone: randomPhone(), contactName: nil, group: service.group,
                    day: String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!), at: at,
                    place: random.next(upTo: 2) == 0 ? .queue : .agent)
            }
            let agent = agents[i % agents.count]
            try store.agenda.add(AgendaEvent(
                id: random.uuid(), group: agent.groups.first ?? "receptivas", agent: agent.nickname,
                name: "Retornar " + Self.firstNames[random.next(upTo: Self.firstNames.count)], phone: randomPhone(),
                startsAt: at, endsAt: at.addingTimeInterval(1800), doneAt: random.next(upTo: 3) == 0 ? nil : at, createdBy: agent.nickname))
            try store.notes.add(agent: agent.nickname, text: "Lembrete \(i): ligar para " + Self.companies[random.next(upTo: Self.companies.count)])
        }
        return count * 3
    }

    mutating func contact() -> Contact {
        let name = Self.firstNames[random.next(upTo: Self.firstNames.count)] + " "
            + Self.surnames[random.next(upTo: Self.surnames.count)] + " " + Self.surnames[random.next(upTo: Self.surnames.count)]
        let e164 = randomPhone()
        let n = try! PhoneNumber.parse(e164, areaCode: "48")
        // Mixed formats, as people type them: (48) 3281-9500, 48 32819500, +55 48 3281 9500.
        let text: String
        switch random.next(upTo: 3) {
        case 0: text = "(\(n.areaCode)) \(n.subscriber.prefix(n.subscriber.count - 4))-\(n.subscriber.suffix(4))"
        case 1: text = "\(n.areaCode) \(n.subscriber)"
        default: text = "+55 \(n.areaCode) \(n.subscriber.prefix(4)) \(n.subscriber.dropFirst(4))"
        }
        let company = random.next(upTo: 2) == 0 ? Self.companies[random.next(upTo: Self.companies.count)] : nil
        return Contact(id: random.uuid(), name: name, company: company, phones: [ContactPhone(text: text, e164: n.e164)])
    }

    mutating func randomPhone() -> String {
        let area = Self.areaCodes[random.next(upTo: Self.areaCodes.count)]
        let mobile = random.next(upTo: 2) == 0
        var digits = mobile ? "9" : String(2 + random.next(upTo: 4))
        for _ in 0..<(mobile ? 8 : 7) { digits += String(random.next(upTo: 10)) }
        return "+55" + area + digits
    }
}

/// SplitMix64 (``SplitMix64``): small, fast and the same on every machine for a seed.
public struct SeededRandom: Sendable {
    private var mix: SplitMix64

    public init(seed: UInt64) { mix = SplitMix64(state: seed) }

    public mutating func next() -> UInt64 { mix.next() }

    /// A number in `0..<bound`.
    public mutating func next(upTo bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }

    public mutating func uuid() -> UUID {
        let a = next()
        let b = next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * UInt64(i)))
            bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (8 * UInt64(i)))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

public import AtendeCore
import AtendeStore
import Foundation

/// The longest note the notice board keeps.
let maximumNoteLength = 4000

extension Workstation {
    @discardableResult
    public func addNote(_ text: String) throws -> Note {
        let session = try requireSession()
        return try store.notes.add(agent: session.agent.nickname, text: try Self.noteText(text))
    }

    @discardableResult
    public func editNote(_ number: Int, _ text: String) throws -> Note {
        let session = try requireSession()
        guard let note = try store.notes.edit(agent: session.agent.nickname, number: number, text: try Self.noteText(text))
        else { throw AtendeError.noSuchNote(number) }
        return note
    }

    @discardableResult
    public func removeNote(_ number: Int) throws -> Note {
        let session = try requireSession()
        guard let note = try store.notes.remove(agent: session.agent.nickname, number: number) else {
            throw AtendeError.noSuchNote(number)
        }
        return note
    }

    public func notes() throws -> [Note] {
        try store.notes.list(agent: try requireSession().agent.nickname)
    }

    static func noteText(_ text: String) throws(AtendeError) -> String {
        let t = text.trimmingSpaces
        guard !t.isEmpty else { throw .emptyField("text") }
        guard t.count <= maximumNoteLength else { throw .fieldTooLong(field: "text", maximum: maximumNoteLength) }
        return t
    }
}

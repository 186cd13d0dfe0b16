/// What a ``Journaled`` dictionary keeps in step with its entries: told of every replaced value,
/// including the ones a rollback puts back, so an index never disagrees with what it indexes.
protocol JournalIndex<Key, Value>: Sendable {
    associatedtype Key: Hashable & Sendable
    associatedtype Value: Sendable
    init()
    /// The entry at `key` goes from `old` to `new` (nil: absent).
    mutating func replace(_ old: Value?, with new: Value?, at key: Key)
}

/// No index: a plain journaled dictionary.
struct NoIndex<Key: Hashable & Sendable, Value: Sendable>: JournalIndex {
    mutating func replace(_ old: Value?, with new: Value?, at key: Key) {}
}

/// A dictionary that can undo what a command changed: the switch changes its model in place and,
/// when the command is refused, puts back the entries it touched — instead of copying the whole
/// floor (every seat, every waiting call) before each command. Its `index` follows every change.
struct Journaled<Key: Hashable & Sendable, Value: Sendable, Index: JournalIndex<Key, Value>>: Sendable {
    private(set) var storage: [Key: Value] = [:]
    private(set) var index = Index()
    /// The value each touched key had before the command (nil: it was absent); nil when not recording.
    private var saved: [Key: Value?]?
    /// The keys written since ``takeTouched()`` last took them: what the switch publishes again.
    private(set) var touched: Set<Key> = []

    subscript(key: Key) -> Value? {
        get { storage[key] }
        set {
            remember(key)
            index.replace(storage[key], with: newValue, at: key)
            storage[key] = newValue
        }
    }

    var values: Dictionary<Key, Value>.Values { storage.values }
    var keys: Dictionary<Key, Value>.Keys { storage.keys }
    var count: Int { storage.count }

    @discardableResult
    mutating func removeValue(forKey key: Key) -> Value? {
        remember(key)
        index.replace(storage[key], with: nil, at: key)
        return storage.removeValue(forKey: key)
    }

    /// Starts remembering what changes.
    mutating func begin() { saved = [:] }

    /// Keeps the changes.
    mutating func commit() { saved = nil }

    /// Puts back every entry changed since ``begin()``.
    mutating func rollback() {
        guard let saved else { return }
        self.saved = nil
        for (key, old) in saved {
            index.replace(storage[key], with: old, at: key)
            storage[key] = old
        }
        touched = []
    }

    /// The keys written since the last call, forgotten.
    mutating func takeTouched() -> Set<Key> {
        defer { touched = [] }
        return touched
    }

    private mutating func remember(_ key: Key) {
        touched.insert(key)
        guard saved != nil, saved?.index(forKey: key) == nil else { return }
        saved?[key] = .some(storage[key])
    }
}

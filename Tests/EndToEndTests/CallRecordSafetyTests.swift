import AtendeCore
import AtendeStore
import Foundation
import Testing
import TestSupport

/// A call's record survives a store that refuses the write at the moment the call ends.
@Suite struct CallRecordSafetyTests {
    @Test func anAttendanceTheStoreRefusesIsKeptAndRetried() throws {
        // Given fabio on a call, with a busy timeout of a second
        let dir = TemporaryDirectory()
        let config = try dir.write("config.json", #"{"store": {"busyTimeoutSeconds": 1}}"#)
        let atende = try RunningAtende(
            ["--data-dir", dir.path, "--lang", "en", "--clock", "manual", "--now", "2026-10-11 09:00", "--transfer", "off",
             "--keep-going", "--config", config.path])
        for line in ["login fabio receptivas", "pw123456", "pw123456", "sim incoming 4832819500 Suporte", ""] { atende.type(line) }
        #expect(atende.waitFor("Answered: Suporte 4832819500."))
        // When another process holds the database's write lock past the busy timeout as the call ends
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], timeout=10)
            c.execute('BEGIN IMMEDIATE')
            print('locked', flush=True)
            sys.stdin.readline()
            c.rollback()
            """, dir.file("atende.sqlite").path]
        let toHolder = Pipe()
        let fromHolder = Pipe()
        holder.standardInput = toHolder
        holder.standardOutput = fromHolder
        try holder.run()
        #expect(String(decoding: fromHolder.fileHandleForReading.readData(ofLength: 7), as: UTF8.self) == "locked\n")
        atende.type("hangup")
        // Then the agent is told the truth, and the record is kept
        #expect(atende.waitFor("Attendance 1 (4832819500) not saved yet:", timeout: 15), "stdout: \(atende.stdout)")
        // When the lock goes away and the retry falls due
        toHolder.fileHandleForWriting.write(Data("\n".utf8))
        holder.waitUntilExit()
        atende.type("sim advance 3")
        // Then the attendance is written once and the qualification is asked for
        #expect(atende.waitFor("Attendance 1 saved."), "stdout: \(atende.stdout) stderr: \(atende.stderr)")
        #expect(atende.waitFor("Qualify attendance 1"))
        atende.type("qualify INFO")
        atende.type("logout")
        #expect(atende.finish() == 0, "stderr: \(atende.stderr)")
        let store = try Store(path: dir.file("atende.sqlite").path, clock: SystemClock())
        let rows = try store.attendances.list(AttendanceQuery(span: DateSpan(start: .distantPast, end: .distantFuture)))
        #expect(rows.map(\.phone) == ["+554832819500"])
        #expect(rows.first?.qualification == "INFO")
    }
}

import Testing

@testable import AtendeREPL

/// A fake clock and a record of what the bar printed.
private final class Harness {
    var time: UInt64 = 1_000_000_000
    var columns = 81
    var printed: [String] = []

    func bar(total: Int?, isEnabled: Bool = true) -> ProgressBar {
        ProgressBar(
            total: total, label: "Exportando", isEnabled: isEnabled,
            now: { self.time }, columns: { self.columns }, emit: { self.printed.append($0) })
    }
}

/// ProgressBar.render: layout at every width.
struct ProgressBarRenderTests {
    @Test func rendersZero() {
        let line = ProgressBar.render(done: 0, total: 10_000, label: "Exportando", width: 80)
        #expect(line == "Exportando [" + String(repeating: ".", count: 40) + "] 0% 0/10,000")
    }

    @Test func rendersPartialProgress() {
        let line = ProgressBar.render(done: 4_200, total: 10_000, label: "Exportando", width: 80)
        let bar = String(repeating: "#", count: 16) + String(repeating: ".", count: 24)
        #expect(line == "Exportando [\(bar)] 42% 4,200/10,000")
    }

    @Test func rendersComplete() {
        let line = ProgressBar.render(done: 1_000_000, total: 1_000_000, label: "Exportando", width: 120)
        #expect(line == "Exportando [" + String(repeating: "#", count: 40) + "] 100% 1,000,000/1,000,000")
    }

    @Test func percentNeverReaches100BeforeTheEnd() {
        #expect(ProgressBar.render(done: 9_999, total: 10_000, label: "x", width: 80).contains(" 99% "))
    }

    @Test func clampsOvershootAndHandlesEmptyTotal() {
        let over = ProgressBar.render(done: 12, total: 10, label: "x", width: 80)
        #expect(over == "x [" + String(repeating: "#", count: 40) + "] 100% 12/10")
        let empty = ProgressBar.render(done: 0, total: 0, label: "x", width: 80)
        #expect(empty == "x [" + String(repeating: "#", count: 40) + "] 100% 0/0")
    }

    @Test func rendersUnknownTotalAsACount() {
        let wide = ProgressBar.render(done: 1_234_567, total: nil, label: "Importando", width: 80)
        #expect(wide == "Importando 1,234,567")
        let narrow = ProgressBar.render(done: 1_234_567, total: nil, label: "Importando", width: 12)
        #expect(narrow == "I… 1,234,567")
    }

    @Test func barShrinksWithTheTerminal() {
        let line = ProgressBar.render(done: 5, total: 10, label: "Export", width: 40)
        // 7 for the label, 2 for brackets, 9 for " 50% 5/10": 22 left for the bar.
        let bar = String(repeating: "#", count: 11) + String(repeating: ".", count: 11)
        #expect(line == "Export [\(bar)] 50% 5/10")
        #expect(line.count == 40)
    }

    @Test(arguments: [
        (30, "Exportando 42% 4,200/10,000"),
        (20, "Exportando 42%"),
        (14, "Exportando 42%"),
        (13, "Exportan… 42%"),
        (8, "Exp… 42%"),
        (5, "42%"),
        (3, "42%"),
        (2, "42"),
        (0, ""),
    ])
    func narrowWidthsDropPartsInOrder(width: Int, expected: String) {
        #expect(ProgressBar.render(done: 4_200, total: 10_000, label: "Exportando", width: width) == expected)
    }

    @Test func neverExceedsTheWidth() {
        for width in 0...120 {
            for (done, total) in [(0, 10), (4_200, 10_000), (10, 10), (123_456_789, nil as Int?)] {
                let line = ProgressBar.render(done: done, total: total, label: "Importando contatos", width: width)
                #expect(line.count <= width, "width \(width): \(line)")
            }
        }
    }

    @Test(arguments: [
        (0, "0"), (7, "7"), (999, "999"), (1_000, "1,000"), (10_000, "10,000"),
        (1_234_567, "1,234,567"), (-1_234, "-1,234"),
    ])
    func groupsThousands(value: Int, expected: String) {
        #expect(ProgressBar.grouped(value) == expected)
    }
}

/// ProgressBar: redraw throttling, finish and the disabled state.
struct ProgressBarRedrawTests {
    @Test func redrawsAtMostTenTimesASecond() {
        let harness = Harness()
        let bar = harness.bar(total: 100)
        bar.update(done: 1)
        #expect(harness.printed.count == 1)
        #expect(harness.printed[0] == "\r" + ProgressBar.render(done: 1, total: 100, label: "Exportando", width: 80))
        harness.time += 50_000_000
        bar.update(done: 2)
        harness.time += 49_999_999
        bar.update(done: 3)
        #expect(harness.printed.count == 1)
        harness.time += 1
        bar.update(done: 4)
        #expect(harness.printed.count == 2)
        #expect(harness.printed[1].contains(" 4% 4/100"))
    }

    @Test func finishPrintsTheLatestStateAndANewlineOnce() {
        let harness = Harness()
        let bar = harness.bar(total: 100)
        bar.update(done: 10)
        bar.update(done: 100)
        bar.finish()
        #expect(harness.printed.count == 2)
        let final = ProgressBar.render(done: 100, total: 100, label: "Exportando", width: 80)
        #expect(harness.printed[1] == "\r" + final + "\n")
        harness.time += 1_000_000_000
        bar.update(done: 100)
        bar.finish()
        #expect(harness.printed.count == 2)
    }

    @Test func shorterLinesBlankTheRestOfThePreviousOne() {
        let harness = Harness()
        let bar = harness.bar(total: 10_000)
        bar.update(done: 4_200)
        let first = harness.printed[0].count
        harness.columns = 21
        harness.time += 200_000_000
        bar.update(done: 4_300)
        let second = harness.printed[1]
        #expect(second.hasPrefix("\rExportando 43%"))
        #expect(second.count == first)
        #expect(second.hasSuffix(" "))
    }

    @Test func disabledBarPrintsNothing() {
        let harness = Harness()
        let bar = harness.bar(total: 10, isEnabled: false)
        bar.update(done: 5)
        harness.time += 1_000_000_000
        bar.update(done: 10)
        bar.finish()
        #expect(harness.printed.isEmpty)
    }

    @Test func terminalWidthFallsBackTo80() {
        // fd -1 is never a terminal.
        #expect(ProgressBar.terminalWidth(of: -1) == 80)
    }
}

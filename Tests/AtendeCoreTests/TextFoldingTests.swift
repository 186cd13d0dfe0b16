import AtendeCore
import Foundation
import Testing

@Suite struct TextFoldingTests {
    @Test(arguments: [
        ("Maria da Silva Souza", "mdss"), ("JOÃO  de\tDEUS", "jdd"), ("Álvaro Ômega", "ao"), ("Élodie Zoë", "ez"),
        ("1st _x", "1_"), ("ßtraße", "ss"), ("A\u{301}na Lima", "al"), ("  ", ""), ("", ""),
        ("Øyvind Ünal", "øu"), ("İsmail ǅemal", "iǆ"),
    ])
    func initialsAreTheFoldedFirstLetterOfEachWord(name: String, expected: String) {
        #expect(TextFolding.initials(of: name) == expected)
    }
}

/// Failures of the TXT bridge that its caller must see.
public enum TXTBridgeError: Error, Equatable, Sendable {
    /// The extension is empty or not a plain folder name.
    case invalidExtension(String)
    /// The caller's number holds no digits or characters other than separators.
    case invalidNumber
    /// A system call failed; `operation` names it and `errno` is its error code.
    case io(operation: String, path: String, errno: Int32)
    /// The `config transfer txt` folder does not exist: only the extensions' folders are created.
    case missingFolder(String)
    /// The extension's folder is a symbolic link: Atende does not write through it.
    case symlinkedFolder(String)
}

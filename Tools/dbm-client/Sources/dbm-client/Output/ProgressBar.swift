import Foundation
import JSONRPC

/// Draws `$/progress` notifications as a one-line bar on stderr, only when stderr is a terminal.
final class ProgressBar {
    private let enabled = isatty(STDERR_FILENO) == 1
    private var title = ""

    func update(_ value: JSONValue) {
        guard enabled else { return }
        switch value["kind"]?.stringValue {
        case "begin":
            title = value["title"]?.stringValue ?? ""
            draw(percentage: value["percentage"]?.integerValue, message: value["message"]?.stringValue)
        case "report":
            draw(percentage: value["percentage"]?.integerValue, message: value["message"]?.stringValue)
        case "end":
            FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        default:
            break
        }
    }

    private func draw(percentage: Int64?, message: String?) {
        var line = "\r\u{1B}[2K" + title
        if let p = percentage {
            let filled = Int(max(0, min(100, p))) * 30 / 100
            line += " [" + String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled) + "] \(p)%"
        }
        if let message { line += " " + message }
        FileHandle.standardError.write(Data(line.utf8))
    }
}

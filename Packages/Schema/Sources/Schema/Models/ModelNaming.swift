/// Table and column names derived from model names: `UserProfile` → `user_profile`.
enum ModelNaming {
    static func snakeCase(_ name: String) -> String {
        var out = ""
        var previousLower = false
        for ch in name {
            if ch.isUppercase {
                if previousLower { out.append("_") }
                out.append(contentsOf: ch.lowercased())
                previousLower = false
            } else if ch == " " || ch == "-" || ch == "." {
                if !out.hasSuffix("_") { out.append("_") }
                previousLower = false
            } else {
                out.append(ch)
                previousLower = ch.isLowercase || ch.isNumber
            }
        }
        return out
    }
}

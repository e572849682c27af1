import Foundation
import Mustache
import Testing

@testable import LedgerServer

/// `HTMLWriter` and the one unescaped form templates may use.
@Suite struct HTMLWriterTests {
    @Test func textIsEscapedAsMustacheEscapesIt() throws {
        let hostile = #"<script>alert("x")</script> & 'q' 打印机 ™"#
        var w = HTMLWriter()
        w.markup("<td>")
        w.text(hostile)
        w.markup("</td>")
        w.cell("a&b")
        w.text(Int64(-42))
        let library = try MustacheLibrary(templates: ["t": try MustacheTemplate(string: "<td>{{v}}</td>")])
        #expect(w.html.renderText == (library.render(["v": hostile], withTemplate: "t") ?? "") + "<td>a&amp;b</td>-42")
        #expect(!w.html.renderText.contains("<script>") && w.html.renderText.contains("打印机 ™"))
    }

    /// Every template: `{{{ }}}` and `{{& }}` only for `Templates.unescaped`.
    @Test func templatesShowNothingElseUnescaped() throws {
        var found: Set<String> = []
        for (name, text) in Templates.all {
            for pattern in [#"\{\{\{\s*([^}\s]+)\s*\}\}\}"#, #"\{\{&\s*([^}\s]+)\s*\}\}"#] {
                let regex = try Regex(pattern)
                for m in text.matches(of: regex) {
                    let key = String(try #require(m.output[1].substring))
                    #expect(Templates.unescaped.contains(key), "\(name): \(key)")
                    found.insert(key)
                }
            }
            #expect(!text.contains("{{=") && !text.contains("{{{&"), "\(name)")
        }
        #expect(found == Set(Templates.unescaped))
    }

    /// A plain string given under an unescaped name is dropped, not shown as markup.
    @Test func onlySafeHTMLIsShownUnescaped() throws {
        let library = try Templates.library()
        var w = HTMLWriter()
        w.markup("<tr><td>ok</td></tr>")
        for (rows, shown) in [(w.html as Any, true), ("<tr><td>ok</td></tr>" as Any, false)] {
            let body = Templates.render("devices", ["rows": rows], library)
            #expect(body.contains("<tr><td>ok</td></tr>") == shown)
        }
    }
}

import Mustache

/// The console's pages as mustache templates: every `{{value}}` is HTML-escaped, and templates
/// get plain dictionaries built from the use cases' outputs, never the request. The unescaped
/// form (`{{{ }}}`) is used only for the names in `unescaped`, and those show `SafeHTML` only
/// (rows written by `HTMLWriter`, every text in them escaped).
enum Templates {
    /// The only names a template shows unescaped; a test holds the templates to it.
    static let unescaped = ["rows"]

    /// A page: `template` with `data`, where a name of `unescaped` shows only `SafeHTML`.
    static func render(_ template: String, _ data: [String: Any], _ library: MustacheLibrary) -> String {
        var data = data
        for name in unescaped where !(data[name] is SafeHTML) { data[name] = nil }
        return library.render(data, withTemplate: template) ?? ""
    }

    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for (name, text) in all { try library.register(text, named: name) }
        return library
    }

    static let all: [(String, String)] = [
        ("head", head), ("foot", foot), ("login", login), ("error", error), ("dashboard", dashboard),
        ("devices", devices), ("device", device), ("scans", scans), ("queue", queue), ("claims", claims),
        ("campaigns", campaigns), ("campaign", campaign), ("departments", departments), ("software", software),
        ("audit", audit), ("commitments", commitments), ("domestic", domestic),
    ]

    static let head = """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · AssetLedger</title><link rel="stylesheet" href="/static/console.css"></head>
        <body>
        <header class="bar"><a class="brand" href="/">AssetLedger</a>
        {{#user}}<nav><a href="/">{{t.dashboard}}</a><a href="/devices">{{t.devices}}</a>{{#campus}}<a href="/queue">{{t.queue}}</a><a href="/scans">{{t.scans}}</a>{{/campus}}<a href="/claims">{{t.claims}}</a><a href="/departments">{{t.departments}}</a><a href="/software">{{t.software}}</a><a href="/campaigns">{{t.campaigns}}</a><a href="/commitments">{{t.commitments}}</a><a href="/domestic">{{t.domestic}}</a><a href="/audit">{{t.audit}}</a></nav>
        <form class="who" method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrf}}">
        <span>{{login}} · {{roleLabel}}</span> <button type="submit">{{t.signOut}}</button></form>{{/user}}
        </header>
        <main>
        """

    static let foot = """
        </main>
        </body>
        </html>
        """

    static let login = """
        {{> head}}
        <h1>{{t.signIn}}</h1>
        {{#message}}<p class="error">{{message}}</p>{{/message}}
        <form method="post" action="/login" class="login"><input type="hidden" name="csrf" value="{{loginCsrf}}">
        <label>{{t.login}} <input name="login" autocomplete="username" required value="{{loginValue}}"></label>
        <label>{{t.password}} <input name="password" type="password" autocomplete="current-password" required></label>
        <button type="submit">{{t.signIn}}</button>
        </form>
        {{> foot}}
        """

    static let error = """
        {{> head}}
        <h1>{{status}}</h1>
        <p class="error">{{message}}</p>
        {{> foot}}
        """

    static let dashboard = """
        {{> head}}
        <h1>{{t.dashboard}}</h1>
        <p>{{t.scopeLabel}}: {{scopeText}}</p>
        <section><h2>{{t.byClass}}</h2>
        <table><thead><tr><th>{{t.class}}</th><th>{{t.count}}</th></tr></thead><tbody>
        {{#classes}}<tr><td><a href="/devices?class={{name}}">{{label}}</a></td><td class="n">{{count}}</td></tr>{{/classes}}
        </tbody></table></section>
        <section><h2>{{t.byDepartment}}</h2>
        <table><thead><tr><th>{{t.department}}</th><th>{{t.name}}</th><th>{{t.count}}</th></tr></thead><tbody>
        {{#departments}}<tr><td><a href="/devices?dept={{code}}">{{code}}</a></td><td>{{name}}</td><td class="n">{{count}}</td></tr>{{/departments}}
        </tbody></table></section>
        {{#showUnassigned}}<p><a href="/queue">{{t.unassigned}}: {{unassigned}}</a> · <a href="/queue">{{t.openClaims}}: {{openClaims}}</a></p>{{/showUnassigned}}
        <section><h2>{{t.failingPCs}}</h2>
        <p>{{failingCount}} {{t.of}} {{pcs}}</p>
        <table><thead><tr><th>#</th><th>{{t.hostname}}</th><th>{{t.department}}</th><th>{{t.findings}}</th></tr></thead><tbody>
        {{#failing}}<tr><td><a href="/devices/{{id}}">{{id}}</a></td><td>{{hostname}}</td><td>{{department}}</td><td>{{findings}}</td></tr>{{/failing}}
        </tbody></table></section>
        <section><h2>{{t.licencePosition}}</h2>
        <p>{{complianceShort}} {{t.short}} {{complianceRows}} · <a href="/software">{{t.more}}</a></p>
        <table><thead><tr><th>{{t.product}}</th><th>{{t.department}}</th><th>{{t.installs}}</th><th>{{t.entitled}}</th><th>{{t.status}}</th></tr></thead><tbody>
        {{#unlicensed}}<tr><td>{{product}}</td><td>{{department}}</td><td class="n">{{installs}}</td><td class="n">{{entitled}}</td><td class="error">{{status}}</td></tr>{{/unlicensed}}
        </tbody></table></section>
        <section><h2>{{t.reviewCoverage}}</h2>
        <table><thead><tr><th>{{t.department}}</th><th>{{t.name}}</th><th>{{t.count}}</th><th>{{t.reviewed}}</th></tr></thead><tbody>
        {{#coverage}}<tr><td>{{department}}</td><td>{{name}}</td><td class="n">{{devices}}</td><td class="n">{{reviewed}} ({{share}})</td></tr>{{/coverage}}
        </tbody></table></section>
        {{#showUnassigned}}<section><h2><a href="/scans">{{t.lastScans}}</a></h2>
        <table><thead><tr><th>#</th><th>{{t.scope}}</th><th>{{t.started}}</th><th>{{t.answered}}</th></tr></thead><tbody>
        {{#scans}}<tr><td>{{id}}</td><td>{{scope}}</td><td>{{started}}</td><td class="n">{{answered}}</td></tr>{{/scans}}
        </tbody></table></section>{{/showUnassigned}}
        {{> foot}}
        """

    static let devices = """
        {{> head}}
        <h1>{{t.devices}}</h1>
        <form method="get" action="/devices" class="filter">
        <input name="q" value="{{q}}" placeholder="{{t.search}}">{{#sort}}<input type="hidden" name="sort" value="{{sort}}">{{/sort}}
        <select name="class"><option value="">{{t.allClasses}}</option>{{#classOptions}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/classOptions}}</select>
        <input name="dept" value="{{dept}}" placeholder="{{t.department}}">
        <button type="submit">{{t.filter}}</button>
        <a href="/devices/export?{{exportQuery}}&amp;format=csv">CSV</a> <a href="/devices/export?{{exportQuery}}&amp;format=xlsx">XLSX</a>
        <a href="/api/v1/devices?{{exportQuery}}">JSON</a>
        </form>
        <p>{{total}} {{t.devicesCount}}</p>
        <table><thead><tr>{{#columns}}<th>{{#sortable}}<a href="/devices?{{link}}">{{label}}{{mark}}</a>{{/sortable}}{{^sortable}}{{label}}{{/sortable}}</th>{{/columns}}</tr></thead><tbody>
        {{{rows}}}
        </tbody></table>
        <p class="pages">{{#previous}}<a href="/devices?{{previous}}">‹ {{t.previous}}</a>{{/previous}} {{page}} / {{pages}} {{#next}}<a href="/devices?{{next}}">{{t.next}} ›</a>{{/next}}</p>
        {{> foot}}
        """

    static let device = """
        {{> head}}
        <h1>{{t.device}} {{id}}: {{hostname}}</h1>
        <table class="facts"><tbody>
        {{#facts}}<tr><th>{{label}}</th><td>{{value}}</td></tr>{{/facts}}
        </tbody></table>
        <section><h2>{{t.review}}</h2>
        {{#claimedOn}}<p class="error">{{t.claimedOn}}: {{department}} · {{reason}} ({{by}}, {{at}})</p>{{/claimedOn}}
        {{#review}}<p>{{status}} · {{note}} ({{by}}, {{at}})</p>{{/review}}
        {{#custody}}<p>{{t.responsible}}: {{responsible}} · {{t.location}}: {{location}}</p>{{/custody}}
        {{#mayChange}}
        <form method="post" action="/devices/{{id}}/review" class="review"><input type="hidden" name="csrf" value="{{csrf}}">
        <select name="status">{{#statuses}}<option value="{{value}}">{{label}}</option>{{/statuses}}</select>
        <input name="note" placeholder="{{t.note}}"> <button type="submit">{{t.saveReview}}</button></form>
        <form method="post" action="/devices/{{id}}/custody" class="custody"><input type="hidden" name="csrf" value="{{csrf}}">
        <input name="responsible" placeholder="{{t.responsible}}" required> <input name="location" placeholder="{{t.location}}">
        <button type="submit">{{t.saveCustody}}</button></form>
        {{/mayChange}}
        </section>
        <section><h2>{{t.evidence}}</h2>
        <table><thead><tr><th>{{t.source}}</th><th>{{t.observed}}</th><th>{{t.field}}</th><th>{{t.value}}</th><th>{{t.reason}}</th></tr></thead><tbody>
        {{#evidence}}<tr><td>{{source}}</td><td>{{observed}}</td><td>{{field}}</td><td>{{value}}</td><td>{{reason}}</td></tr>{{/evidence}}
        </tbody></table></section>
        <section><h2>{{t.ports}}</h2>
        {{^ports}}<p>{{t.notPortScanned}}</p>{{/ports}}
        {{#ports}}<p>{{t.openPorts}}: {{open}} · {{t.scannedPorts}}: {{scanned}} ({{at}})</p>{{/ports}}
        </section>
        {{#postureError}}<section><h2>{{t.posture}}</h2><p class="error">{{postureError}}</p></section>{{/postureError}}
        {{#posture}}<section><h2>{{t.posture}}</h2>
        <table class="facts"><tbody>
        <tr><th>{{t.os}}</th><td>{{os}}</td></tr><tr><th>{{t.lastReport}}</th><td>{{lastReport}}</td></tr>
        <tr><th>{{t.lastPatch}}</th><td>{{lastPatch}}</td></tr><tr><th>{{t.antivirus}}</th><td>{{antivirus}}</td></tr>
        <tr><th>{{t.findings}}</th><td>{{^findings}}{{t.noFindings}}{{/findings}}{{#findings}}<span class="error">{{code}}</span> {{detail}}<br>{{/findings}}</td></tr>
        </tbody></table>
        {{#hasAntivirus}}<table><thead><tr><th>{{t.antivirus}}</th><th>{{t.enabled}}</th><th>{{t.signatures}}</th><th>{{t.signatureAge}}</th></tr></thead><tbody>
        {{#antivirusProducts}}<tr><td>{{name}}</td><td>{{enabled}}</td><td>{{signatureDate}}</td><td class="n">{{age}}</td></tr>{{/antivirusProducts}}
        </tbody></table>{{/hasAntivirus}}
        {{#hasPatches}}<table><thead><tr><th>{{t.patch}}</th><th>{{t.title}}</th><th>{{t.installed}}</th></tr></thead><tbody>
        {{#patches}}<tr><td>{{id}}</td><td>{{title}}</td><td>{{installedAt}}</td></tr>{{/patches}}
        </tbody></table>{{/hasPatches}}
        </section>{{/posture}}
        <section><h2>{{t.software}}</h2>
        <table><thead><tr><th>{{t.title}}</th><th>{{t.version}}</th><th>{{t.publisher}}</th></tr></thead><tbody>
        {{#software}}<tr><td>{{name}}</td><td>{{version}}</td><td>{{publisher}}</td></tr>{{/software}}
        </tbody></table></section>
        <section><h2>{{t.history}}</h2>
        <table><thead><tr><th>{{t.at}}</th><th>{{t.source}}</th><th>{{t.change}}</th></tr></thead><tbody>
        {{#history}}<tr><td>{{at}}</td><td>{{source}}</td><td>{{change}}</td></tr>{{/history}}
        </tbody></table></section>
        {{> foot}}
        """

    static let css = """
        body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;margin:0;color:#1a1a1a;font-size:14px}
        .bar{display:flex;gap:16px;align-items:center;background:#16324f;color:#fff;padding:8px 20px}
        .bar a{color:#fff;text-decoration:none;margin-right:12px}.brand{font-weight:bold}
        .who{margin-left:auto}main{padding:12px 20px;max-width:1200px}
        table{border-collapse:collapse;margin:8px 0 16px;width:100%}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left}
        th{background:#e8eef7}td.n{text-align:right}.error{color:#b71c1c}
        .login label{display:block;margin:8px 0}.filter input,.filter select{margin-right:6px}
        table.facts{width:auto}table.facts th{width:180px}form.run{margin:0}.notice{color:#1b5e20}
        td form{margin:2px 0 0}
        """
}

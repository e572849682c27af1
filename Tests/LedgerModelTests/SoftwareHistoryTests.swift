import Foundation
import LedgerModel
import Testing

/// `SoftwareHistory.events`: the difference between two software lists of one device.
@Suite struct SoftwareHistoryTests {
    typealias Old = (name: String, publisher: String?, version: String?)

    @Test func equalListsHaveNoEventsWhateverTheOrder() {
        let old: [Old] = [("A", "P", "1"), ("B", nil, nil), ("C", "Q", "2")]
        let new: [EndpointReport.Software] = [
            .init(name: "C", publisher: "Q", version: "2"), .init(name: "A", publisher: "P", version: "1"),
            .init(name: "B"),
        ]
        #expect(SoftwareHistory.events(from: old, to: new).isEmpty)
    }

    @Test func aChangedVersionIsOneUpgradeNotARemovalAndAnInstall() {
        let events = SoftwareHistory.events(
            from: [("Chrome", "Google", "120")], to: [.init(name: "Chrome", publisher: "Google", version: "121")])
        #expect(
            events == [
                SoftwareEvent(
                    kind: .upgraded, name: "Chrome", publisher: "Google", version: "121", previousVersion: "120")
            ])
        // A downgrade is a version change too.
        #expect(
            SoftwareHistory.events(from: [("Chrome", nil, "121")], to: [.init(name: "Chrome", version: "120")]).map(
                \.kind) == [.upgraded])
    }

    @Test func twoVersionsSideBySidePairTheSameVersionFirst() {
        // Two Visual C++ runtimes of one name: one stays, the other is replaced by a newer one.
        let old: [Old] = [("VC++ Redist", "MS", "14.0"), ("VC++ Redist", "MS", "14.2")]
        let new: [EndpointReport.Software] = [
            .init(name: "VC++ Redist", publisher: "MS", version: "14.2"),
            .init(name: "VC++ Redist", publisher: "MS", version: "14.3"),
        ]
        let events = SoftwareHistory.events(from: old, to: new)
        #expect(events.map(\.kind) == [.upgraded])
        #expect(events.first?.previousVersion == "14.0" && events.first?.version == "14.3")
        // One more of the same name than before: an install, not an upgrade of the one that stayed.
        let added = SoftwareHistory.events(
            from: [("VC++ Redist", "MS", "14.2")],
            to: [.init(name: "VC++ Redist", version: "14.2"), .init(name: "VC++ Redist", version: "14.3")])
        #expect(added.map(\.kind) == [.installed] && added.first?.version == "14.3")
    }

    @Test func removalsAndInstallsAreSortedByNameThenKind() {
        let events = SoftwareHistory.events(
            from: [("Zed", nil, "1"), ("Alpha", nil, "1")], to: [.init(name: "Beta", version: "2")])
        #expect(events.map(\.name) == ["Alpha", "Beta", "Zed"])
        #expect(events.map(\.kind) == [.removed, .installed, .removed])
    }
}

import GRDB
import LedgerModel

/// The database schema as versioned migrations. Never edit a shipped migration: add one.
/// Times are stored as REAL Unix seconds (UTC) and shown as ISO 8601. See docs/SCHEMA.md.
enum Schema {
    /// `(column = 'a' OR column = 'b' ...)`. A CHECK with `IN (...)` builds a temporary index on
    /// every row written (measured at 4 µs per insert here); an OR chain costs nothing.
    static func oneOf(_ column: String, _ values: [String]) -> String {
        "(" + values.map { "\(column) = '\($0)'" }.joined(separator: " OR ") + ")"
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-ledger") { db in
            try db.execute(
                sql: """
                    -- small facts about the ledger itself, e.g. rules_generation, bumped by every
                    -- change to departments or ownership rules (caches compare it)
                    CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;

                    CREATE TABLE department (
                        id INTEGER PRIMARY KEY,
                        code TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL,
                        name_en TEXT,
                        kind TEXT NOT NULL CHECK (\(oneOf("kind", ["functional", "support", "college"]))),
                        parent_id INTEGER REFERENCES department(id) ON DELETE RESTRICT,
                        leader TEXT,
                        liaison TEXT, liaison_phone TEXT, liaison_email TEXT,
                        sysadmin TEXT, sysadmin_phone TEXT, sysadmin_email TEXT,
                        updated_at REAL NOT NULL
                    );
                    CREATE INDEX department_parent ON department(parent_id);

                    CREATE TABLE subnet_rule (
                        id INTEGER PRIMARY KEY,
                        cidr TEXT NOT NULL UNIQUE,
                        department_id INTEGER NOT NULL REFERENCES department(id) ON DELETE RESTRICT,
                        site TEXT,
                        vlan INTEGER CHECK (vlan BETWEEN 1 AND 4094),
                        note TEXT
                    );

                    CREATE TABLE hostname_rule (
                        id INTEGER PRIMARY KEY,
                        pattern TEXT NOT NULL UNIQUE,
                        department_id INTEGER NOT NULL REFERENCES department(id) ON DELETE RESTRICT,
                        note TEXT
                    );

                    -- AUTOINCREMENT: a folded device's id is never handed to another device
                    -- (history rows name devices by id)
                    CREATE TABLE device (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        class TEXT NOT NULL DEFAULT 'unknown' CHECK (\(oneOf("class", ["printer", "mfp", "fax", "display", "pc", "server", "network", "other", "unknown"]))),
                        fax_capable INTEGER NOT NULL DEFAULT 0 CHECK (fax_capable = 0 OR fax_capable = 1),
                        vendor TEXT, model TEXT, serial TEXT, uuid TEXT, os TEXT, firmware TEXT,
                        hostname TEXT,
                        -- identity form of the host name (first label), for the per-department rule
                        hostname_key TEXT,
                        department_id INTEGER REFERENCES department(id) ON DELETE SET NULL,
                        owner_rule TEXT CHECK (\(oneOf("owner_rule", ["manual", "hostname", "subnet"]))),
                        owner_detail TEXT,
                        -- fields a person set; only manual edits change them (comma-separated)
                        pinned TEXT NOT NULL DEFAULT '',
                        -- every MAC, IP and host name seen, with first/last time (AddressBook text)
                        addresses TEXT NOT NULL DEFAULT '',
                        first_seen REAL NOT NULL,
                        last_seen REAL NOT NULL,
                        CHECK ((department_id IS NULL) = (owner_rule IS NULL))
                    );
                    CREATE INDEX device_department ON device(department_id, id);
                    CREATE INDEX device_hostname ON device(department_id, hostname_key);

                    -- serial/uuid/mac -> device; device_id NULL marks a value proven shared by
                    -- different machines (cloned UUID, dock serial), never used for matching.
                    CREATE TABLE identity_key (
                        kind TEXT NOT NULL CHECK (\(oneOf("kind", ["serial", "uuid", "mac"]))),
                        value TEXT NOT NULL,
                        device_id INTEGER REFERENCES device(id) ON DELETE CASCADE,
                        ambiguous_reason TEXT,
                        PRIMARY KEY (kind, value),
                        CHECK ((device_id IS NULL) = (ambiguous_reason IS NOT NULL))
                    ) WITHOUT ROWID;
                    CREATE INDEX identity_key_device ON identity_key(device_id);

                    -- which devices were ever seen with a MAC, IP or host name (the device row
                    -- holds the times); written only when a device shows a new value
                    CREATE TABLE device_address (
                        kind TEXT NOT NULL CHECK (\(oneOf("kind", ["mac", "ip", "hostname"]))),
                        value TEXT NOT NULL,
                        device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,
                        first_seen REAL NOT NULL,
                        PRIMARY KEY (kind, value, device_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX device_address_device ON device_address(device_id);

                    -- stored as they came; only the link to the device is derived
                    CREATE TABLE observation (
                        id INTEGER PRIMARY KEY,
                        source TEXT NOT NULL CHECK (\(oneOf("source", ["scan", "sensor", "agent", "import", "manual"]))),
                        origin TEXT,
                        source_ref TEXT,
                        observed_at REAL NOT NULL,
                        received_at REAL NOT NULL,
                        class TEXT, fax_capable INTEGER,
                        vendor TEXT, model TEXT, serial TEXT, uuid TEXT, os TEXT, firmware TEXT,
                        macs TEXT NOT NULL, ips TEXT NOT NULL, hostnames TEXT NOT NULL,
                        evidence TEXT,
                        device_id INTEGER NOT NULL REFERENCES device(id),
                        matched_rule TEXT CHECK (\(oneOf("matched_rule", ["serial", "uuid", "mac", "hostname", "new", "split", "manual"]))),
                        matched_value TEXT
                    );
                    CREATE INDEX observation_device ON observation(device_id, observed_at);

                    -- one row per event that changed a device: the observation (or person) that
                    -- caused it and each field's old and new value, as a JSON array
                    -- [{"field": "os", "old": "Windows 10", "new": "Windows 11"}, ...]
                    CREATE TABLE device_history (
                        id INTEGER PRIMARY KEY,
                        device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,
                        source TEXT NOT NULL,
                        observation_id INTEGER REFERENCES observation(id),
                        changed_at REAL NOT NULL,
                        changes TEXT NOT NULL
                    );
                    CREATE INDEX device_history_device ON device_history(device_id, id);
                    -- also serves the deferred foreign-key checks of a merge batch
                    CREATE INDEX device_history_observation ON device_history(observation_id);

                    -- pairs a person split apart: the merge never joins them again
                    CREATE TABLE device_separation (
                        a INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,
                        b INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,
                        PRIMARY KEY (a, b),
                        CHECK (a < b)
                    ) WITHOUT ROWID;
                    CREATE INDEX device_separation_b ON device_separation(b);
                    """)
        }
        m.registerMigration("v2-endpoint") { db in
            try db.execute(
                sql: """
                    -- every endpoint report received (one per imported inventory), with its OS
                    CREATE TABLE endpoint_report (
                        id INTEGER PRIMARY KEY,
                        device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,
                        observation_id INTEGER NOT NULL REFERENCES observation(id),
                        format TEXT NOT NULL,
                        agent TEXT,
                        collected_at REAL NOT NULL,
                        os_name TEXT, os_version TEXT, os_build TEXT, os_ubr TEXT, os_kernel TEXT,
                        os_architecture TEXT, os_installed_at REAL,
                        software_count INTEGER NOT NULL,
                        patch_count INTEGER NOT NULL,
                        antivirus_count INTEGER NOT NULL,
                        sections TEXT NOT NULL
                    );
                    CREATE INDEX endpoint_report_device ON endpoint_report(device_id, collected_at);
                    CREATE INDEX endpoint_report_observation ON endpoint_report(observation_id);

                    -- a device's current endpoint state: per section, the report it came from
                    CREATE TABLE device_endpoint (
                        device_id INTEGER PRIMARY KEY REFERENCES device(id) ON DELETE CASCADE,
                        os_report_id INTEGER REFERENCES endpoint_report(id),
                        software_report_id INTEGER REFERENCES endpoint_report(id),
                        patches_report_id INTEGER REFERENCES endpoint_report(id),
                        antivirus_report_id INTEGER REFERENCES endpoint_report(id),
                        pending_updates_report_id INTEGER REFERENCES endpoint_report(id)
                    );

                    CREATE TABLE device_software (
                        device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,
                        name TEXT NOT NULL, publisher TEXT, version TEXT, installed_at REAL, source TEXT
                    );
                    -- no index on name: reports by title group over the whole table anyway, and
                    -- each agent report would otherwise dirty hundreds of random index pages
                    CREATE INDEX device_software_device ON device_software(device_id);

                    CREATE TABLE device_patch (
                        device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,
                        patch TEXT NOT NULL, title TEXT, installed_at REAL
                    );
                    CREATE INDEX device_patch_device ON device_patch(device_id);

                    CREATE TABLE device_pending_update (
                        device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,
                        update_id TEXT NOT NULL, title TEXT, security INTEGER
                    );
                    CREATE INDEX device_pending_update_device ON device_pending_update(device_id);

                    CREATE TABLE device_antivirus (
                        device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,
                        name TEXT NOT NULL, vendor TEXT, enabled INTEGER, signatures_up_to_date INTEGER,
                        product_version TEXT, signature_version TEXT, signature_date REAL,
                        last_quick_scan REAL, last_full_scan REAL
                    );
                    CREATE INDEX device_antivirus_device ON device_antivirus(device_id);
                    """)
        }
        m.registerMigration("v3-scan") { db in
            try db.execute(
                sql: """
                    -- every active scan: what it covered, when, from where, and what it found
                    CREATE TABLE scan (
                        id INTEGER PRIMARY KEY,
                        method TEXT NOT NULL,           -- 'arp' (port probes and ping later)
                        scope TEXT NOT NULL,            -- the scope after exclusions
                        exclusions TEXT NOT NULL,
                        interface TEXT,
                        sensor TEXT,                    -- NULL: this server; else the remote sensor
                        started_at REAL NOT NULL,
                        finished_at REAL NOT NULL,
                        status TEXT NOT NULL CHECK \(oneOf("status", ["completed", "failed"])),
                        targets INTEGER NOT NULL,
                        packets INTEGER NOT NULL,
                        answered INTEGER NOT NULL,
                        new_devices INTEGER NOT NULL,
                        known_devices INTEGER NOT NULL
                    );
                    -- what each scan saw, for `scan diff`
                    CREATE TABLE scan_host (
                        scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
                        ip TEXT NOT NULL,
                        mac TEXT
                    );
                    CREATE INDEX scan_host_scan ON scan_host(scan_id);
                    """)
        }
        m.registerMigration("v4-scan-detail") { db in
            // What `scan diff` compares beyond IP and MAC: name, open ports, firmware, class.
            try db.execute(
                sql: """
                    ALTER TABLE scan_host ADD COLUMN name TEXT;
                    ALTER TABLE scan_host ADD COLUMN ports TEXT NOT NULL DEFAULT '';  -- '22,80,9100'
                    ALTER TABLE scan_host ADD COLUMN firmware TEXT;
                    ALTER TABLE scan_host ADD COLUMN class TEXT;
                    """)
        }
        m.registerMigration("v5-licence") { db in
            // The licence register (replaced whole by each `license import`) and the activation
            // channels agents report, kept with the device's software section.
            try db.execute(
                sql: """
                    CREATE TABLE license (
                        id INTEGER PRIMARY KEY,
                        product TEXT NOT NULL,
                        edition TEXT,                   -- NULL: any edition
                        versions TEXT NOT NULL DEFAULT '', -- '', '2019' or '<=2019'
                        metric TEXT NOT NULL CHECK \(oneOf("metric", LicenseMetric.allCases.map(\.rawValue))),
                        seats INTEGER CHECK (seats >= 0), -- NULL: unlimited
                        department_id INTEGER REFERENCES department(id) ON DELETE RESTRICT, -- NULL: campus pool
                        valid_from TEXT, valid_to TEXT, -- YYYY-MM-DD, NULL: no limit
                        source TEXT NOT NULL CHECK \(oneOf("source", LicenseSource.allCases.map(\.rawValue))),
                        contract TEXT, supplier TEXT,
                        amount_cny TEXT,                -- decimal text as written
                        note TEXT,
                        source_file TEXT, source_line INTEGER,
                        imported_at REAL NOT NULL
                    );
                    CREATE TABLE device_activation (
                        device_id INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,
                        product TEXT,                   -- NULL: the device's OS
                        channel TEXT CHECK (channel IS NULL OR \(oneOf("channel", ActivationChannel.allCases.map(\.rawValue)))),
                        trial INTEGER
                    );
                    CREATE INDEX device_activation_device ON device_activation(device_id);
                    """)
        }
        m.registerMigration("v6-audit") { db in
            // Every change people make (licences, the self-check, manual edits, rule imports),
            // with who and when; written in the change's own transaction, never changed after.
            try db.execute(
                sql: """
                    CREATE TABLE audit_log (
                        id INTEGER PRIMARY KEY,
                        at REAL NOT NULL,
                        actor TEXT NOT NULL,            -- 'cli:alice', a web login, 'system'
                        action TEXT NOT NULL,           -- 'device.assign', 'licence.import' ...
                        entity_kind TEXT NOT NULL,
                        entity_id TEXT,
                        department_code TEXT,           -- as it was then; NULL: campus-wide
                        details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
                    );
                    CREATE INDEX audit_log_department ON audit_log(department_code, at);
                    CREATE INDEX audit_log_at ON audit_log(at);
                    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                    """)
        }
        m.registerMigration("v7-campaign") { db in
            // The self-check (自查): campaigns, and what people recorded in them. Findings are
            // computed when asked (from compliance, the catalog and report times); only the
            // resolutions, checks, sign-offs and samples are stored, keyed by the findings'
            // stable ids. Closing stores the findings and compliance rows as a JSON snapshot.
            try db.execute(
                sql: """
                    CREATE TABLE campaign (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL CHECK (kind = 'self-check'),
                        name TEXT NOT NULL,
                        deadline TEXT NOT NULL,         -- YYYY-MM-DD
                        opened_at REAL NOT NULL, opened_by TEXT NOT NULL,
                        closed_at REAL, closed_by TEXT,
                        snapshot TEXT CHECK (snapshot IS NULL OR json_valid(snapshot))
                    );
                    CREATE TABLE campaign_resolution (
                        campaign_id INTEGER NOT NULL REFERENCES campaign(id),
                        finding TEXT NOT NULL,
                        department_code TEXT,
                        resolution TEXT NOT NULL CHECK \(oneOf("resolution", ["uninstalled", "licence-bought", "exempt", "not-ours"])),
                        reference TEXT, reason TEXT,
                        resolved_at REAL NOT NULL, resolved_by TEXT NOT NULL,
                        PRIMARY KEY (campaign_id, finding)
                    ) WITHOUT ROWID;
                    CREATE TABLE campaign_pc_check (
                        campaign_id INTEGER NOT NULL REFERENCES campaign(id),
                        device_id INTEGER NOT NULL,
                        department_code TEXT,
                        checked_at REAL NOT NULL, checked_by TEXT NOT NULL,
                        PRIMARY KEY (campaign_id, device_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE campaign_sign_off (
                        campaign_id INTEGER NOT NULL REFERENCES campaign(id),
                        department_code TEXT NOT NULL,
                        signed_by TEXT NOT NULL, statement TEXT NOT NULL,
                        signed_at REAL NOT NULL, recorded_by TEXT NOT NULL,
                        PRIMARY KEY (campaign_id, department_code)
                    ) WITHOUT ROWID;
                    CREATE TABLE campaign_sample (
                        campaign_id INTEGER NOT NULL REFERENCES campaign(id),
                        department_code TEXT NOT NULL,
                        device_id INTEGER NOT NULL,
                        seed INTEGER NOT NULL, drawn_at REAL NOT NULL,
                        result TEXT CHECK (result IS NULL OR result = 'pass' OR result = 'fail'),
                        note TEXT, confirmed_by TEXT, result_at REAL, recorded_by TEXT,
                        PRIMARY KEY (campaign_id, device_id)
                    ) WITHOUT ROWID;
                    """)
        }
        m.registerMigration("v8-commitments") { db in
            // The licensed-software commitment (承诺书): the staff list (replaced by each import;
            // an employee who stays keeps their signatures) and the signed commitments, one per
            // employee and year of the text.
            try db.execute(
                sql: """
                    CREATE TABLE staff (
                        employee_id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        department_id INTEGER NOT NULL REFERENCES department(id) ON DELETE RESTRICT,
                        email TEXT,
                        source_file TEXT, source_line INTEGER,
                        imported_at REAL NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX staff_department ON staff(department_id);
                    CREATE TABLE commitment (
                        employee_id TEXT NOT NULL REFERENCES staff(employee_id) ON DELETE CASCADE,
                        text_year INTEGER NOT NULL CHECK (text_year BETWEEN 1900 AND 2999),
                        signed_at TEXT NOT NULL,        -- YYYY-MM-DD
                        recorded_at REAL NOT NULL, recorded_by TEXT NOT NULL,
                        PRIMARY KEY (employee_id, text_year)
                    ) WITHOUT ROWID;
                    """)
        }
        m.registerMigration("v9-audit-no-replace") { db in
            // v6's triggers refuse UPDATE and DELETE, but `INSERT OR REPLACE` with an existing id
            // deletes the old row without firing the DELETE trigger (SQLite fires none for REPLACE
            // unless recursive_triggers is on): refuse any insert of an id already there, before
            // the conflict resolution runs.
            try db.execute(
                sql: """
                    CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
                    WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
                    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                    """)
        }
        m.registerMigration("v10-licence-devices") { db in
            // An OEM licence tied to the machines it came with: their serials, upper case,
            // separated by ';' ('' for a licence that names none).
            try db.execute(sql: "ALTER TABLE license ADD COLUMN devices TEXT NOT NULL DEFAULT ''")
        }
        m.registerMigration("v11-software-events") { db in
            // The install/uninstall history (软件安装维护情况): what changed between a device's
            // software report and the newer one that replaced it, one row per title. The device is
            // the report's (`endpoint_report.device_id`), so events follow their reports when
            // devices are folded or split. `at` is the new report's collected_at; `installed_at`
            // the agent's install date of the new row, when it reports one.
            try db.execute(
                sql: """
                    CREATE TABLE software_event (
                        id INTEGER PRIMARY KEY,
                        report_id INTEGER NOT NULL REFERENCES endpoint_report(id) ON DELETE CASCADE,
                        event TEXT NOT NULL CHECK \(oneOf("event", ["installed", "removed", "upgraded"])),
                        name TEXT NOT NULL, publisher TEXT, version TEXT, previous_version TEXT,
                        at REAL NOT NULL,
                        installed_at REAL
                    );
                    CREATE INDEX software_event_report ON software_event(report_id);
                    CREATE INDEX software_event_at ON software_event(at);
                    """)
        }
        m.registerMigration("v12-security-check") { db in
            // The annual security check (网络安全检查) is a campaign of its own kind: v7's CHECK
            // allowed only 'self-check', so the table is rebuilt the way SQLite documents
            // (create, copy, drop, rename; GRDB runs a migration with foreign keys off and checks
            // them at its end, and the rename keeps the children's REFERENCES campaign(id)).
            // `checklist` freezes the items a security check was opened with (JSON), so editing
            // scanners/security-checklist.tsv never changes a running campaign. Manual results
            // (and overrides of automatic ones) are stored per device and item; automatic results
            // are computed when asked. `device_custody` is who answers for a device and where it is.
            try db.execute(
                sql: """
                    CREATE TABLE campaign_v12 (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL CHECK \(oneOf("kind", ["self-check", "security-check"])),
                        name TEXT NOT NULL,
                        deadline TEXT NOT NULL,         -- YYYY-MM-DD
                        opened_at REAL NOT NULL, opened_by TEXT NOT NULL,
                        closed_at REAL, closed_by TEXT,
                        snapshot TEXT CHECK (snapshot IS NULL OR json_valid(snapshot)),
                        checklist TEXT CHECK (checklist IS NULL OR json_valid(checklist))
                    );
                    INSERT INTO campaign_v12 (id, kind, name, deadline, opened_at, opened_by, closed_at, closed_by, snapshot)
                        SELECT id, kind, name, deadline, opened_at, opened_by, closed_at, closed_by, snapshot FROM campaign;
                    DROP TABLE campaign;
                    ALTER TABLE campaign_v12 RENAME TO campaign;

                    CREATE TABLE campaign_check (
                        campaign_id INTEGER NOT NULL REFERENCES campaign(id),
                        device_id INTEGER NOT NULL,
                        item TEXT NOT NULL,
                        department_code TEXT,           -- the device's when recorded
                        result TEXT NOT NULL CHECK \(oneOf("result", ["pass", "fail", "na"])),
                        note TEXT,
                        checked_at REAL NOT NULL, checked_by TEXT NOT NULL,
                        PRIMARY KEY (campaign_id, device_id, item)
                    ) WITHOUT ROWID;

                    CREATE TABLE device_custody (
                        device_id INTEGER PRIMARY KEY REFERENCES device(id) ON DELETE CASCADE,
                        responsible TEXT NOT NULL,
                        location TEXT,
                        set_by TEXT NOT NULL,
                        set_at REAL NOT NULL
                    );
                    """)
        }
        m.registerMigration("v13-accounts") { db in
            // The console's users (bcrypt hashes of SHA-256 of the password, never the password),
            // a liaison's departments, sessions and API tokens by the SHA-256 of their random id
            // (never the id), and recent sign-in attempts for rate limiting.
            try db.execute(
                sql: """
                    CREATE TABLE account (
                        id INTEGER PRIMARY KEY,
                        login TEXT NOT NULL UNIQUE,
                        role TEXT NOT NULL CHECK \(oneOf("role", ["admin", "liaison", "auditor"])),
                        password_hash TEXT NOT NULL,
                        disabled INTEGER NOT NULL DEFAULT 0,
                        created_at REAL NOT NULL, changed_at REAL NOT NULL
                    );
                    CREATE TABLE account_department (
                        account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                        department_code TEXT NOT NULL,
                        PRIMARY KEY (account_id, department_code)
                    ) WITHOUT ROWID;
                    CREATE TABLE session (
                        id_hash TEXT PRIMARY KEY,
                        account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                        csrf_token TEXT NOT NULL,
                        created_at REAL NOT NULL, expires_at REAL NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX session_account ON session(account_id);
                    CREATE TABLE api_token (
                        id INTEGER PRIMARY KEY,
                        account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                        token_hash TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL,
                        -- 'api': the user's whole API; 'reports': only POST /api/v1/reports (a collector)
                        purpose TEXT NOT NULL CHECK \(oneOf("purpose", ["api", "reports"])),
                        created_at REAL NOT NULL
                    );
                    CREATE TABLE login_attempt (login TEXT NOT NULL, at REAL NOT NULL, ok INTEGER NOT NULL);
                    CREATE INDEX login_attempt_login ON login_attempt(login, at);
                    """)
        }
        m.registerMigration("v14-device-review") { db in
            // A department's review of its devices (the liaison confirms each one or marks it not
            // theirs, retired or of the wrong class): the latest per device, with who and when;
            // every review is in the audit log.
            try db.execute(
                sql: """
                    CREATE TABLE device_review (
                        device_id INTEGER PRIMARY KEY REFERENCES device(id) ON DELETE CASCADE,
                        status TEXT NOT NULL CHECK \(oneOf("status", ["confirmed", "not_ours", "retired", "wrong_class"])),
                        note TEXT,
                        department_code TEXT,
                        reviewed_by TEXT NOT NULL, reviewed_at REAL NOT NULL
                    );
                    """)
        }
        m.registerMigration("v15-device-claim") { db in
            // A department's claim on a device the rules put elsewhere or nowhere, named by an
            // address the claimant knows; IT grants it (the device is assigned to the claimant)
            // or refuses it, with a note. `device_id` is what the address named when filed.
            try db.execute(
                sql: """
                    CREATE TABLE device_claim (
                        id INTEGER PRIMARY KEY,
                        department_id INTEGER NOT NULL REFERENCES department(id) ON DELETE CASCADE,
                        identifier_kind TEXT NOT NULL CHECK \(oneOf("identifier_kind", ["mac", "serial", "ip"])),
                        identifier TEXT NOT NULL,
                        device_id INTEGER REFERENCES device(id) ON DELETE SET NULL,
                        reason TEXT NOT NULL,
                        claimed_by TEXT NOT NULL, claimed_at REAL NOT NULL,
                        status TEXT NOT NULL DEFAULT 'open' CHECK \(oneOf("status", ["open", "granted", "refused"])),
                        decided_by TEXT, decided_at REAL, decision_note TEXT
                    );
                    CREATE INDEX device_claim_status ON device_claim(status, department_id);
                    CREATE INDEX device_claim_device ON device_claim(device_id);
                    """)
        }
        m.registerMigration("v16-scan-job") { db in
            // Scan jobs IT sets (scope, exclusions, ports, rate, probes, interface, schedule) and
            // each run of one: when, why (the schedule or who asked), how it ended and the scan it
            // recorded. A run still `running` names the process running it, so a run whose
            // process died is found and closed as failed instead of holding its scope forever.
            try db.execute(
                sql: """
                    CREATE TABLE scan_job (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        scope TEXT NOT NULL,              -- targets as the scan command takes them, comma-separated
                        exclusions TEXT NOT NULL,         -- the same, '' for none
                        ports TEXT NOT NULL,              -- nmap style, 'default'
                        rate REAL NOT NULL,               -- packets per second
                        probes TEXT NOT NULL,             -- phases after discovery: 'ports,udp,tcp', '' for none
                        skip TEXT NOT NULL,               -- probe names left out, comma-separated
                        interface TEXT NOT NULL,
                        every_minutes INTEGER,            -- NULL: on demand only; 1440 with at_time
                        at_time TEXT,                     -- 'HH:MM' local time: daily
                        enabled INTEGER NOT NULL DEFAULT 1,
                        created_by TEXT NOT NULL,
                        created_at REAL NOT NULL
                    );
                    CREATE TABLE scan_job_run (
                        id INTEGER PRIMARY KEY,
                        job_id INTEGER NOT NULL REFERENCES scan_job(id) ON DELETE CASCADE,
                        started_at REAL NOT NULL,
                        finished_at REAL,
                        status TEXT NOT NULL CHECK \(oneOf("status", ["running", "ok", "failed"])),
                        scan_id INTEGER REFERENCES scan(id) ON DELETE SET NULL,
                        error TEXT,
                        trigger_kind TEXT NOT NULL CHECK \(oneOf("trigger_kind", ["schedule", "manual"])),
                        triggered_by TEXT NOT NULL,
                        pid INTEGER                       -- the process running it (while running)
                    );
                    CREATE INDEX scan_job_run_job ON scan_job_run(job_id, started_at);
                    CREATE INDEX scan_job_run_running ON scan_job_run(status) WHERE status = 'running';
                    """)
        }
        // A run IT stopped is `cancelled`, not `failed` (a failure is an alarm, a stop is not).
        // SQLite cannot change a CHECK: the table is rebuilt, its rows copied as they are.
        m.registerMigration("v17-scan-job-run-cancelled") { db in
            try db.execute(
                sql: """
                    CREATE TABLE scan_job_run_v17 (
                        id INTEGER PRIMARY KEY,
                        job_id INTEGER NOT NULL REFERENCES scan_job(id) ON DELETE CASCADE,
                        started_at REAL NOT NULL,
                        finished_at REAL,
                        status TEXT NOT NULL CHECK \(oneOf("status", ["running", "ok", "failed", "cancelled"])),
                        scan_id INTEGER REFERENCES scan(id) ON DELETE SET NULL,
                        error TEXT,
                        trigger_kind TEXT NOT NULL CHECK \(oneOf("trigger_kind", ["schedule", "manual"])),
                        triggered_by TEXT NOT NULL,
                        pid INTEGER                       -- the process running it (while running)
                    );
                    INSERT INTO scan_job_run_v17 (id, job_id, started_at, finished_at, status, scan_id, error,
                        trigger_kind, triggered_by, pid)
                    SELECT id, job_id, started_at, finished_at, status, scan_id, error, trigger_kind, triggered_by, pid
                    FROM scan_job_run;
                    DROP TABLE scan_job_run;
                    ALTER TABLE scan_job_run_v17 RENAME TO scan_job_run;
                    CREATE INDEX scan_job_run_job ON scan_job_run(job_id, started_at);
                    CREATE INDEX scan_job_run_running ON scan_job_run(status) WHERE status = 'running';
                    """)
        }
        return m
    }
}

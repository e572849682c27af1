-- The floor under the ledger benchmark: the rows a merge of 100,000 observations into 50,000
-- devices must write (scripts/bench-ledger.sh's data), written by SQLite alone from SQL, with
-- no application work at all. Run by scripts/bench-ledger-floor.sh on a fresh ledger file.
PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-524288; PRAGMA foreign_keys=ON;
BEGIN;
PRAGMA defer_foreign_keys=ON;
-- first sightings: 50k new devices, their observations, MAC keys and 3 address index rows each
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 50000)
INSERT INTO device (id, class, vendor, hostname, hostname_key, department_id, owner_rule, owner_detail, first_seen, last_seen, addresses)
SELECT i, 'pc', 'Lenovo', printf('d%02d-pc-%05d', i % 60, i), printf('d%02d-pc-%05d', i % 60, i), 1, 'subnet', '198.18.0.0/16', i, i,
 printf('mac	54:e1:ad:%06x	%d.0	%d.0
ip	198.18.%d.%d	%d.0	%d.0
hostname	d%02d-pc-%05d	%d.0	%d.0
', i, i, i, i/256, i%256, i, i, i%60, i, i, i) FROM c;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 50000)
INSERT INTO observation (id, source, source_ref, observed_at, received_at, class, vendor, macs, ips, hostnames, device_id, matched_rule)
SELECT i, 'scan', 'bench', i, 0, 'pc', 'Lenovo', printf('["54:e1:ad:%06x"]', i), printf('["198.18.%d.%d"]', i/256, i%256), printf('["d%02d-pc-%05d"]', i%60, i), i, 'new' FROM c;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 50000)
INSERT INTO identity_key (kind, value, device_id) SELECT 'mac', printf('54:e1:ad:%06x', (i * 7919) % 50000), (i * 7919) % 50000 + 1 FROM c;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 150000)
INSERT INTO device_address (kind, value, device_id, first_seen) SELECT CASE i % 3 WHEN 0 THEN 'mac' WHEN 1 THEN 'ip' ELSE 'hostname' END, printf('v%06d', (i * 7919) % 150000), (i*7919) % 50000 + 1, i FROM c;
-- second sightings: 50k observations, device updates, serial+uuid keys, history events
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 50000)
INSERT INTO observation (id, source, source_ref, observed_at, received_at, class, vendor, model, serial, uuid, os, macs, ips, hostnames, device_id, matched_rule, matched_value)
SELECT 50000 + i, 'agent', 'bench', 86400 + i, 0, 'pc', 'LENOVO', 'ThinkCentre M720t', printf('PC%08X', i), printf('8A7B6C5D-1234-11E9-8000-%012X', i), 'Windows 10 Pro 22H2', printf('["54:e1:ad:%06x"]', i), printf('["198.18.%d.%d"]', i/256, i%256), printf('["d%02d-pc-%05d"]', i%60, i), (i * 7919) % 50000 + 1, 'mac', 'x' FROM c;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 50000)
UPDATE device SET vendor = 'LENOVO', model = 'ThinkCentre M720t', serial = printf('PC%08X', id), uuid = printf('U%d', id), os = 'Windows 10 Pro 22H2', last_seen = last_seen + 86400, addresses = addresses || '' WHERE id IN (SELECT i FROM c);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 37500)
INSERT INTO identity_key (kind, value, device_id) SELECT 'serial', printf('PC%08X', (i*7919) % 37500), (i*7919) % 50000 + 1 FROM c;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 37500)
INSERT INTO identity_key (kind, value, device_id) SELECT 'uuid', printf('8A7B6C5D-1234-11E9-8000-%012X', (i*7919) % 37500), (i*7919) % 50000 + 1 FROM c;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 50000)
INSERT INTO device_history (device_id, source, observation_id, changed_at, changes) SELECT (i * 7919) % 50000 + 1, 'agent bench', 50000 + i, 86400 + i, '[{"field":"vendor","old":"Lenovo","new":"LENOVO"},{"field":"model","old":null,"new":"ThinkCentre M720t"},{"field":"serial","old":null,"new":"PC00000001"},{"field":"uuid","old":null,"new":"8A7B6C5D-1234-11E9-8000-000000000001"},{"field":"os","old":null,"new":"Windows 10 Pro 22H2"}]' FROM c;
COMMIT;

<#
.SYNOPSIS
  AssetLedger endpoint collector for Windows (Windows 7 SP1 / PowerShell 2.0 up to Windows 11).
.DESCRIPTION
  Writes one endpoint report (docs/endpoint-report.schema.json, schema version 1) to a file or
  standard output, or POSTs it to the AssetLedger server with this collector's token.
  Reads Win32_OperatingSystem, Win32_QuickFixEngineering and the Windows Update history,
  root/SecurityCenter2 AntiVirusProduct (productState: enabled = bits 12-15 equal 1, signatures
  current = bits 4-7 equal 0), Defender's Get-MpComputerStatus when present, and both Uninstall
  registry hives. The same parsing rules are implemented and tested on real dumps in
  Sources/Ingest/Endpoint/WindowsRaw.swift (PowerShell does not run on the build machine).
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File assetledger-collect-windows.ps1 -Output C:\report.json
  powershell -ExecutionPolicy Bypass -File assetledger-collect-windows.ps1 -Post https://ledger/api/reports -Token XXXX
#>
param([string]$Output = "", [string]$Post = "", [string]$Token = "")

$ErrorActionPreference = "SilentlyContinue"
if ($Post -ne "" -and $Token -eq "") { Write-Error "-Post needs -Token (each collector has its own)"; exit 2 }

function Esc([string]$s) {
    $b = New-Object System.Text.StringBuilder
    foreach ($c in $s.ToCharArray()) {
        $n = [int]$c
        if ($c -eq '"') { [void]$b.Append('\"') }
        elseif ($c -eq '\') { [void]$b.Append('\\') }
        elseif ($n -eq 10) { [void]$b.Append('\n') }
        elseif ($n -eq 13) { [void]$b.Append('\r') }
        elseif ($n -eq 9) { [void]$b.Append('\t') }
        elseif ($n -lt 32) { [void]$b.Append(('\u{0:x4}' -f $n)) }
        else { [void]$b.Append($c) }
    }
    $b.ToString()
}

# JSON for strings, booleans, numbers, dates, arrays and hashtables (PowerShell 2.0 has no ConvertTo-Json).
function Json($v) {
    if ($v -eq $null) { return 'null' }
    if ($v -is [bool]) { if ($v) { return 'true' } else { return 'false' } }
    if ($v -is [int] -or $v -is [long]) { return [string]$v }
    if ($v -is [datetime]) { return '"' + $v.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") + '"' }
    if ($v -is [System.Collections.IDictionary]) {
        $parts = @()
        foreach ($k in $v.Keys) { $parts += ('"' + (Esc $k) + '":' + (Json $v[$k])) }
        return '{' + ($parts -join ',') + '}'
    }
    if ($v -is [System.Collections.IEnumerable] -and -not ($v -is [string])) {
        $parts = @()
        foreach ($i in $v) { $parts += (Json $i) }
        return '[' + ($parts -join ',') + ']'
    }
    return '"' + (Esc ([string]$v)) + '"'
}

function KB([string]$s) { if ($s -match '(KB\d{5,8})') { return $matches[1].ToUpper() } ; return $null }
function WmiDate([string]$s) { if ($s) { try { return [System.Management.ManagementDateTimeConverter]::ToDateTime($s) } catch { } } ; return $null }
function RegDate([string]$s) {
    if ($s -match '^(\d{4})(\d{2})(\d{2})$') { try { return New-Object DateTime ([int]$matches[1]), ([int]$matches[2]), ([int]$matches[3]) } catch { } }
    return $null
}

# Identity
$cs = Get-WmiObject Win32_ComputerSystem
$bios = Get-WmiObject Win32_BIOS
$product = Get-WmiObject Win32_ComputerSystemProduct
$macs = @(); $ips = @()
foreach ($a in @(Get-WmiObject Win32_NetworkAdapterConfiguration -Filter "IPEnabled = True")) {
    if ($a.MACAddress) { $macs += $a.MACAddress }
    foreach ($ip in @($a.IPAddress)) { if ($ip -and $ip -ne '127.0.0.1' -and $ip -ne '::1') { $ips += $ip } }
}
$serials = @(); if ($bios.SerialNumber) { $serials += $bios.SerialNumber.Trim() }
$identity = @{ hostname = $cs.Name; domain = $cs.Domain; serials = $serials; smbios_uuid = $product.UUID;
    macs = $macs; ips = $ips; vendor = $cs.Manufacturer; model = $cs.Model }

# Operating system
$osw = Get-WmiObject Win32_OperatingSystem
$nt = Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
$version = $nt.DisplayVersion; if (-not $version) { $version = $nt.ReleaseId }; if (-not $version) { $version = $osw.Version }
$ubr = $null; if ($nt.UBR -ne $null) { $ubr = [string]$nt.UBR }
$os = @{ name = ([string]$osw.Caption).Trim(); version = $version; build = [string]$osw.BuildNumber; ubr = $ubr;
    kernel = $osw.Version; architecture = $osw.OSArchitecture; installed_at = (WmiDate $osw.InstallDate) }

# Patches: Win32_QuickFixEngineering, then the Windows Update history (succeeded installs).
$patches = @{}
foreach ($q in @(Get-WmiObject Win32_QuickFixEngineering)) {
    $id = KB $q.HotFixID; if (-not $id) { $id = KB $q.ServicePackInEffect }; if (-not $id) { $id = $q.HotFixID }
    if (-not $id) { continue }
    $when = $null; if ($q.InstalledOn) { try { $when = [datetime]::Parse($q.InstalledOn, [Globalization.CultureInfo]::InvariantCulture) } catch { } }
    $patches[$id] = @{ id = $id; title = $q.Description; installed_at = $when }
}
try {
    $searcher = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher()
    $count = $searcher.GetTotalHistoryCount()
    if ($count -gt 0) {
        foreach ($h in @($searcher.QueryHistory(0, [Math]::Min($count, 500)))) {
            if ($h.ResultCode -ne 2) { continue }
            $id = KB $h.Title; if (-not $id) { continue }
            if (-not $patches.ContainsKey($id) -or -not $patches[$id].installed_at) {
                $patches[$id] = @{ id = $id; title = $h.Title; installed_at = $h.Date }
            }
        }
    }
} catch { }

# Antivirus: Security Center (client Windows), then Defender's own status.
$antivirus = @()
foreach ($p in @(Get-WmiObject -Namespace root\SecurityCenter2 -Class AntiVirusProduct)) {
    $state = [int]$p.productState
    $antivirus += @{ name = $p.displayName; enabled = ((($state -shr 12) -band 0xF) -eq 1); signatures_up_to_date = ((($state -shr 4) -band 0xF) -eq 0) }
}
if (Get-Command Get-MpComputerStatus -ErrorAction SilentlyContinue) {
    $mp = Get-MpComputerStatus
    if ($mp) {
        $defender = @{ name = "Microsoft Defender"; vendor = "Microsoft"; enabled = [bool]$mp.AntivirusEnabled;
            signatures_up_to_date = ($mp.AntivirusSignatureAge -le 7); product_version = $mp.AMProductVersion;
            signature_version = $mp.AntivirusSignatureVersion; signature_date = $mp.AntivirusSignatureLastUpdated;
            last_quick_scan = $mp.QuickScanEndTime; last_full_scan = $mp.FullScanEndTime }
        $antivirus = @($antivirus | Where-Object { $_.name -notmatch 'Defender' }) + @($defender)
    }
}

# Software: both Uninstall hives; KB entries are patches; keys without a DisplayName are skipped.
$software = @()
$hives = @('HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall', 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall')
foreach ($hive in $hives) {
    foreach ($k in @(Get-ChildItem $hive)) {
        $v = Get-ItemProperty $k.PSPath
        if (-not $v.DisplayName -or $v.SystemComponent -eq 1) { continue }
        $id = KB $k.PSChildName; if (-not $id) { $id = KB $v.DisplayName }
        if ($id) {
            if (-not $patches.ContainsKey($id)) { $patches[$id] = @{ id = $id; title = $v.DisplayName; installed_at = (RegDate $v.InstallDate) } }
            continue
        }
        $software += @{ name = $v.DisplayName; publisher = $v.Publisher; version = $v.DisplayVersion; installed_at = (RegDate $v.InstallDate); source = "registry" }
    }
}

$report = @{ schema = "assetledger-endpoint-report"; schema_version = 1; agent = "assetledger-collect-windows 1";
    collected_at = (Get-Date); identity = $identity; os = $os; patches = @($patches.Values); antivirus = $antivirus; software = $software }
$json = Json $report

if ($Post -ne "") {
    $client = New-Object System.Net.WebClient
    $client.Headers.Add("Authorization", "Bearer $Token")
    $client.Headers.Add("Content-Type", "application/json")
    $client.Encoding = [System.Text.Encoding]::UTF8
    try { [void]$client.UploadString($Post, "POST", $json) } catch { Write-Error $_; exit 1 }
} elseif ($Output -ne "") {
    [System.IO.File]::WriteAllText($Output, $json, (New-Object System.Text.UTF8Encoding $false))
} else {
    $json
}

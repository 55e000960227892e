//! Static catalogues: software, processes, USB peripherals, monitors, remote-access tools, IP-KVMs,
//! network destinations, jobs, resume phrases, streets and the like.
//!
//! USB vendor/product ids are real (checked against `data/kvm/usb.ids.gz`, Version 2025.07.26, and
//! the Linux kernel's quirk table); KVM identifiers come from `data/kvm/kvm_identifiers.csv`;
//! remote-access tool names, binaries, paths and domains from LOLRMM (`data/rmm/`). Monitor EDID
//! product codes, software versions and the destination addresses of common SaaS domains are
//! illustrative values of the right shape.

/// Operating system family of a company device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Os {
    Windows,
    Mac,
}

/// A laptop model.
pub(crate) struct Model {
    pub name: &'static str,
    pub os: Os,
    pub os_name: &'static str,
    pub serial_prefix: &'static str,
    pub serial_len: usize,
}

pub(crate) const MODELS: &[Model] = &[
    Model {
        name: "Dell Latitude 7440",
        os: Os::Windows,
        os_name: "Windows 11 Enterprise 23H2",
        serial_prefix: "",
        serial_len: 7,
    },
    Model {
        name: "Dell Latitude 5540",
        os: Os::Windows,
        os_name: "Windows 11 Enterprise 23H2",
        serial_prefix: "",
        serial_len: 7,
    },
    Model {
        name: "Lenovo ThinkPad T14s Gen 4",
        os: Os::Windows,
        os_name: "Windows 11 Enterprise 23H2",
        serial_prefix: "PF",
        serial_len: 8,
    },
    Model {
        name: "Lenovo ThinkPad X1 Carbon Gen 11",
        os: Os::Windows,
        os_name: "Windows 11 Enterprise 24H2",
        serial_prefix: "PW",
        serial_len: 8,
    },
    Model {
        name: "HP EliteBook 840 G10",
        os: Os::Windows,
        os_name: "Windows 11 Enterprise 23H2",
        serial_prefix: "5CG",
        serial_len: 10,
    },
    Model {
        name: "MacBook Pro 14-inch (M3, 2023)",
        os: Os::Mac,
        os_name: "macOS 14.6.1",
        serial_prefix: "",
        serial_len: 10,
    },
    Model {
        name: "MacBook Air 13-inch (M2, 2022)",
        os: Os::Mac,
        os_name: "macOS 14.6.1",
        serial_prefix: "",
        serial_len: 10,
    },
];

/// A program that may run on a device (process inventory) and is installed (software inventory).
pub(crate) struct Program {
    /// Process name as the EDR reports it.
    pub proc: &'static str,
    /// Path; `{u}` is replaced by the local user name.
    pub path: &'static str,
    pub signer: &'static str,
    pub parent: &'static str,
    /// Software inventory name, publisher, version (empty name: not listed as installed software).
    pub sw_name: &'static str,
    pub publisher: &'static str,
    pub version: &'static str,
    pub install_path: &'static str,
}

macro_rules! prog {
    ($p:expr, $path:expr, $signer:expr, $parent:expr, $sw:expr, $publ:expr, $ver:expr, $ip:expr) => {
        Program {
            proc: $p,
            path: $path,
            signer: $signer,
            parent: $parent,
            sw_name: $sw,
            publisher: $publ,
            version: $ver,
            install_path: $ip,
        }
    };
}

/// Always running on Windows devices.
pub(crate) const WIN_BASE: &[Program] = &[
    prog!(
        "explorer.exe",
        "C:\\Windows\\explorer.exe",
        "Microsoft Windows",
        "userinit.exe",
        "",
        "",
        "",
        ""
    ),
    prog!(
        "svchost.exe",
        "C:\\Windows\\System32\\svchost.exe",
        "Microsoft Windows",
        "services.exe",
        "",
        "",
        "",
        ""
    ),
    prog!(
        "MsMpEng.exe",
        "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24080.9-0\\MsMpEng.exe",
        "Microsoft Windows Publisher",
        "services.exe",
        "",
        "",
        "",
        ""
    ),
    prog!(
        "CSFalconService.exe",
        "C:\\Program Files\\CrowdStrike\\CSFalconService.exe",
        "CrowdStrike, Inc.",
        "services.exe",
        "CrowdStrike Windows Sensor",
        "CrowdStrike, Inc.",
        "7.16.18613.0",
        "C:\\Program Files\\CrowdStrike\\"
    ),
];

/// Applications a Windows device may run (each device picks a subset).
pub(crate) const WIN_APPS: &[Program] = &[
    prog!(
        "chrome.exe",
        "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
        "Google LLC",
        "explorer.exe",
        "Google Chrome",
        "Google LLC",
        "128.0.6613.120",
        "C:\\Program Files\\Google\\Chrome\\Application\\"
    ),
    prog!(
        "msedge.exe",
        "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
        "Microsoft Corporation",
        "explorer.exe",
        "Microsoft Edge",
        "Microsoft Corporation",
        "128.0.2739.67",
        "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\"
    ),
    prog!(
        "Teams.exe",
        "C:\\Users\\{u}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe",
        "Microsoft Corporation",
        "explorer.exe",
        "Microsoft Teams",
        "Microsoft Corporation",
        "24215.1007.3082.1590",
        "C:\\Users\\{u}\\AppData\\Local\\Microsoft\\Teams\\"
    ),
    prog!(
        "slack.exe",
        "C:\\Users\\{u}\\AppData\\Local\\slack\\app-4.40.128\\slack.exe",
        "Slack Technologies, LLC",
        "explorer.exe",
        "Slack",
        "Slack Technologies Inc.",
        "4.40.128",
        "C:\\Users\\{u}\\AppData\\Local\\slack\\"
    ),
    prog!(
        "Code.exe",
        "C:\\Users\\{u}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe",
        "Microsoft Corporation",
        "explorer.exe",
        "Microsoft Visual Studio Code (User)",
        "Microsoft Corporation",
        "1.93.1",
        "C:\\Users\\{u}\\AppData\\Local\\Programs\\Microsoft VS Code\\"
    ),
    prog!(
        "OUTLOOK.EXE",
        "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
        "Microsoft Corporation",
        "explorer.exe",
        "Microsoft 365 Apps for enterprise - en-us",
        "Microsoft Corporation",
        "16.0.17928.20156",
        "C:\\Program Files\\Microsoft Office\\"
    ),
    prog!(
        "Zoom.exe",
        "C:\\Users\\{u}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe",
        "Zoom Video Communications, Inc.",
        "explorer.exe",
        "Zoom Workplace",
        "Zoom Video Communications, Inc.",
        "6.2.0.46690",
        "C:\\Users\\{u}\\AppData\\Roaming\\Zoom\\bin\\"
    ),
    prog!(
        "OneDrive.exe",
        "C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe",
        "Microsoft Corporation",
        "explorer.exe",
        "Microsoft OneDrive",
        "Microsoft Corporation",
        "24.161.0811.0001",
        "C:\\Program Files\\Microsoft OneDrive\\"
    ),
    prog!(
        "EXCEL.EXE",
        "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE",
        "Microsoft Corporation",
        "explorer.exe",
        "",
        "",
        "",
        ""
    ),
    prog!(
        "WINWORD.EXE",
        "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
        "Microsoft Corporation",
        "explorer.exe",
        "",
        "",
        "",
        ""
    ),
    prog!(
        "WindowsTerminal.exe",
        "C:\\Program Files\\WindowsApps\\Microsoft.WindowsTerminal_1.20.11781.0_x64__8wekyb3d8bbwe\\WindowsTerminal.exe",
        "Microsoft Corporation",
        "explorer.exe",
        "",
        "",
        "",
        ""
    ),
    prog!(
        "Docker Desktop.exe",
        "C:\\Program Files\\Docker\\Docker\\Docker Desktop.exe",
        "Docker Inc",
        "explorer.exe",
        "Docker Desktop",
        "Docker Inc.",
        "4.34.2",
        "C:\\Program Files\\Docker\\Docker\\"
    ),
    prog!(
        "idea64.exe",
        "C:\\Program Files\\JetBrains\\IntelliJ IDEA 2024.2.1\\bin\\idea64.exe",
        "JetBrains s.r.o.",
        "explorer.exe",
        "IntelliJ IDEA 2024.2.1",
        "JetBrains s.r.o.",
        "242.21829.142",
        "C:\\Program Files\\JetBrains\\IntelliJ IDEA 2024.2.1\\"
    ),
    prog!(
        "Postman.exe",
        "C:\\Users\\{u}\\AppData\\Local\\Postman\\app-11.12.0\\Postman.exe",
        "Postman, Inc.",
        "explorer.exe",
        "Postman x64 11.12.0",
        "Postman",
        "11.12.0",
        "C:\\Users\\{u}\\AppData\\Local\\Postman\\"
    ),
    prog!(
        "1Password.exe",
        "C:\\Users\\{u}\\AppData\\Local\\1Password\\app\\8\\1Password.exe",
        "AgileBits Inc.",
        "explorer.exe",
        "1Password",
        "AgileBits Inc.",
        "8.10.46",
        "C:\\Users\\{u}\\AppData\\Local\\1Password\\"
    ),
    prog!(
        "node.exe",
        "C:\\Program Files\\nodejs\\node.exe",
        "OpenJS Foundation",
        "Code.exe",
        "Node.js",
        "Node.js Foundation",
        "20.17.0",
        "C:\\Program Files\\nodejs\\"
    ),
    prog!(
        "python.exe",
        "C:\\Users\\{u}\\AppData\\Local\\Programs\\Python\\Python312\\python.exe",
        "Python Software Foundation",
        "Code.exe",
        "Python 3.12.6 (64-bit)",
        "Python Software Foundation",
        "3.12.6150.0",
        "C:\\Users\\{u}\\AppData\\Local\\Programs\\Python\\Python312\\"
    ),
    prog!(
        "git.exe",
        "C:\\Program Files\\Git\\cmd\\git.exe",
        "Johannes Schindelin",
        "Code.exe",
        "Git",
        "The Git Development Community",
        "2.46.0",
        "C:\\Program Files\\Git\\"
    ),
    prog!(
        "Notion.exe",
        "C:\\Users\\{u}\\AppData\\Local\\Programs\\Notion\\Notion.exe",
        "Notion Labs, Inc.",
        "explorer.exe",
        "Notion 3.14.0",
        "Notion Labs, Inc",
        "3.14.0",
        "C:\\Users\\{u}\\AppData\\Local\\Programs\\Notion\\"
    ),
    prog!(
        "AcroRd32.exe",
        "C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe",
        "Adobe Inc.",
        "explorer.exe",
        "Adobe Acrobat (64-bit)",
        "Adobe",
        "24.003.20112",
        "C:\\Program Files\\Adobe\\Acrobat DC\\"
    ),
];

/// Always running on Macs.
pub(crate) const MAC_BASE: &[Program] = &[
    prog!(
        "Finder",
        "/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder",
        "Software Signing",
        "launchd",
        "",
        "",
        "",
        ""
    ),
    prog!(
        "WindowServer",
        "/System/Library/PrivateFrameworks/SkyLight.framework/Versions/A/Resources/WindowServer",
        "Software Signing",
        "launchd",
        "",
        "",
        "",
        ""
    ),
    prog!(
        "falcond",
        "/Library/CS/falcond",
        "Developer ID Application: CrowdStrike Inc. (X9E956P446)",
        "launchd",
        "Falcon",
        "CrowdStrike, Inc.",
        "7.17.18604",
        "/Applications/Falcon.app"
    ),
];

/// Applications a Mac may run.
pub(crate) const MAC_APPS: &[Program] = &[
    prog!(
        "Google Chrome",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "Developer ID Application: Google LLC (EQHXZ8M8AV)",
        "launchd",
        "Google Chrome",
        "Google LLC",
        "128.0.6613.120",
        "/Applications/Google Chrome.app"
    ),
    prog!(
        "Slack",
        "/Applications/Slack.app/Contents/MacOS/Slack",
        "Apple Mac OS Application Signing",
        "launchd",
        "Slack",
        "Slack Technologies, Inc.",
        "4.40.128",
        "/Applications/Slack.app"
    ),
    prog!(
        "zoom.us",
        "/Applications/zoom.us.app/Contents/MacOS/zoom.us",
        "Developer ID Application: Zoom Video Communications, Inc. (BJ4HAAB9B3)",
        "launchd",
        "zoom.us",
        "Zoom Video Communications, Inc.",
        "6.2.0",
        "/Applications/zoom.us.app"
    ),
    prog!(
        "MSTeams",
        "/Applications/Microsoft Teams.app/Contents/MacOS/MSTeams",
        "Developer ID Application: Microsoft Corporation (UBF8T346G9)",
        "launchd",
        "Microsoft Teams",
        "Microsoft Corporation",
        "24215.1007.3082",
        "/Applications/Microsoft Teams.app"
    ),
    prog!(
        "Code Helper",
        "/Applications/Visual Studio Code.app/Contents/Frameworks/Code Helper.app/Contents/MacOS/Code Helper",
        "Developer ID Application: Microsoft Corporation (UBF8T346G9)",
        "Electron",
        "Visual Studio Code",
        "Microsoft Corporation",
        "1.93.1",
        "/Applications/Visual Studio Code.app"
    ),
    prog!(
        "Microsoft Outlook",
        "/Applications/Microsoft Outlook.app/Contents/MacOS/Microsoft Outlook",
        "Developer ID Application: Microsoft Corporation (UBF8T346G9)",
        "launchd",
        "Microsoft Outlook",
        "Microsoft Corporation",
        "16.88",
        "/Applications/Microsoft Outlook.app"
    ),
    prog!(
        "iTerm2",
        "/Applications/iTerm.app/Contents/MacOS/iTerm2",
        "Developer ID Application: GEORGE NACHMAN (H7V7XYVQ7D)",
        "launchd",
        "iTerm",
        "George Nachman",
        "3.5.4",
        "/Applications/iTerm.app"
    ),
    prog!(
        "com.docker.backend",
        "/Applications/Docker.app/Contents/MacOS/com.docker.backend",
        "Developer ID Application: Docker Inc (9BNSXJN65R)",
        "launchd",
        "Docker",
        "Docker Inc",
        "4.34.2",
        "/Applications/Docker.app"
    ),
    prog!(
        "1Password",
        "/Applications/1Password.app/Contents/MacOS/1Password",
        "Developer ID Application: AgileBits Inc. (2BUA8C4S2C)",
        "launchd",
        "1Password",
        "AgileBits Inc.",
        "8.10.46",
        "/Applications/1Password.app"
    ),
    prog!(
        "Notion",
        "/Applications/Notion.app/Contents/MacOS/Notion",
        "Developer ID Application: Notion Labs, Incorporated (LBQJ96FQ8D)",
        "launchd",
        "Notion",
        "Notion Labs, Inc",
        "3.14.0",
        "/Applications/Notion.app"
    ),
    prog!(
        "Safari",
        "/Applications/Safari.app/Contents/MacOS/Safari",
        "Software Signing",
        "launchd",
        "",
        "",
        "",
        ""
    ),
];

/// Installed-only software (no process in the inventory).
pub(crate) const WIN_EXTRA_SW: &[(&str, &str, &str, &str)] = &[
    (
        "Microsoft Edge WebView2 Runtime",
        "Microsoft Corporation",
        "128.0.2739.67",
        "C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\",
    ),
    (
        "Microsoft Visual C++ 2015-2022 Redistributable (x64)",
        "Microsoft Corporation",
        "14.40.33810.0",
        "",
    ),
    (
        "Zscaler",
        "Zscaler Inc.",
        "4.4.0.389",
        "C:\\Program Files\\Zscaler\\",
    ),
    (
        "Microsoft Intune Management Extension",
        "Microsoft Corporation",
        "1.82.104.0",
        "C:\\Program Files (x86)\\Microsoft Intune Management Extension\\",
    ),
    (
        "7-Zip 24.08 (x64)",
        "Igor Pavlov",
        "24.08",
        "C:\\Program Files\\7-Zip\\",
    ),
    (
        "Dell Command | Update",
        "Dell Inc.",
        "5.4.0",
        "C:\\Program Files\\Dell\\CommandUpdate\\",
    ),
];

pub(crate) const MAC_EXTRA_SW: &[(&str, &str, &str, &str)] = &[
    (
        "Zscaler",
        "Zscaler Inc.",
        "4.3.0.202",
        "/Applications/Zscaler/Zscaler.app",
    ),
    (
        "Company Portal",
        "Microsoft Corporation",
        "5.2408.0",
        "/Applications/Company Portal.app",
    ),
    ("Keynote", "Apple Inc.", "14.1", "/Applications/Keynote.app"),
];

/// A remote-access (RMM) tool as it appears on a device.
pub(crate) struct Rmm {
    /// LOLRMM tool name (also the software inventory name).
    pub name: &'static str,
    pub publisher: &'static str,
    pub version: &'static str,
    pub install_path: &'static str,
    /// Running processes: (name, path, signer, cmdline).
    pub procs: &'static [(&'static str, &'static str, &'static str, &'static str)],
    /// Process started once at install time (name, path, cmdline); empty name: none.
    pub installer: (&'static str, &'static str, &'static str),
    /// Domains contacted; `{h}` is replaced by 8 hex digits.
    pub domains: &'static [&'static str],
    pub ports: &'static [u16],
    /// Base address of the vendor's relay servers (illustrative, one /24).
    pub relay_net: u32,
}

const fn ip4(a: u8, b: u8, c: u8, d: u8) -> u32 {
    ((a as u32) << 24) | ((b as u32) << 16) | ((c as u32) << 8) | d as u32
}

/// Remote-access tools used by fraud (never the company's approved tool).
pub(crate) const RMM_TOOLS: &[Rmm] = &[
    Rmm {
        name: "AnyDesk",
        publisher: "AnyDesk Software GmbH",
        version: "8.0.14",
        install_path: "C:\\Program Files (x86)\\AnyDesk\\",
        procs: &[(
            "AnyDesk.exe",
            "C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe",
            "AnyDesk Software GmbH",
            "\"C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe\" --service",
        )],
        installer: (
            "AnyDesk.exe",
            "C:\\Users\\{u}\\Downloads\\AnyDesk.exe",
            "\"C:\\Users\\{u}\\Downloads\\AnyDesk.exe\" --install \"C:\\Program Files (x86)\\AnyDesk\" --start-with-win --silent",
        ),
        domains: &["boot.net.anydesk.com", "relay-{h}.net.anydesk.com"],
        ports: &[443, 6568],
        relay_net: ip4(195, 181, 174, 0),
    },
    Rmm {
        name: "TeamViewer",
        publisher: "TeamViewer Germany GmbH",
        version: "15.57.5",
        install_path: "C:\\Program Files\\TeamViewer\\",
        procs: &[
            (
                "TeamViewer_Service.exe",
                "C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe",
                "TeamViewer Germany GmbH",
                "\"C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe\"",
            ),
            (
                "TeamViewer.exe",
                "C:\\Program Files\\TeamViewer\\TeamViewer.exe",
                "TeamViewer Germany GmbH",
                "\"C:\\Program Files\\TeamViewer\\TeamViewer.exe\"",
            ),
        ],
        installer: (
            "TeamViewer_Setup_x64.exe",
            "C:\\Users\\{u}\\Downloads\\TeamViewer_Setup_x64.exe",
            "\"C:\\Users\\{u}\\Downloads\\TeamViewer_Setup_x64.exe\" /S",
        ),
        domains: &[
            "router15.teamviewer.com",
            "client.teamviewer.com",
            "master{h}.teamviewer.com",
        ],
        ports: &[5938, 443],
        relay_net: ip4(37, 252, 227, 0),
    },
    Rmm {
        name: "RustDesk",
        publisher: "Purslane Ltd",
        version: "1.3.1",
        install_path: "C:\\Program Files\\RustDesk\\",
        procs: &[(
            "rustdesk.exe",
            "C:\\Program Files\\RustDesk\\rustdesk.exe",
            "PURSLANE",
            "\"C:\\Program Files\\RustDesk\\rustdesk.exe\" --service",
        )],
        installer: (
            "rustdesk-1.3.1-x86_64.exe",
            "C:\\Users\\{u}\\Downloads\\rustdesk-1.3.1-x86_64.exe",
            "\"C:\\Users\\{u}\\Downloads\\rustdesk-1.3.1-x86_64.exe\" --silent-install",
        ),
        domains: &["rs-ny.rustdesk.com", "api.rustdesk.com"],
        ports: &[21116, 21115, 443],
        relay_net: ip4(209, 250, 254, 0),
    },
    Rmm {
        name: "Chrome Remote Desktop",
        publisher: "Google LLC",
        version: "128.0.6613.4",
        install_path: "C:\\Program Files (x86)\\Google\\Chrome Remote Desktop\\",
        procs: &[(
            "remoting_host.exe",
            "C:\\Program Files (x86)\\Google\\Chrome Remote Desktop\\128.0.6613.4\\remoting_host.exe",
            "Google LLC",
            "\"C:\\Program Files (x86)\\Google\\Chrome Remote Desktop\\128.0.6613.4\\remoting_host.exe\" --type=host",
        )],
        installer: (
            "remoting_start_host.exe",
            "C:\\Program Files (x86)\\Google\\Chrome Remote Desktop\\CurrentVersion\\remoting_start_host.exe",
            "\"C:\\Program Files (x86)\\Google\\Chrome Remote Desktop\\CurrentVersion\\remoting_start_host.exe\" --code=\"4/0AQlEd8x{h}\" --redirect-url=\"https://remotedesktop.google.com/_/oauthredirect\" --name=%COMPUTERNAME% --pin={p}",
        ),
        domains: &[
            "remotedesktop-pa.googleapis.com",
            "chromoting-host.talkgadget.google.com",
        ],
        ports: &[443],
        relay_net: ip4(142, 250, 65, 0),
    },
    Rmm {
        name: "JumpConnect",
        publisher: "Phase Five Systems LLC",
        version: "9.1.8",
        install_path: "C:\\Program Files\\Jump Desktop Connect\\",
        procs: &[(
            "JumpConnect.exe",
            "C:\\Program Files\\Jump Desktop Connect\\JumpConnect.exe",
            "Phase Five Systems LLC",
            "\"C:\\Program Files\\Jump Desktop Connect\\JumpConnect.exe\" -service",
        )],
        installer: ("", "", ""),
        domains: &["jumpdesktop.com", "relay{h}.jumpto.me"],
        ports: &[443],
        relay_net: ip4(52, 2, 161, 0),
    },
    Rmm {
        name: "AnyViewer",
        publisher: "AOMEI International Network Limited",
        version: "4.5.0",
        install_path: "C:\\Program Files (x86)\\AnyViewer\\",
        procs: &[
            (
                "RCService.exe",
                "C:\\Program Files (x86)\\AnyViewer\\RCService.exe",
                "AOMEI International Network Limited",
                "\"C:\\Program Files (x86)\\AnyViewer\\RCService.exe\"",
            ),
            (
                "AVCore.exe",
                "C:\\Program Files (x86)\\AnyViewer\\AVCore.exe",
                "AOMEI International Network Limited",
                "\"C:\\Program Files (x86)\\AnyViewer\\AVCore.exe\" -d",
            ),
        ],
        installer: (
            "AnyViewerSetup.exe",
            "C:\\Users\\{u}\\Downloads\\AnyViewerSetup.exe",
            "\"C:\\Users\\{u}\\Downloads\\AnyViewerSetup.exe\" /verysilent",
        ),
        domains: &["controlserver.anyviewer.com", "www.aomeisoftware.com"],
        ports: &[443],
        relay_net: ip4(47, 254, 11, 0),
    },
    Rmm {
        name: "Splashtop",
        publisher: "Splashtop Inc.",
        version: "3.7.0.4",
        install_path: "C:\\Program Files (x86)\\Splashtop\\Splashtop Remote\\Server\\",
        procs: &[(
            "SRService.exe",
            "C:\\Program Files (x86)\\Splashtop\\Splashtop Remote\\Server\\SRService.exe",
            "Splashtop Inc.",
            "\"C:\\Program Files (x86)\\Splashtop\\Splashtop Remote\\Server\\SRService.exe\"",
        )],
        installer: ("", "", ""),
        domains: &["st2-v3-dc.splashtop.com", "relay-{h}.relay.splashtop.com"],
        ports: &[443],
        relay_net: ip4(54, 241, 9, 0),
    },
];

/// The company's approved remote-support tool (listed in `approved_rmm.txt`).
pub(crate) const APPROVED_RMM: Rmm = Rmm {
    name: "ScreenConnect",
    publisher: "ConnectWise, LLC",
    version: "24.2.10.8991",
    install_path: "C:\\Program Files (x86)\\ScreenConnect Client (7f3a2b1c9d8e4f60)\\",
    procs: &[(
        "ScreenConnect.ClientService.exe",
        "C:\\Program Files (x86)\\ScreenConnect Client (7f3a2b1c9d8e4f60)\\ScreenConnect.ClientService.exe",
        "ConnectWise, LLC",
        "\"C:\\Program Files (x86)\\ScreenConnect Client (7f3a2b1c9d8e4f60)\\ScreenConnect.ClientService.exe\" \"?e=Access&y=Guest&h=muster-it.screenconnect.com&p=443\"",
    )],
    installer: ("", "", ""),
    domains: &["muster-it.screenconnect.com", "control.connectwise.com"],
    ports: &[443],
    relay_net: ip4(147, 75, 85, 0),
};

/// A USB device profile.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Usb {
    pub vid: &'static str,
    pub pid: &'static str,
    pub vendor: &'static str,
    pub product: &'static str,
    /// Fixed serial string; empty: none; "*": random per unit.
    pub serial: &'static str,
    pub interfaces: &'static str,
}

macro_rules! usb {
    ($v:expr, $p:expr, $vn:expr, $pn:expr, $s:expr, $i:expr) => {
        Usb {
            vid: $v,
            pid: $p,
            vendor: $vn,
            product: $pn,
            serial: $s,
            interfaces: $i,
        }
    };
}

/// Keyboards / mice / receivers (one per device at most).
pub(crate) const USB_INPUT: &[Usb] = &[
    usb!(
        "046d",
        "c52b",
        "Logitech",
        "USB Receiver",
        "",
        "03:01:01;03:01:02;03:00:00"
    ),
    usb!(
        "046d",
        "c548",
        "Logitech",
        "USB Receiver",
        "",
        "03:01:01;03:01:02;03:00:00"
    ),
    usb!(
        "046d",
        "c534",
        "Logitech",
        "USB Receiver",
        "",
        "03:01:01;03:01:02"
    ),
    usb!(
        "046d",
        "c31c",
        "Logitech",
        "USB Keyboard",
        "",
        "03:01:01;03:00:00"
    ),
    usb!(
        "046d",
        "c077",
        "Logitech",
        "USB Optical Mouse",
        "",
        "03:01:02"
    ),
    usb!(
        "05ac",
        "024f",
        "Apple Inc.",
        "Apple Keyboard",
        "",
        "03:01:01;03:00:00"
    ),
    usb!(
        "05ac",
        "0267",
        "Apple Inc.",
        "Magic Keyboard",
        "*",
        "03:01:01;03:00:00"
    ),
    usb!("05ac", "0269", "Apple Inc.", "Magic Mouse", "*", "03:01:02"),
    usb!(
        "413c",
        "2113",
        "Dell",
        "Dell KB216 Wired Keyboard",
        "",
        "03:01:01;03:00:00"
    ),
    usb!(
        "413c",
        "301a",
        "PixArt",
        "Dell MS116 USB Optical Mouse",
        "",
        "03:01:02"
    ),
    usb!(
        "045e",
        "07a5",
        "Microsoft",
        "Microsoft Nano Transceiver v1.0",
        "",
        "03:01:01;03:01:02;03:00:00"
    ),
    usb!(
        "045e",
        "0823",
        "Microsoft",
        "Classic IntelliMouse",
        "",
        "03:01:02;03:00:00"
    ),
];

/// Webcams, headsets, security keys, adapters.
pub(crate) const USB_OTHER: &[Usb] = &[
    usb!(
        "046d",
        "082d",
        "",
        "HD Pro Webcam C920",
        "*",
        "0e:01:00;0e:02:00;01:01:00;01:02:00"
    ),
    usb!(
        "046d",
        "085e",
        "Logitech",
        "Logitech BRIO",
        "*",
        "0e:01:00;0e:02:00;01:01:00;01:02:00;03:00:00"
    ),
    usb!(
        "046d",
        "0825",
        "",
        "C270 HD WEBCAM",
        "*",
        "0e:01:00;0e:02:00;01:01:00;01:02:00"
    ),
    usb!(
        "045e",
        "0810",
        "Microsoft",
        "Microsoft LifeCam HD-3000",
        "",
        "0e:01:00;0e:02:00;01:01:00;01:02:00"
    ),
    usb!(
        "046d",
        "0a44",
        "Logitech",
        "Logitech USB Headset H390",
        "",
        "01:01:00;01:02:00;03:00:00"
    ),
    usb!(
        "047f",
        "c056",
        "Plantronics",
        "Plantronics Blackwire 3220 Series",
        "*",
        "01:01:00;01:02:00;03:00:00"
    ),
    usb!(
        "047f",
        "02ee",
        "Plantronics",
        "BT600",
        "*",
        "01:01:00;01:02:00;03:00:00"
    ),
    usb!(
        "0b0e",
        "0422",
        "Jabra",
        "Jabra SPEAK 510 USB",
        "*",
        "01:01:00;01:02:00;03:00:00"
    ),
    usb!(
        "1050",
        "0407",
        "Yubico",
        "YubiKey OTP+FIDO+CCID",
        "",
        "03:01:01;03:00:00;0b:00:00"
    ),
    usb!(
        "0bda",
        "8153",
        "Realtek",
        "USB 10/100/1000 LAN",
        "*",
        "ff:ff:00;02:06:00;0a:00:00"
    ),
    usb!(
        "0bda",
        "5411",
        "Generic",
        "4-Port USB 2.0 Hub",
        "",
        "09:00:01"
    ),
];

/// Developers' test rigs: Raspberry Pi gadgets WITHOUT KVM strings, a capture card (legit traps).
pub(crate) const USB_TEST_RIG: &[Usb] = &[
    usb!(
        "1d6b",
        "0104",
        "Raspberry Pi",
        "Pi Zero USB Gadget",
        "*",
        "02:06:00;0a:00:00;02:02:01;0a:00:00"
    ),
    usb!(
        "1d6b",
        "0104",
        "Linux 6.6.31+rpt-rpi-v6 with 20980000.usb",
        "Composite Gadget",
        "",
        "02:02:01;0a:00:00"
    ),
    usb!(
        "2e8a",
        "000a",
        "Raspberry Pi",
        "Pico",
        "*",
        "02:02:00;0a:00:00;ff:00:00"
    ),
    usb!(
        "534d",
        "2109",
        "MACROSILICON",
        "USB Video",
        "",
        "0e:01:00;0e:02:00;01:01:00;01:02:00"
    ),
];

/// An IP-KVM as the target laptop sees it: USB gadget + EDID of the capture side.
pub(crate) struct Kvm {
    pub usb: Usb,
    pub edid: Edid,
}

/// A monitor EDID.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edid {
    pub mfg: &'static str,
    pub code: &'static str,
    pub name: &'static str,
    /// Fixed serial string; empty: none; "*": random per unit.
    pub serial: &'static str,
    pub w: u32,
    pub h: u32,
}

macro_rules! edid {
    ($m:expr, $c:expr, $n:expr, $s:expr, $w:expr, $h:expr) => {
        Edid {
            mfg: $m,
            code: $c,
            name: $n,
            serial: $s,
            w: $w,
            h: $h,
        }
    };
}

/// KVMs with their default identities (scheme `kvm_default`).
pub(crate) const KVM_DEFAULT: &[Kvm] = &[
    Kvm {
        /* PiKVM */
        usb: usb!(
            "1d6b",
            "0104",
            "PiKVM",
            "PiKVM Composite Device",
            "CAFEBABE",
            "03:01:01;03:00:00;08:06:50"
        ),
        edid: edid!("LNX", "7770", "PiKVM", "CAFEBABE", 1920, 1080),
    },
    Kvm {
        /* PiKVM V3 */
        usb: usb!(
            "1d6b",
            "0104",
            "PiKVM",
            "PiKVM Composite Device",
            "CAFEBABE",
            "03:01:01;03:00:00;08:06:50"
        ),
        edid: edid!("LNX", "7771", "PiKVM V3", "CAFEBABE", 1920, 1080),
    },
    Kvm {
        /* TinyPilot */
        usb: usb!(
            "1d6b",
            "0104",
            "tinypilot",
            "Multifunction USB Device",
            "6b65796d696d6570690",
            "03:01:01;03:00:00"
        ),
        edid: edid!("TSB", "9876", "TinyPilot", "", 1920, 1080),
    },
    Kvm {
        /* JetKVM */
        usb: usb!(
            "1d6b",
            "0104",
            "JetKVM",
            "USB Emulation Device",
            "*",
            "03:01:01;03:00:00;08:06:50"
        ),
        edid: edid!("TSB", "8801", "T749-fHD720", "", 1280, 720),
    },
    Kvm {
        /* GL.iNet Comet */
        usb: usb!(
            "38eb",
            "0104",
            "Glinet",
            "Glinet Composite Device",
            "CAFEBABE",
            "03:01:01;03:00:00;08:06:50;01:01:00"
        ),
        edid: edid!("LNX", "7771", "PiKVM V3", "CAFEBABE", 1920, 1080),
    },
    Kvm {
        /* NanoKVM */
        usb: usb!(
            "3346",
            "1009",
            "sipeed",
            "NanoKVM",
            "0123456789ABCDEF",
            "03:01:01;03:00:00;08:06:50"
        ),
        edid: edid!("SPD", "3301", "NanoKVM", "NanoKVM", 1920, 1080),
    },
    Kvm {
        /* BliKVM */
        usb: usb!(
            "1d6b",
            "0106",
            "smart-kvm",
            "Multifunction USB Device",
            "6b65796d696d6570690",
            "03:01:01;03:00:00;08:06:50"
        ),
        edid: edid!("TSB", "8888", "Toshiba-H2C", "", 1920, 1080),
    },
];

/// KVMs with rewritten USB ids (scheme `kvm_spoofed`): the structure still shows.
pub(crate) const KVM_SPOOFED: &[Kvm] = &[
    // Linux gadget vendor presenting as a Logitech keyboard
    Kvm {
        /* PiKVM (ids spoofed) */
        usb: usb!(
            "1d6b",
            "0104",
            "Logitech",
            "Logitech USB Keyboard",
            "*",
            "03:01:01;03:00:00;08:06:50"
        ),
        edid: edid!("TSB", "8888", "Toshiba-H2C", "", 1920, 1080),
    },
    // Logitech K120 ids on a composite keyboard + absolute pointer + mass storage
    Kvm {
        /* TinyPilot (ids spoofed) */
        usb: usb!(
            "046d",
            "c31c",
            "Logitech",
            "USB Keyboard",
            "",
            "03:01:01;03:00:00;08:06:50"
        ),
        edid: edid!("MSI", "2109", "MACROSILICON", "", 1920, 1080),
    },
    // Dell KB216 ids, same structure; EDID impersonating a Philips monitor (NanoKVM legacy serial)
    Kvm {
        /* NanoKVM (ids spoofed) */
        usb: usb!(
            "413c",
            "2113",
            "Dell",
            "Dell KB216 Wired Keyboard",
            "",
            "03:01:01;03:00:00;08:06:50"
        ),
        edid: edid!("PHL", "C233", "PHL 342E2", "UK02143047718", 1920, 1080),
    },
    // HP keyboard ids, keyboard + absolute pointer; LNX maker with a renamed monitor
    Kvm {
        /* JetKVM (ids spoofed) */
        usb: usb!(
            "03f0",
            "0024",
            "HP",
            "HP Basic USB Keyboard",
            "",
            "03:01:01;03:00:00;08:06:50"
        ),
        edid: edid!("LNX", "7773", "DELL P2419H", "", 1920, 1080),
    },
];

/// Laptop panels (internal displays) per OS.
pub(crate) const PANELS_WIN: &[Edid] = &[
    edid!("BOE", "0BCA", "", "", 1920, 1200),
    edid!("AUO", "8F9D", "", "", 1920, 1080),
    edid!("LGD", "0675", "", "", 1920, 1200),
    edid!("CMN", "1404", "", "", 1920, 1080),
    edid!("SHP", "1515", "", "", 2560, 1600),
];
pub(crate) const PANELS_MAC: &[Edid] = &[
    edid!("APP", "A050", "Color LCD", "", 3024, 1964),
    edid!("APP", "A04F", "Color LCD", "", 2560, 1664),
];

/// External monitors.
pub(crate) const MONITORS: &[Edid] = &[
    edid!("DEL", "D0E5", "DELL U2723QE", "*", 3840, 2160),
    edid!("DEL", "A1D1", "DELL P2422H", "*", 1920, 1080),
    edid!("DEL", "41F0", "DELL P2419H", "*", 1920, 1080),
    edid!("DEL", "A0F8", "DELL U2720Q", "*", 3840, 2160),
    edid!("GSM", "5B09", "LG HDR 4K", "*", 3840, 2160),
    edid!("GSM", "772A", "LG ULTRAGEAR", "*", 2560, 1440),
    edid!("SAM", "7088", "S27R65x", "*", 2560, 1440),
    edid!("HWP", "3563", "HP E24 G5", "*", 1920, 1080),
    edid!("LEN", "66F3", "LEN T24i-30", "*", 1920, 1080),
    edid!("ACR", "0DD1", "Acer KA272", "*", 1920, 1080),
];

/// Common SaaS destinations of outbound flows: domain, illustrative address, port.
pub(crate) const SAAS: &[(&str, u32, u16)] = &[
    ("slack.com", ip4(54, 230, 18, 45), 443),
    ("wss-primary.slack.com", ip4(3, 221, 148, 22), 443),
    ("zoom.us", ip4(170, 114, 52, 2), 443),
    ("github.com", ip4(140, 82, 112, 3), 443),
    ("api.github.com", ip4(140, 82, 113, 6), 443),
    ("login.microsoftonline.com", ip4(20, 190, 151, 68), 443),
    ("outlook.office365.com", ip4(52, 96, 40, 242), 443),
    ("teams.microsoft.com", ip4(52, 113, 194, 132), 443),
    ("www.microsoft.com", ip4(23, 53, 122, 5), 443),
    ("www.google.com", ip4(142, 250, 72, 4), 443),
    ("docs.google.com", ip4(142, 250, 80, 78), 443),
    ("company.okta.com", ip4(35, 160, 211, 87), 443),
    ("jira.company.example", ip4(104, 192, 142, 18), 443),
    ("registry.npmjs.org", ip4(104, 16, 24, 34), 443),
    ("pypi.org", ip4(151, 101, 0, 223), 443),
    ("ts.falcon.crowdstrike.com", ip4(100, 20, 40, 151), 443),
];

/// Applications users sign in to (Okta source).
pub(crate) const OKTA_APPS: &[&str] = &[
    "Okta Dashboard",
    "Okta Dashboard",
    "Slack",
    "Zoom",
    "GitHub Enterprise Cloud",
    "Workday",
    "Salesforce",
    "Atlassian Cloud",
    "Google Workspace",
    "Office 365",
];
/// Applications users sign in to (Entra source).
pub(crate) const ENTRA_APPS: &[&str] = &[
    "Microsoft Teams",
    "Office 365 Exchange Online",
    "Microsoft Office",
    "Azure Portal",
];

/// Browser user agents of company devices.
pub(crate) const UA_WIN: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36 Edg/128.0.0.0",
];
pub(crate) const UA_MAC: &[&str] = &[
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
];
pub(crate) const UA_MOBILE: &[&str] = &[
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.6613.88 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SM-S921U) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.6613.88 Mobile Safari/537.36",
    "OktaVerify/9.21.0 (iOS 17.6.1; iPhone15,2)",
    "OktaVerify/9.21.0 (Android 14; Pixel 8)",
];
/// Browser of a worker's own machine (direct sign-ins from outside the company laptop).
pub(crate) const UA_OTHER: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:130.0) Gecko/20100101 Firefox/130.0",
];

/// Kinds of activity rows.
pub(crate) const ACTIVITY_KINDS_ENG: &[&str] = &[
    "commit",
    "commit",
    "pull_request",
    "code_review",
    "chat_message",
    "chat_message",
    "ticket_update",
    "deploy",
];
pub(crate) const ACTIVITY_KINDS_OTHER: &[&str] = &[
    "chat_message",
    "chat_message",
    "email_sent",
    "ticket_update",
    "document_edit",
    "calendar_event",
    "crm_update",
];

/// Departments with their job titles and salary band (USD thousands per year).
pub(crate) const JOBS: &[(&str, &[&str], u32, u32, u32)] = &[
    // department, titles, weight, salary min, salary max
    (
        "Engineering",
        &[
            "Software Engineer",
            "Senior Software Engineer",
            "Backend Engineer",
            "Frontend Developer",
            "Full Stack Developer",
            "DevOps Engineer",
            "Data Engineer",
            "QA Engineer",
            "Mobile Developer",
            "Machine Learning Engineer",
            "Site Reliability Engineer",
            "Staff Engineer",
        ],
        40,
        110,
        230,
    ),
    (
        "Product",
        &[
            "Product Manager",
            "Product Designer",
            "UX Researcher",
            "Technical Program Manager",
        ],
        8,
        100,
        200,
    ),
    (
        "Sales",
        &[
            "Account Executive",
            "Sales Development Representative",
            "Solutions Engineer",
            "Sales Manager",
        ],
        12,
        60,
        170,
    ),
    (
        "Marketing",
        &[
            "Marketing Manager",
            "Content Strategist",
            "Growth Marketer",
            "Marketing Analyst",
        ],
        7,
        65,
        150,
    ),
    (
        "Customer Support",
        &[
            "Customer Support Specialist",
            "Support Engineer",
            "Customer Success Manager",
        ],
        10,
        50,
        120,
    ),
    (
        "Finance",
        &[
            "Financial Analyst",
            "Accountant",
            "Payroll Specialist",
            "Controller",
        ],
        6,
        70,
        180,
    ),
    (
        "People",
        &[
            "HR Business Partner",
            "Recruiter",
            "People Operations Specialist",
        ],
        5,
        65,
        150,
    ),
    (
        "Operations",
        &["Operations Manager", "Business Analyst", "Data Analyst"],
        7,
        70,
        160,
    ),
    (
        "IT",
        &[
            "IT Support Specialist",
            "Systems Administrator",
            "Helpdesk Technician",
            "IT Manager",
        ],
        5,
        60,
        160,
    ),
];
/// Index of the Engineering department in [`JOBS`].
pub(crate) const ENGINEERING: usize = 0;
/// Index of the IT department in [`JOBS`].
pub(crate) const IT_DEPT: usize = 8;

/// Resume building blocks.
pub(crate) const SKILLS_ENG: &[&str] = &[
    "Python",
    "Go",
    "Rust",
    "Java",
    "Kotlin",
    "TypeScript",
    "React",
    "Node.js",
    "PostgreSQL",
    "Kubernetes",
    "Terraform",
    "AWS",
    "GCP",
    "Azure",
    "Docker",
    "GraphQL",
    "Kafka",
    "Spark",
    "Django",
    "Spring Boot",
    "Vue.js",
    "Swift",
    "Flutter",
    "Redis",
    "CI/CD",
    "microservices",
    "REST APIs",
    "machine learning",
];
pub(crate) const SKILLS_BIZ: &[&str] = &[
    "Salesforce",
    "HubSpot",
    "Excel",
    "SQL",
    "Tableau",
    "stakeholder management",
    "negotiation",
    "forecasting",
    "customer onboarding",
    "Zendesk",
    "process improvement",
    "Workday",
    "NetSuite",
    "content strategy",
    "SEO",
    "budgeting",
    "recruiting",
    "employee relations",
    "Jira",
    "Looker",
];
pub(crate) const RESUME_OPENERS: &[&str] = &[
    "Results-driven professional with",
    "Detail-oriented team player with",
    "Self-motivated specialist bringing",
    "Collaborative problem solver with",
    "Experienced practitioner offering",
    "Passionate and versatile contributor with",
];
pub(crate) const RESUME_ACHIEVEMENTS: &[&str] = &[
    "Led a migration that cut infrastructure costs by 30%.",
    "Built and maintained services handling millions of requests per day.",
    "Mentored junior colleagues and ran weekly knowledge-sharing sessions.",
    "Improved onboarding time for new customers by two weeks.",
    "Delivered a redesign that raised conversion by 12%.",
    "Automated reporting that saved the team ten hours a week.",
    "Reduced incident response time through better alerting and runbooks.",
    "Owned the quarterly roadmap for a cross-functional squad.",
    "Shipped features used by over 200,000 users.",
    "Introduced automated testing and raised coverage from 40% to 85%.",
    "Coordinated vendor evaluations and negotiated renewals.",
    "Designed data pipelines feeding the company's analytics platform.",
];
pub(crate) const PAST_EMPLOYERS: &[&str] = &[
    "Northwind Systems",
    "Blue Harbor Analytics",
    "Summit Ridge Software",
    "Crescent Health",
    "Pinecrest Financial",
    "Lumen Retail Group",
    "Orbital Logistics",
    "Greenfield Media",
    "Atlas Cloudworks",
    "Redwood Labs",
    "Silverline Insurance",
    "Brightpath Education",
    "Keystone Manufacturing",
    "Harborview Consulting",
    "Meridian Telecom",
    "Copperleaf Games",
    "Evergreen Energy",
    "Vantage Payments",
];
pub(crate) const SCHOOLS: &[&str] = &[
    "B.S. Computer Science, University of Texas at Austin",
    "B.S. Computer Engineering, Purdue University",
    "B.A. Economics, University of Michigan",
    "M.S. Computer Science, Georgia Institute of Technology",
    "B.S. Information Systems, Arizona State University",
    "B.Tech Computer Science, Anna University",
    "B.S. Software Engineering, University of Waterloo",
    "B.Sc. Informatics, University of Warsaw",
    "B.S. Mathematics, University of California, Davis",
    "B.B.A., University of Florida",
    "M.S. Data Science, Northeastern University",
    "B.S. Electrical Engineering, National Taiwan University",
    "B.Eng. Computer Science, University of Lagos",
    "B.S. Computer Science, Universidad de Buenos Aires",
    "B.A. Communications, Ohio State University",
    "B.S. Computer Science, Seoul National University",
    "B.Sc. Computer Science, Tsinghua University",
    "B.S. Computer Science, Rutgers University",
];

/// Street names and suffixes for synthetic addresses.
pub(crate) const STREETS: &[&str] = &[
    "Maple",
    "Oak",
    "Cedar",
    "Pine",
    "Elm",
    "Washington",
    "Lake",
    "Hill",
    "Park",
    "Main",
    "Sunset",
    "Highland",
    "Meadow",
    "Forest",
    "River",
    "Willow",
    "Church",
    "Spring",
    "Ridge",
    "Valley",
    "Lincoln",
    "Jefferson",
    "Madison",
    "Franklin",
    "Jackson",
    "Cherry",
    "Walnut",
    "Chestnut",
    "Birch",
    "Aspen",
    "Magnolia",
    "Dogwood",
    "Hickory",
    "Sycamore",
    "Laurel",
    "Juniper",
    "Cypress",
    "Poplar",
    "Spruce",
    "Hawthorne",
    "Orchard",
    "Prairie",
    "Canyon",
    "Mesa",
    "Vista",
    "Harbor",
    "Bay",
    "Shore",
    "Mill",
    "Bridge",
    "Center",
    "College",
    "Academy",
    "Union",
    "Liberty",
    "Heritage",
    "Colonial",
    "Country Club",
    "Fairway",
    "Greenbrier",
    "Brookside",
    "Creekside",
    "Stonegate",
    "Foxhall",
    "Windsor",
    "Kingston",
    "Cambridge",
    "Oxford",
    "Chelsea",
    "Hampton",
    "Clearwater",
    "Silver Lake",
    "Timber",
    "Autumn",
    "Summit",
    "Woodland",
    "Rosewood",
    "Bluebird",
];
pub(crate) const STREET_SUFFIX: &[&str] = &[
    "St", "Ave", "Rd", "Dr", "Ln", "Ct", "Blvd", "Way", "Pl", "Cir", "Trl", "Pkwy",
];

/// Personal email domains (weighted by repetition).
pub(crate) const EMAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "yahoo.com",
    "yahoo.com",
    "outlook.com",
    "outlook.com",
    "hotmail.com",
    "icloud.com",
    "icloud.com",
    "aol.com",
    "proton.me",
    "comcast.net",
    "att.net",
    "live.com",
];

/// Home Wi-Fi: router OUI prefixes and SSID prefixes.
pub(crate) const ROUTER_OUI: &[u32] = &[
    0x00_24_B2, 0xA0_40_A0, 0x50_C7_BF, 0xF8_BB_BF, 0x3C_37_86, 0x74_DA_88, 0xE8_9F_80, 0xB0_B9_8A,
    0x10_DA_43, 0x9C_3D_CF,
];
pub(crate) const HOME_SSIDS: &[&str] = &[
    "NETGEAR",
    "TP-Link_",
    "ATT",
    "Spectrum-5G-",
    "xfinity-home-",
    "eero-",
    "Verizon_",
    "ORBI",
    "MySpectrumWiFi",
    "CenturyLink",
    "Linksys",
];
pub(crate) const HOTEL_SSIDS: &[&str] = &[
    "Marriott_GUEST",
    "Hilton Honors",
    "HyattGuest",
    "IHG Connect",
    "Wyndham_Guest",
    "Hampton-WiFi",
];
pub(crate) const COWORKING_NAMES: &[&str] = &[
    "WeWork",
    "Industrious",
    "Regus",
    "Spaces",
    "Novel Coworking",
    "Serendipity Labs",
    "Expansive",
];
pub(crate) const CAFE_SSIDS: &[&str] = &[
    "Starbucks WiFi",
    "Google Starbucks",
    "Panera",
    "Library-Public",
    "Airport Free WiFi",
];

/// Staffing agencies and recruiting firms (legit).
pub(crate) const AGENCIES: &[(&str, &str)] = &[
    ("Apex Technical Staffing", "apextechstaffing.com"),
    ("BrightBridge Talent", "brightbridgetalent.com"),
    ("Cobalt IT Partners", "cobaltitpartners.com"),
    ("Summit Contract Solutions", "summitcontract.com"),
    ("Northstar Workforce", "northstarworkforce.com"),
    ("Keystone Tech Recruiters", "keystonetechrecruiters.com"),
];
pub(crate) const RECRUITERS: &[(&str, &str)] = &[
    ("TalentHarbor Recruiting", "talentharbor.io"),
    ("Hirewell Partners", "hirewellpartners.com"),
    ("Pinnacle Search Group", "pinnaclesearchgroup.com"),
    ("RiverRock Recruiting", "riverrockrecruiting.com"),
    ("Elevate Talent Co", "elevatetalent.co"),
];

/// Payout providers and their receiving bank routing numbers (illustrative but checksum-valid).
pub(crate) const PAYOUT_PROVIDERS: &[(&str, &str)] = &[
    ("Payoneer", "031101279"),
    ("Wise", "026073150"),
    ("Payoneer", "031101279"),
];
/// Names used as account holders of payout / mule accounts that are not the worker.
pub(crate) const SHELL_HOLDERS: &[&str] = &[
    "Sunrise Trading LLC",
    "Golden Bridge Consulting Ltd",
    "Pacific Rim IT Services",
    "Blue Lotus Solutions",
    "Silverstone Digital LLC",
    "Everbright Tech Co",
    "Harmony Global Supply",
];

/// Consumer VPN brands (software name, process name).
pub(crate) const CONSUMER_VPNS: &[(&str, &str, &str)] = &[
    ("NordVPN", "nordvpn-service.exe", "Nord Security"),
    ("Proton VPN", "ProtonVPN.exe", "Proton AG"),
    ("Surfshark", "Surfshark.exe", "Surfshark B.V."),
    ("Mullvad VPN", "mullvad-daemon.exe", "Mullvad VPN AB"),
    ("ExpressVPN", "expressvpnd.exe", "ExpressVPN"),
];
/// The VPN client fraud workers favour (not in public VPN range lists).
pub(crate) const FRAUD_VPN_SW: (&str, &str, &str) =
    ("Astrill VPN", "astrill.exe", "Astrill Systems Corp");

/// Foreign cities used for travel, VPN exits and leaks: country, region, city, lat, lon, IANA zone.
pub(crate) const FOREIGN_CITIES: &[(&str, &str, &str, f64, f64, &str)] = &[
    (
        "DE",
        "Hesse",
        "Frankfurt am Main",
        50.1109,
        8.6821,
        "Europe/Berlin",
    ),
    ("GB", "England", "London", 51.5072, -0.1276, "Europe/London"),
    (
        "FR",
        "Ile-de-France",
        "Paris",
        48.8566,
        2.3522,
        "Europe/Paris",
    ),
    (
        "NL",
        "North Holland",
        "Amsterdam",
        52.3676,
        4.9041,
        "Europe/Amsterdam",
    ),
    (
        "CA",
        "Ontario",
        "Toronto",
        43.6532,
        -79.3832,
        "America/Toronto",
    ),
    ("JP", "Tokyo", "Tokyo", 35.6762, 139.6503, "Asia/Tokyo"),
    (
        "MX",
        "Mexico City",
        "Mexico City",
        19.4326,
        -99.1332,
        "America/Mexico_City",
    ),
    ("ES", "Madrid", "Madrid", 40.4168, -3.7038, "Europe/Madrid"),
    (
        "AU",
        "New South Wales",
        "Sydney",
        -33.8688,
        151.2093,
        "Australia/Sydney",
    ),
    (
        "SG",
        "Singapore",
        "Singapore",
        1.3521,
        103.8198,
        "Asia/Singapore",
    ),
    (
        "HK",
        "Hong Kong",
        "Hong Kong",
        22.3193,
        114.1694,
        "Asia/Hong_Kong",
    ),
    (
        "CN",
        "Liaoning",
        "Shenyang",
        41.8057,
        123.4315,
        "Asia/Shanghai",
    ),
    (
        "RU",
        "Primorsky Krai",
        "Vladivostok",
        43.1198,
        131.8869,
        "Asia/Vladivostok",
    ),
    (
        "KP",
        "Pyongyang",
        "Pyongyang",
        39.0392,
        125.7625,
        "Asia/Pyongyang",
    ),
    (
        "SE",
        "Stockholm",
        "Stockholm",
        59.3293,
        18.0686,
        "Europe/Stockholm",
    ),
    ("CH", "Zurich", "Zurich", 47.3769, 8.5417, "Europe/Zurich"),
];

/// Offshore working zones (UTC+8 / UTC+9).
pub(crate) const OFFSHORE_TZ: &[&str] = &["Asia/Shanghai", "Asia/Shanghai", "Asia/Seoul"];

//! LOLRMM catalogue matching.

use muster_intel::rmm::{ApprovedRmm, MatchKind, RmmCatalogue};

fn cat() -> &'static RmmCatalogue {
    RmmCatalogue::embedded()
}

fn process_tool(s: &str) -> Option<String> {
    cat().match_process(s).map(|m| m.tool)
}

#[test]
fn catalogue_loads() {
    let c = cat();
    assert_eq!(c.load_error(), None);
    // 319 LOLRMM entries, a few of which share a name and are merged.
    assert!((300..=319).contains(&c.len()), "{}", c.len());
    let s = c.stats();
    assert!(s.executable_stems > 500, "{s:?}");
    assert!(s.domains_exact + s.domains_wildcard > 500, "{s:?}");
    assert!(s.domains_regex >= 10, "{s:?}");
    assert_eq!(s.invalid_domain_patterns, 0);
    let anydesk = c.tool("anydesk").unwrap();
    assert_eq!(anydesk.name, "AnyDesk");
    assert!(anydesk.domains.iter().any(|d| d == "*.anydesk.com"));
    assert!(c.tool("No Such Tool").is_none());
}

#[test]
fn process_positive() {
    let cases = [
        (r"C:\Program Files (x86)\AnyDesk\AnyDesk.exe", "AnyDesk"),
        ("anydesk-8.0.9.exe", "AnyDesk"),
        ("AnyDesk-8.0.9.exe", "AnyDesk"),
        ("ANYDESK.EXE", "AnyDesk"),
        ("AnyDesk (1).exe", "AnyDesk"),
        ("TeamViewer_Setup_x64.exe", "TeamViewer"),
        ("TeamViewer.exe", "TeamViewer"),
        ("teamviewerqs.exe", "TeamViewer"),
        (
            "C:/Program Files/TeamViewer/TeamViewer_Service.exe",
            "TeamViewer",
        ),
        ("rustdesk.exe", "RustDesk"),
        ("rustdesk-1.2.3-x86_64.exe", "RustDesk"),
        ("remoting_host.exe", "Chrome Remote Desktop"),
        (
            r"C:\Program Files (x86)\Google\Chrome Remote Desktop\CurrentVersion\remoting_host.exe",
            "Chrome Remote Desktop",
        ),
        ("remoting_start_host.exe", "Chrome Remote Desktop"),
        ("/usr/local/bin/tmate", "tmate"),
        (
            "\"C:\\Program Files\\AnyDesk\\AnyDesk.exe\" --service",
            "AnyDesk",
        ),
    ];
    for (input, tool) in cases {
        assert_eq!(process_tool(input).as_deref(), Some(tool), "{input}");
    }
    let m = cat().match_process("anydesk-8.0.9.exe").unwrap();
    assert_eq!(m.matched_on, MatchKind::ProcessName);
    assert_eq!(m.pattern.to_lowercase(), "anydesk.exe");
}

#[test]
fn install_path_matches_when_the_name_is_unknown() {
    let m = cat()
        .match_process(r"D:\Program Files (x86)\AnyDesk\ad_helper_renamed.exe")
        .unwrap();
    assert_eq!(m.tool, "AnyDesk");
    assert_eq!(m.matched_on, MatchKind::InstallPath);
    let m = cat()
        .match_process(r"C:\Program Files (x86)\Google\Chrome Remote Desktop\131.0\something.exe")
        .unwrap();
    assert_eq!(m.tool, "Chrome Remote Desktop");
    assert_eq!(m.matched_on, MatchKind::InstallPath);
}

#[test]
fn process_negative() {
    for input in [
        "Teams.exe",
        "chrome.exe",
        "setup.exe",
        "code.exe",
        "Code.exe",
        "install.exe",
        "update.exe",
        "client.exe",
        "agent.exe",
        "service.exe",
        "launcher.exe",
        "uninstall.exe",
        "helper.exe",
        "svchost.exe",
        "rundll32.exe",
        "msiexec.exe",
        "powershell.exe",
        "cmd.exe",
        "explorer.exe",
        "dwm.exe",
        "mstsc.exe",
        r"C:\Windows\System32\mstsc.exe",
        r"C:\Windows\System32\dwm.exe",
        r"C:\Windows\explorer.exe",
        r"C:\Users\bob\AppData\Local\Microsoft\Teams\current\Teams.exe",
        r"C:\Program Files\Google\Chrome\Application\chrome.exe",
        "msedge.exe",
        "OUTLOOK.EXE",
        "slack.exe",
        "Zoom.exe",
        "OneDrive.exe",
        "python.exe",
        "node.exe",
        "git.exe",
        "ssh.exe",
        "bash",
        "sshd",
        "",
        "   ",
        "\\",
        "/",
        ".exe",
    ] {
        assert_eq!(cat().match_process(input), None, "{input:?}");
    }
}

#[test]
fn software_positive_and_negative() {
    let cases = [
        ("AnyDesk", "AnyDesk"),
        ("TeamViewer 15", "TeamViewer"),
        ("TeamViewer Host", "TeamViewer"),
        ("Chrome Remote Desktop Host", "Chrome Remote Desktop"),
        ("RustDesk", "RustDesk"),
        ("ScreenConnect Client (1a2b3c4d5e6f)", "ScreenConnect"),
        ("Splashtop Streamer", "Splashtop"),
        ("AnyViewer", "AnyViewer"),
        ("JumpCloud Agent", "Jump Cloud"),
    ];
    for (name, tool) in cases {
        let m = cat()
            .match_software(name, None)
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(m.tool, tool, "{name}");
        assert_eq!(m.matched_on, MatchKind::SoftwareName);
    }
    for name in [
        "Google Chrome",
        "Microsoft Teams",
        "Microsoft Edge",
        "Visual Studio Code",
        "Zoom Workplace",
        "Slack",
        "Sophos Endpoint Agent",
        "Microsoft Remote Desktop",
        "Remote Desktop Connection",
        "Parallels Desktop",
        "Level",
        "Synergy",
        "Splash",
        "Any",
        "",
    ] {
        assert_eq!(cat().match_software(name, None), None, "{name:?}");
    }
}

#[test]
fn ambiguous_software_names_need_the_publisher() {
    assert_eq!(cat().match_software("Level", None), None);
    let m = cat()
        .match_software("Level", Some("Level Software, Inc."))
        .unwrap();
    assert!(m.tool.starts_with("Level"), "{m:?}");
    assert_eq!(
        cat()
            .match_software("Absolute Agent", Some("Absolute Software Corp"))
            .unwrap()
            .tool,
        "Absolute (Computrace)"
    );
}

#[test]
fn domains() {
    let m = cat()
        .match_domain("relay-1a2b3c4d.net.anydesk.com")
        .unwrap();
    assert_eq!(m.tool, "AnyDesk");
    assert_eq!(m.matched_on, MatchKind::Domain);
    assert_eq!(cat().match_domain("anydesk.com").unwrap().tool, "AnyDesk");
    assert_eq!(cat().match_domain("ANYDESK.COM.").unwrap().tool, "AnyDesk");
    assert_eq!(
        cat()
            .match_domain("https://router1.teamviewer.com:443/x")
            .unwrap()
            .tool,
        "TeamViewer"
    );
    let crd = cat()
        .match_domain("remotedesktop-pa.googleapis.com")
        .unwrap();
    assert_eq!(crd.tool, "Chrome Remote Desktop");
    assert_eq!(
        cat()
            .match_domain("x.remotedesktop.google.com")
            .unwrap()
            .tool,
        "Chrome Remote Desktop"
    );
    assert_eq!(
        cat()
            .match_domain("agents12-cloud.acronis.com")
            .unwrap()
            .tool,
        "Acronis Cyber Protect (Remotix)"
    );
    for d in [
        "anydesk.com.evil.example",
        "notanydesk.com",
        "www.google.com",
        "googleapis.com",
        "github.com",
        "mail.zoho.com",
        "login.microsoftonline.com",
        "",
        ":443",
        "...",
    ] {
        assert_eq!(cat().match_domain(d), None, "{d:?}");
    }
}

#[test]
fn regex_domain_from_the_catalogue() {
    // relay-[a-f0-9]{8}.net.anydesk.com:443 is compiled without its port.
    let c = cat();
    let hit = c.match_domain("relay-deadbeef.net.anydesk.com").unwrap();
    assert_eq!(hit.tool, "AnyDesk");
    assert!(
        c.tool("AnyDesk")
            .unwrap()
            .domains
            .iter()
            .any(|d| d.starts_with("relay-[a-f0-9]{8}"))
    );
}

#[test]
fn invalid_regexes_are_counted_not_fatal() {
    let json = r#"[{"Name":"Bad","Details":{"PEMetadata":{"Filename":"badtool.exe"}},
                  "Artifacts":{"Network":[{"Domains":["bad-[z-a.example.com","ok.example.com"],"Ports":[443,"1000-2000"]}]}}]"#;
    let c = RmmCatalogue::from_readers(json.as_bytes(), "t.json", None::<&[u8]>, "").unwrap();
    assert_eq!(c.stats().invalid_domain_patterns, 1);
    assert_eq!(c.match_domain("ok.example.com").unwrap().tool, "Bad");
    assert_eq!(c.match_process("badtool.exe").unwrap().tool, "Bad");
    assert_eq!(c.tool("bad").unwrap().ports, ["443", "1000-2000"]);
}

#[test]
fn pemetadata_shapes_and_user_files() {
    let json = r#"[
      {"Name":"ObjTool","Details":{"PEMetadata":{"Filename":"objtool.exe","OriginalFileName":"ObjOrig.exe"},"InstallationPaths":["C:\\Program Files\\ObjTool\\*"]},"Artifacts":{}},
      {"Name":"ListTool","Details":{"PEMetadata":[{"Filename":"listtool.exe"},{"OriginalFileName":"ListTwo.exe"}]},"Artifacts":{}},
      {"Name":"NoPe","Details":{},"Artifacts":{"Network":[]}},
      {"Name":"Generic","Details":{"PEMetadata":{"Filename":"setup.exe"}}}
    ]"#;
    let csv = "URI,RMM_Tool\n*.objtool.io,ObjTool\nnew.example.net,CsvOnlyTool\n";
    let c = RmmCatalogue::from_readers(json.as_bytes(), "t.json", Some(csv.as_bytes()), "d.csv")
        .unwrap();
    // 4 JSON tools + 1 CSV-only tool + the Chrome Remote Desktop supplement.
    assert_eq!(c.len(), 6);
    assert_eq!(
        c.match_process("remoting_host.exe").unwrap().tool,
        "Chrome Remote Desktop"
    );
    assert_eq!(c.match_process("ObjOrig.exe").unwrap().tool, "ObjTool");
    assert_eq!(c.match_process("listtwo.exe").unwrap().tool, "ListTool");
    assert_eq!(
        c.match_process(r"E:\Program Files\ObjTool\x.exe")
            .unwrap()
            .matched_on,
        MatchKind::InstallPath
    );
    assert_eq!(c.match_process("setup.exe"), None);
    assert_eq!(c.match_domain("a.objtool.io").unwrap().tool, "ObjTool");
    assert_eq!(
        c.match_domain("new.example.net").unwrap().tool,
        "CsvOnlyTool"
    );

    let err =
        RmmCatalogue::from_readers("[{".as_bytes(), "broken.json", None::<&[u8]>, "").unwrap_err();
    assert!(err.to_string().starts_with("broken.json:1:"), "{err}");
    let err =
        RmmCatalogue::from_readers("{}".as_bytes(), "obj.json", None::<&[u8]>, "").unwrap_err();
    assert!(err.to_string().contains("expected a JSON array"), "{err}");
}

#[test]
fn approved_rmm_list() {
    let approved = ApprovedRmm::parse(
        "# tools IT uses\n\nTeamViewer   # by tool name\nanydesk.exe\n  ConnectWise Control  \n",
    );
    assert_eq!(approved.len(), 3);
    let c = cat();
    // By canonical tool name (case-insensitive).
    assert!(approved.is_approved(&c.match_process("TeamViewer_Setup_x64.exe").unwrap()));
    assert!(approved.is_approved(&c.match_domain("x.teamviewer.com").unwrap()));
    // By binary name.
    assert!(
        approved.is_approved(
            &c.match_process(r"C:\Program Files\AnyDesk\AnyDesk.exe")
                .unwrap()
        )
    );
    // A binary name alone does not approve the tool's domain...
    assert!(!approved.is_approved(&c.match_domain("boot.net.anydesk.com").unwrap()));
    // ...unless resolved through the catalogue.
    let resolved = approved.clone().with_catalogue(c);
    assert!(resolved.is_approved(&c.match_domain("boot.net.anydesk.com").unwrap()));
    // Not approved.
    assert!(!approved.is_approved(&c.match_process("rustdesk.exe").unwrap()));
    assert!(
        !approved.is_approved(
            &c.match_software("Chrome Remote Desktop Host", None)
                .unwrap()
        )
    );
    assert!(ApprovedRmm::parse("# nothing\n").is_empty());
}

//! No matcher panics on arbitrary input.

use muster_intel::ip::{IpIntel, IpList};
use muster_intel::kvm::KvmCatalogue;
use muster_intel::rmm::{ApprovedRmm, RmmCatalogue};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn rmm_matchers_never_panic(s in "\\PC*", p in proptest::option::of("\\PC*")) {
        let c = RmmCatalogue::embedded();
        let _ = c.match_process(&s);
        let _ = c.match_software(&s, p.as_deref());
        let _ = c.match_domain(&s);
        let _ = c.tool(&s);
        let approved = ApprovedRmm::parse(&s);
        if let Some(m) = c.match_process("anydesk.exe") {
            let _ = approved.is_approved(&m);
        }
    }

    #[test]
    fn rmm_matchers_on_path_like_strings(s in "[A-Za-z]:(\\\\[A-Za-z0-9 ._()*%<>-]{0,12}){0,6}") {
        let c = RmmCatalogue::embedded();
        let _ = c.match_process(&s);
        let _ = c.match_domain(&s);
    }

    #[test]
    fn kvm_matchers_never_panic(a in "\\PC*", b in "\\PC*", c in proptest::option::of("\\PC*"), d in proptest::option::of("\\PC*")) {
        let k = KvmCatalogue::embedded();
        let _ = k.match_usb(&a, &b, c.as_deref(), d.as_deref(), c.as_deref());
        let _ = k.match_edid(c.as_deref(), Some(&a), d.as_deref(), Some(&b));
        let _ = k.match_hostname(&a);
        let _ = k.match_domain(&b);
        let _ = k.match_process(&a);
    }

    #[test]
    fn ip_list_never_panics(s in "\\PC*") {
        let (_list, _errors) = IpList::parse_lenient(&s, "fuzz.txt");
        let _ = IpList::parse(&s, "fuzz.txt");
    }

    #[test]
    fn ip_list_lines(lines in proptest::collection::vec("[0-9a-f:./ #-]{0,24}", 0..20)) {
        let text = lines.join("\n");
        let _ = IpList::parse(&text, "fuzz.txt");
    }

    #[test]
    fn ip_lookup_is_total(v4 in any::<u32>(), v6 in any::<u128>()) {
        let intel = IpIntel::embedded();
        let _ = intel.lookup(std::net::Ipv4Addr::from(v4).into());
        let _ = intel.lookup(std::net::Ipv6Addr::from(v6).into());
    }

    #[test]
    fn kvm_csv_never_panics(s in "\\PC*") {
        let _ = KvmCatalogue::from_reader(format!("product,kind,value,source\n{s}").as_bytes(), "fuzz.csv");
        let _ = RmmCatalogue::from_readers(s.as_bytes(), "fuzz.json", Some(s.as_bytes()), "fuzz.csv");
    }
}

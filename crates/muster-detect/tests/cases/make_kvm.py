#!/usr/bin/env python3
"""Writes the KVM-STRUCTURE and RDP-INBOUND behaviour fixtures (one folder per case, contract
tables as CSV plus expect.json). Synthetic people and documentation-style identifiers only.
Run from this folder: python3 make_kvm.py (make_fixtures.py writes the other detections)."""
import csv, json, os, sys, shutil
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from fixture_io import ts, write_case  # noqa: E402
T0 = datetime(2026, 3, 2, tzinfo=timezone.utc)  # a Monday

PEOPLE_COLS = ["person_id", "record_type", "full_name", "date_of_birth", "email", "work_email", "phone",
               "address_line1", "address_line2", "city", "region", "postal_code", "country",
               "claimed_timezone", "hired_at", "staffing_agency"]
HOMES = {
    "TX": ("12 Oak St", "Austin", "TX", "78701", "America/Chicago"),
    "WA": ("400 Pine Ave", "Seattle", "WA", "98101", "America/Los_Angeles"),
    "FL": ("9 Palm Rd", "Miami", "FL", "33101", "America/New_York"),
    "OH": ("77 Elm Dr", "Columbus", "OH", "43004", "America/New_York"),
}
STATES = list(HOMES)




def person(pid, state):
    line1, city, region, zipc, tz = HOMES[state]
    return {"person_id": pid, "record_type": "employee", "full_name": f"Person {pid.upper()}",
            "date_of_birth": "1990-01-01", "email": f"{pid}@mail.example", "work_email": f"{pid}@corp.example",
            "phone": "", "address_line1": line1, "address_line2": "", "city": city, "region": region,
            "postal_code": zipc, "country": "US", "claimed_timezone": tz, "hired_at": "2026-01-05T15:00:00Z",
            "staffing_agency": ""}


def people(*ids):
    return [person(p, STATES[i % len(STATES)]) for i, p in enumerate(ids)]


def devices(ps):
    return (["device_id", "person_id"], [{"device_id": "d-" + p["person_id"], "person_id": p["person_id"]} for p in ps])


def write(case, tables, expect, extra=None):
    write_case(HERE, case, tables, expect, extra)

PER = ["time", "device_id", "vendor_id", "product_id", "vendor_name", "product_name", "serial", "interfaces", "event"]
DIS = ["time", "device_id", "edid_manufacturer", "edid_product_code", "monitor_name", "serial", "width_px", "height_px"]


def usb(dev, vid, pid, vname, pname, ifs, serial="", day=0):
    return {"time": ts(T0 + timedelta(days=day, hours=14)), "device_id": dev, "vendor_id": vid, "product_id": pid,
            "vendor_name": vname, "product_name": pname, "serial": serial, "interfaces": ifs, "event": "connected"}


def mon(dev, maker, code, name, serial="", w=1920, h=1080):
    return {"time": ts(T0 + timedelta(hours=14)), "device_id": dev, "edid_manufacturer": maker,
            "edid_product_code": code, "monitor_name": name, "serial": serial, "width_px": w, "height_px": h}


KVM_IFS = "03:01:01;03:00:00;08:06:50"
UNIFYING = ("046d", "c52b", "Logitech", "USB Receiver", "03:01:01;03:01:02;03:00:00")

# ---------------- KVM-STRUCTURE ----------------
ks = people("k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8")
write("KVM-STRUCTURE/positive_spoofed_ids", {
    "people": (PEOPLE_COLS, ks), "devices": devices(ks),
    "peripherals": (PER, [
        # Linux gadget calling itself a Logitech keyboard, with the KVM shape: two cues.
        usb("d-k1", "1d6b", "0104", "Logitech", "Logitech USB Keyboard", KVM_IFS, "A1B2C3"),
        # Logitech K120 ids, but keyboard + absolute pointer + mass storage in one device.
        usb("d-k2", "046d", "c31c", "Logitech", "USB Keyboard", KVM_IFS),
        # Dell KB216 ids with the KVM shape; nothing else.
        usb("d-k3", "413c", "2113", "Dell", "Dell KB216 Wired Keyboard", KVM_IFS),
        # HP keyboard ids with the KVM shape.
        usb("d-k4", "03f0", "0024", "HP", "HP Basic USB Keyboard", KVM_IFS),
        # A Linux gadget typing, no storage: gadget keyboard alone.
        usb("d-k6", "1d6b", "0104", "Linux Foundation", "Multifunction Composite Gadget", "03:01:01;03:00:00"),
        usb("d-k8", *UNIFYING),
        # A spare laptop nobody is assigned to.
        usb("spare-laptop-9", "413c", "2113", "Dell", "Dell KB216 Wired Keyboard", KVM_IFS),
    ]),
    "displays": (DIS, [
        mon("d-k1", "DEL", "A1D1", "DELL P2422H", "CN0XYZ1"),
        # MacroSilicon MS2109 capture chip as the laptop's "monitor" (not in the KVM catalogue).
        mon("d-k2", "MSI", "2109", "MACROSILICON"),
        mon("d-k3", "DEL", "A1D1", "DELL P2422H", "CN0XYZ2"),
        # A TC358743 bridge with a renamed EDID the catalogue does not list.
        mon("d-k4", "TSB", "1234", "TC358743-H2C"),
        # Only a capture chip's monitor name.
        mon("d-k5", "MSI", "2109", "MACROSILICON"),
        mon("d-k7", "TSB", "1234", "TC358743-H2C"),
        mon("d-k8", "DEL", "A0F8", "DELL U2720Q", "CN0ABC123", 3840, 2160),
    ])},
    {"detection": "KVM-STRUCTURE", "kind": "positive",
     "fires_for": ["k1", "k2", "k3", "k4", "k5", "k6", "k7"], "silent_for": ["k8"],
     "fires_for_devices": ["spare-laptop-9"],
     "min_lr": {"k1": 400, "k2": 400, "k3": 100, "k4": 400, "k5": 30, "k6": 100, "k7": 30}})

ln = people("n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8")
write("KVM-STRUCTURE/negative_legit_lookalikes", {
    "people": (PEOPLE_COLS, ln), "devices": devices(ln),
    "peripherals": (PER, [
        # YubiKey: keyboard + FIDO HID + CCID, no storage.
        usb("d-n1", "1050", "0407", "Yubico", "YubiKey OTP+FIDO+CCID", "03:01:01;03:00:00;0b:00:00"),
        # Dock: hub, keyboard, card reader and Ethernet enumerate as separate devices.
        usb("d-n2", "413c", "b06e", "Dell", "Dell dock", "09:00:01"),
        usb("d-n2", "413c", "2113", "Dell", "Dell KB216 Wired Keyboard", "03:01:01;03:00:00"),
        usb("d-n2", "0bda", "0153", "Generic", "USB3.0 Card Reader", "08:06:50"),
        usb("d-n2", "0bda", "8153", "Realtek", "USB 10/100/1000 LAN", "ff:ff:00;02:06:00;0a:00:00"),
        # Logitech Unifying receiver: keyboard + mouse + HID, no storage.
        usb("d-n4", *UNIFYING),
        # A USB flash drive.
        usb("d-n5", "0781", "5583", "SanDisk", "Ultra Fit", "08:06:50", "4C530001"),
        # Developer's Raspberry Pi serial/network gadget: Linux gadget id, no keyboard.
        usb("d-n6", "1d6b", "0104", "Raspberry Pi", "Pi Zero USB Gadget", "02:06:00;0a:00:00;02:02:01;0a:00:00"),
        # A USB capture card plugged INTO the laptop (streaming): USB video, not a monitor.
        usb("d-n7", "534d", "2109", "MACROSILICON", "USB Video", "0e:01:00;0e:02:00;01:01:00;01:02:00"),
        # A Lenovo-branded keyboard built by Lite-On: brand mismatch alone is never a signal.
        usb("d-n8", "04ca", "0061", "Lenovo", "Lenovo USB Keyboard", "03:01:01;03:00:00"),
        usb("d-n8", "1d6b", "0003", "Linux Foundation", "3.0 root hub", "09:00:03"),
    ]),
    "displays": (DIS, [
        mon("d-n3", "DEL", "A0F8", "DELL U2720Q", "CN0ABC123", 3840, 2160),
        mon("d-n3", "BOE", "0BCA", "", "", 1920, 1200),
        mon("d-n2", "GSM", "5B09", "LG HDR 4K", "", 3840, 2160),
        mon("d-n7", "AUO", "8F9D", "", "", 1920, 1080),
    ])},
    {"detection": "KVM-STRUCTURE", "kind": "negative", "fires_for": [],
     "silent_for": ["n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8"]})

# KVM-HARDWARE already reports these devices (default identities, the LNX and Toshiba-H2C
# capture EDIDs, NanoKVM's legacy EDID); KVM-STRUCTURE stays silent so one box counts once.
dk = people("h1", "h2", "h3", "h4")
write("KVM-STRUCTURE/negative_default_identity_left_to_kvm_hardware", {
    "people": (PEOPLE_COLS, dk), "devices": devices(dk),
    "peripherals": (PER, [
        usb("d-h1", "1d6b", "0104", "PiKVM", "PiKVM Composite Device", KVM_IFS, "CAFEBABE"),
        usb("d-h3", "1d6b", "0104", "Logitech", "Logitech USB Keyboard", KVM_IFS),
        usb("d-h4", "413c", "2113", "Dell", "Dell KB216 Wired Keyboard", KVM_IFS),
    ]),
    "displays": (DIS, [
        mon("d-h1", "LNX", "7770", "PiKVM", "CAFEBABE"),
        mon("d-h2", "LNX", "7773", "DELL P2419H"),
        mon("d-h3", "TSB", "8888", "Toshiba-H2C"),
        mon("d-h4", "PHL", "C233", "PHL 342E2", "UK02143047718", 1920, 1080),
    ])},
    {"detection": "KVM-STRUCTURE", "kind": "negative", "fires_for": [], "silent_for": ["h1", "h2", "h3", "h4"]})

# ---------------- RDP-INBOUND ----------------
NET = ["time", "device_id", "src_ip", "src_port", "dst_ip", "dst_port", "protocol", "direction",
       "bytes_in", "bytes_out", "duration_s", "domain"]


def flow(dev, src, port, day=0, hour=2, direction="inbound", dst="192.168.1.23", secs=900.0, bin_=4_000_000, bout=300_000):
    return {"time": ts(T0 + timedelta(days=day, hours=hour)), "device_id": dev, "src_ip": src, "src_port": 51000,
            "dst_ip": dst, "dst_port": port, "protocol": "tcp", "direction": direction, "bytes_in": bin_,
            "bytes_out": bout, "duration_s": secs, "domain": ""}


rp = people("r1", "r2", "r3", "r4")
write("RDP-INBOUND/positive_port_forwarded_rdp_and_vnc", {
    "people": (PEOPLE_COLS, rp), "devices": devices(rp),
    "network": (NET, [
        # RDP from a public address on two days.
        flow("d-r1", "185.220.12.34", 3389, day=0), flow("d-r1", "185.220.12.34", 3389, day=3),
        # VNC once.
        flow("d-r2", "45.67.89.10", 5900, day=1),
        # RDP once, no byte counts or duration reported: kept.
        dict(flow("d-r3", "91.200.1.2", 3389, day=2), bytes_in="", bytes_out="", duration_s=""),
        # Ordinary outbound web traffic.
        flow("d-r4", "192.168.1.40", 443, direction="outbound", dst="140.82.112.3"),
        # A device nobody is assigned to.
        flow("farm-pc-3", "185.220.12.34", 3389, day=4),
    ])},
    {"detection": "RDP-INBOUND", "kind": "positive", "fires_for": ["r1", "r2", "r3"], "silent_for": ["r4"],
     "fires_for_devices": ["farm-pc-3"], "min_lr": {"r1": 30, "r3": 15}})

rn = people("s1", "s2", "s3", "s4", "s5", "s6")
write("RDP-INBOUND/negative_corporate_lan_scanners_approved", {
    "people": (PEOPLE_COLS, rn), "devices": devices(rn),
    "network": (NET, [
        # IT support through the corporate jump host / VPN concentrator egress.
        flow("d-s1", "52.10.20.7", 3389, day=0), flow("d-s1", "52.10.20.8", 3389, day=2),
        # Home LAN, VPN pool and CGNAT sources.
        flow("d-s2", "192.168.1.20", 3389), flow("d-s2", "10.8.0.5", 3389, day=1),
        flow("d-s2", "100.64.3.3", 5900, day=2),
        # Internet scanners probing an exposed port: short, tiny flows.
        *[flow("d-s3", f"45.155.{i}.9", 3389, day=i % 3, secs=0.3, bin_=120, bout=60)
          for i in range(12)],
        # The employee RDPs out to a lab machine.
        flow("d-s4", "192.168.1.23", 3389, direction="outbound", dst="34.56.78.90"),
        # Inbound on non-listener ports (video-call media, web).
        flow("d-s5", "13.107.64.2", 3478), flow("d-s5", "13.107.64.2", 50000),
        # AnyDesk direct connections, approved by the company.
        flow("d-s6", "77.88.99.1", 7070, day=0), flow("d-s6", "77.88.99.1", 7070, day=1),
    ])},
    {"detection": "RDP-INBOUND", "kind": "negative", "fires_for": [],
     "silent_for": ["s1", "s2", "s3", "s4", "s5", "s6"]},
    {"corporate_egress.txt": "# corporate VPN concentrators and jump hosts\n52.10.20.0/24\n",
     "approved_rmm.txt": "AnyDesk\n"})
print("KVM-STRUCTURE and RDP-INBOUND fixtures written")

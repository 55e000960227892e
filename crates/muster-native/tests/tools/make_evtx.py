#!/usr/bin/env python3
"""Writes synthetic_events.evtx: a tiny, valid binary Windows event log for muster's tests.

No public .evtx sample with a licence we can ship was available, so this script builds one from the
published format (libevtx's "Windows XML Event Log (EVTX)" notes): a 4096-byte file header, one
64 KiB chunk with a 512-byte header, and records whose BinXML is a template instance (an inline
template definition with string substitutions). CRC32 checksums are filled in, so parsers that
verify them accept the file. Synthetic hosts and documentation IPs only.

Run from crates/muster-native/tests: python3 tools/make_evtx.py (writes samples/windows/).
"""
import struct
import time
import uuid
import zlib

FILETIME_OFFSET = 11644473600  # seconds from 1601-01-01 to 1970-01-01


def filetime(unix):
    return int((unix + FILETIME_OFFSET) * 10_000_000)


def u16s(text):
    return text.encode("utf-16-le")


class Buf:
    def __init__(self):
        self.b = bytearray()

    def at(self):
        return len(self.b)

    def put(self, fmt, *v):
        self.b += struct.pack("<" + fmt, *v)

    def raw(self, data):
        self.b += data

    def patch(self, pos, fmt, *v):
        struct.pack_into("<" + fmt, self.b, pos, *v)


def name(buf, text):
    # A name written in place: its chunk offset points just past the offset field itself.
    buf.put("I", buf.at() + 4)
    buf.put("IHH", 0, 0, len(text))
    buf.raw(u16s(text))
    buf.put("H", 0)


def text_value(buf, text):
    buf.put("BBH", 0x05, 0x01, len(text))
    buf.raw(u16s(text))


def element(buf, tag, attrs, body):
    """<tag attr=...>body</tag>; attrs: list of (name, kind, value) with kind 'text' or 'sub';
    body: None (empty element), ('sub', index), ('text', value) or a list of child callables."""
    buf.put("B", 0x41 if attrs else 0x01)
    buf.put("H", 0xFFFF)
    size_pos = buf.at()
    buf.put("I", 0)
    start = buf.at()
    name(buf, tag)
    if attrs:
        list_pos = buf.at()
        buf.put("I", 0)
        list_start = buf.at()
        for i, (an, kind, val) in enumerate(attrs):
            buf.put("B", 0x46 if i + 1 < len(attrs) else 0x06)
            name(buf, an)
            if kind == "sub":
                buf.put("BHB", 0x0D, val, 0x01)
            else:
                text_value(buf, val)
        buf.patch(list_pos, "I", buf.at() - list_start)
    if body is None:
        buf.put("B", 0x03)
    else:
        buf.put("B", 0x02)
        if isinstance(body, tuple):
            kind, val = body
            if kind == "sub":
                buf.put("BHB", 0x0D, val, 0x01)
            else:
                text_value(buf, val)
        else:
            for child in body:
                child(buf)
        buf.put("B", 0x04)
    buf.patch(size_pos, "I", buf.at() - start)


def event_template(buf, data_names):
    """Substitutions: 0 provider, 1 event id, 2 time, 3 computer, 4 channel, 5.. EventData values."""
    buf.raw(bytes([0x0F, 0x01, 0x01, 0x00]))  # fragment header
    system = [
        lambda b: element(b, "Provider", [("Name", "sub", 0)], None),
        lambda b: element(b, "EventID", [], ("sub", 1)),
        lambda b: element(b, "TimeCreated", [("SystemTime", "sub", 2)], None),
        lambda b: element(b, "Channel", [], ("sub", 4)),
        lambda b: element(b, "Computer", [], ("sub", 3)),
    ]
    data = [
        (lambda n, i: (lambda b: element(b, "Data", [("Name", "text", n)], ("sub", i))))(n, 5 + k)
        for k, n in enumerate(data_names)
    ]
    element(
        buf,
        "Event",
        [("xmlns", "text", "http://schemas.microsoft.com/win/2004/08/events/event")],
        [lambda b: element(b, "System", [], system), lambda b: element(b, "EventData", [], data)],
    )
    buf.put("B", 0x00)  # end of stream


def record(buf, record_id, unix, provider, event_id, computer, channel, data):
    start = buf.at()
    buf.raw(b"\x2a\x2a\x00\x00")
    size_pos = buf.at()
    buf.put("I", 0)
    buf.put("QQ", record_id, filetime(unix))
    buf.raw(bytes([0x0F, 0x01, 0x01, 0x00]))
    guid = uuid.uuid5(uuid.NAMESPACE_URL, f"muster-evtx-{record_id}").bytes_le
    buf.put("BBI", 0x0C, 0x01, struct.unpack("<I", guid[:4])[0])
    buf.put("I", buf.at() + 4)  # the definition follows inline
    buf.put("I", 0)  # next template
    buf.raw(guid)
    dsize = buf.at()
    buf.put("I", 0)
    body = buf.at()
    event_template(buf, [k for k, _ in data])
    buf.patch(dsize, "I", buf.at() - body)
    t = time.gmtime(unix)
    iso = "%04d-%02d-%02dT%02d:%02d:%02d.000000Z" % t[:6]
    values = [provider, str(event_id), iso, computer, channel] + [v for _, v in data]
    encoded = [u16s(v) for v in values]
    buf.put("I", len(encoded))
    for e in encoded:
        buf.put("HBB", len(e), 0x01, 0x00)
    for e in encoded:
        buf.raw(e)
    buf.put("I", 0)
    size = buf.at() - start
    buf.patch(size_pos, "I", size)
    buf.patch(start + size - 4, "I", size)
    return start


T0 = 1772413200  # 2026-03-02T01:00:00Z
EVENTS = [
    ("Microsoft-Windows-Sysmon", 1, "LAPTOP-0042.corp.example", "Microsoft-Windows-Sysmon/Operational", [
        ("UtcTime", "2026-03-02 01:00:00.123"),
        ("ProcessId", "4242"),
        ("Image", "C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe"),
        ("CommandLine", "\"C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe\" --service"),
        ("User", "CORP\\jdoe"),
        ("Hashes", "SHA256=0000000000000000000000000000000000000000000000000000000000000000"),
    ]),
    ("Microsoft-Windows-Security-Auditing", 4624, "LAPTOP-0042.corp.example", "Security", [
        ("TargetUserName", "jdoe"),
        ("LogonType", "10"),
        ("IpAddress", "203.0.113.50"),
        ("IpPort", "51234"),
    ]),
    ("Microsoft-Windows-Security-Auditing", 6416, "LAPTOP-0042.corp.example", "Security", [
        ("DeviceId", "USB\\VID_1D6B&PID_0104\\CAFEBABE"),
        ("DeviceDescription", "USB Composite Device"),
        ("ClassName", "USB"),
        ("CompatibleIds", "USB\\Class_03&SubClass_01&Prot_01 USB\\Class_08&SubClass_06&Prot_50"),
    ]),
    ("Microsoft-Windows-Security-Auditing", 4634, "LAPTOP-0042.corp.example", "Security", [
        ("TargetUserName", "jdoe"),
    ]),
]


def main():
    chunk = Buf()
    chunk.raw(b"ElfChnk\x00")
    n = len(EVENTS)
    chunk.put("QQQQ", 1, n, 1, n)
    chunk.put("III", 128, 0, 0)  # header size, last record offset, free space offset
    chunk.put("I", 0)  # records checksum
    chunk.raw(bytes(64))
    chunk.put("II", 0, 0)  # flags, header checksum
    chunk.raw(bytes(64 * 4 + 32 * 4))
    assert chunk.at() == 512
    last = 0
    for i, (prov, eid, comp, chan, data) in enumerate(EVENTS, start=1):
        last = record(chunk, i, T0 + 60 * i, prov, eid, comp, chan, data)
    free = chunk.at()
    chunk.patch(44, "II", last, free)
    chunk.patch(52, "I", zlib.crc32(bytes(chunk.b[512:free])))
    chunk.patch(124, "I", zlib.crc32(bytes(chunk.b[:120]) + bytes(chunk.b[128:512])))
    body = bytes(chunk.b) + bytes(65536 - chunk.at())
    header = bytearray(4096)
    header[0:8] = b"ElfFile\x00"
    struct.pack_into("<QQQIHHHH", header, 8, 0, 0, n + 1, 128, 1, 3, 4096, 1)
    struct.pack_into("<I", header, 124, zlib.crc32(bytes(header[:120])))
    with open("samples/windows/synthetic_events.evtx", "wb") as f:
        f.write(bytes(header) + body)


if __name__ == "__main__":
    main()

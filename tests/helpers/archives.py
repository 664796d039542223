"""Office files built byte by byte, for the upload checks: zips whose headers say what the tests
choose (a symbolic link, a device, a size that lies, an encrypted entry) and OLE compound files
(.doc, .xls) with the streams the tests choose.

Python's `zipfile` writes honest archives only, and nothing here writes OLE files, so both are
written from their published layouts (PKWARE APPNOTE 4.3, [MS-CFB] version 3).
"""

import stat
import struct
import zlib
from dataclasses import dataclass

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


@dataclass
class Entry:
    name: str
    data: bytes
    deflate: bool = True
    # What the headers declare, when it is not the truth.
    declared_size: int | None = None
    declared_crc: int | None = None
    unix_mode: int = stat.S_IFREG | 0o644
    flags: int = 0


def zip_bytes(entries: list[Entry]) -> bytes:
    """A zip with exactly these entries and these headers."""
    body = bytearray()
    directory = bytearray()
    for entry in entries:
        name = entry.name.encode()
        packed = entry.data
        if entry.deflate:
            packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
            packed = packer.compress(entry.data) + packer.flush()
        size = len(entry.data) if entry.declared_size is None else entry.declared_size
        crc = zlib.crc32(entry.data) if entry.declared_crc is None else entry.declared_crc
        method = 8 if entry.deflate else 0
        offset = len(body)
        body += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, entry.flags, method, 0, 0x21, crc, len(packed),
            size, len(name), 0,
        )  # fmt: skip
        body += name + packed
        directory += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", (3 << 8) | 20, 20, entry.flags, method, 0, 0x21, crc,
            len(packed), size, len(name), 0, 0, 0, 0, entry.unix_mode << 16, offset,
        )  # fmt: skip
        directory += name
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), len(body), 0
    )
    return bytes(body + directory + end)


def office_entries(main=WORD_MAIN, part="word/document.xml") -> list[Entry]:
    """The three entries of a minimal Word (or, with SHEET_MAIN, Excel) package."""
    return [
        Entry(
            "[Content_Types].xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/{part}" ContentType="{main}"/></Types>'
            ).encode(),
        ),
        Entry("_rels/.rels", b'<?xml version="1.0"?><Relationships/>'),
        Entry(part, b'<?xml version="1.0"?><document>Bonjour</document>'),
    ]


def docx_with(*extra: Entry) -> bytes:
    return zip_bytes([*office_entries(), *extra])


# -- OLE compound files ([MS-CFB], version 3: 512-byte sectors) ------------------------------
_FREE, _END, _FAT, _NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR = 512


def ole_bytes(streams: dict[str, bytes]) -> bytes:
    """An OLE compound file holding `streams` ("Macros/VBA/dir" -> content). Every stream is
    padded to 4096 bytes at least, so that it lives in ordinary sectors (no mini stream)."""
    # The tree of storages: each path's parent storages are created on the way.
    nodes = [{"name": "Root Entry", "type": 5, "kids": [], "data": b""}]
    by_path = {(): 0}
    for path, content in streams.items():
        parts = tuple(path.split("/"))
        for depth in range(1, len(parts) + 1):
            key = parts[:depth]
            if key in by_path:
                continue
            is_stream = depth == len(parts)
            data = content.ljust(4096, b"\0") if is_stream else b""
            nodes.append({"name": key[-1], "type": 2 if is_stream else 1, "kids": [], "data": data})
            by_path[key] = len(nodes) - 1
            nodes[by_path[key[:-1]]]["kids"].append(by_path[key])

    directory_sectors = -(-len(nodes) // 4)
    data_sectors = [-(-len(node["data"]) // _SECTOR) for node in nodes]
    sector_count = 1 + directory_sectors + sum(data_sectors)
    assert sector_count <= _SECTOR // 4, "one FAT sector is enough for the tests' files"

    fat = [_FREE] * (_SECTOR // 4)
    fat[0] = _FAT
    chain_start = {}

    def chain(first, length):
        for sector in range(first, first + length):
            fat[sector] = sector + 1 if sector + 1 < first + length else _END

    chain(1, directory_sectors)
    next_sector = 1 + directory_sectors
    for index, count in enumerate(data_sectors):
        if count:
            chain_start[index] = next_sector
            chain(next_sector, count)
            next_sector += count

    directory = bytearray()
    for index, node in enumerate(nodes):
        kids = node["kids"]
        # Siblings as a chain of right links: a valid (if unbalanced) tree.
        right = _NONE
        for parent in nodes:
            if index in parent["kids"]:
                position = parent["kids"].index(index)
                if position + 1 < len(parent["kids"]):
                    right = parent["kids"][position + 1]
        name = node["name"].encode("utf-16-le") + b"\0\0"
        directory += struct.pack(
            "<64sHBB3L16sL8s8sLQ", name, len(name), node["type"], 1, _NONE, right,
            kids[0] if kids else _NONE, b"", 0, b"", b"", chain_start.get(index, _END if
            node["type"] == 5 else 0), len(node["data"]),
        )  # fmt: skip
    while len(directory) % _SECTOR:
        directory += struct.pack(
            "<64sHBB3L16sL8s8sLQ", b"", 0, 0, 0, _NONE, _NONE, _NONE, b"", 0, b"", b"", 0, 0
        )

    header = struct.pack(
        "<8s16s5H6s9L", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"", 0x3E, 3, 0xFFFE, 9, 6, b"",
        0, 1, 1, 0, 4096, _END, 0, _END, 0,
    )  # fmt: skip
    header += struct.pack("<109L", 0, *([_FREE] * 108))
    content = bytearray(header)
    content += struct.pack(f"<{len(fat)}L", *fat)
    content += directory
    for node in nodes:
        if node["data"]:
            content += node["data"].ljust(-(-len(node["data"]) // _SECTOR) * _SECTOR, b"\0")
    return bytes(content)


def word_97_document(*, macros: bool, text: bytes = b"Bonjour") -> bytes:
    streams = {"WordDocument": b"\xec\xa5" + text, "1Table": b"\0"}
    if macros:
        streams["Macros/VBA/dir"] = b"\x01"
        streams["Macros/VBA/_VBA_PROJECT"] = b"\xcc\x61"
    return ole_bytes(streams)


def excel_97_workbook(*, macros: bool) -> bytes:
    streams = {"Workbook": b"\x09\x08" + b"\0" * 14}
    if macros:
        streams["_VBA_PROJECT_CUR/VBA/dir"] = b"\x01"
        streams["_VBA_PROJECT_CUR/VBA/Module1"] = b"Attribute VB_Name"
    return ole_bytes(streams)

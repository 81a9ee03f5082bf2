"""A push file (`.canteen`): a run of one canteen's audit chain, signed with its site key.

Format 1 is a plain zip (stdlib `zipfile`; any unzip tool opens it, attachments stay binary):

- `manifest.json` — {"format": 1, "canteen": name, "public_key": hex, "base": {"position", "hash"}
  (the entry the run follows; position 0 and the genesis hash at the start), "first", "last",
  "head" (hash of the last entry), "made_at" (UTC ISO time), "entries_sha256", "blobs": [sha256…]};
- `entries.jsonl` — one entry a line: every column of `audit_entry` (chain.ENTRY_FIELDS and
  "hash") in canonical JSON, in chain order. The records (every version), signatures and public
  keys travel inside the entries ("after" of create/amend/void, sign, key-issue, site-key);
- `blobs/SHA256` — the bytes of each attachment an "attach" entry of the run names;
- `signature` — hex Ed25519 signature of `manifest.json`'s bytes by the site key.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .errors import ValidationError
from .integrity.canonical import dumps, plain, sha256_hex
from .integrity.chain import ENTRY_FIELDS, GENESIS, row_hash
from .integrity.signatures import public_bytes, signature_valid

FORMAT = 1
COLUMNS = (*ENTRY_FIELDS, "hash")


class BundleRefused(ValidationError):
    """A push file that is not what it claims (damaged, unsigned, a broken chain)."""

    def __init__(self, en: str, zh: str):
        super().__init__("file", en, zh, "Push file", "上报文件")


@dataclass
class Bundle:
    manifest: dict
    entries: list[dict] = field(default_factory=list)
    blobs: dict[str, bytes] = field(default_factory=dict)
    signature: bytes = b""

    @property
    def first(self) -> int:
        return self.manifest["first"]

    @property
    def last(self) -> int:
        return self.manifest["last"]

    @property
    def public_key(self) -> bytes:
        return bytes.fromhex(self.manifest["public_key"])


def position(entry: dict) -> int:
    """An entry's place in its canteen's numbering: its chain position, or era 1's global seq."""
    return entry["chain_seq"] if entry["chain_id"] is not None else entry["seq"]


def make(canteen: str, key: Ed25519PrivateKey, base: tuple[int, str], entries: list[dict],
         blobs: dict[str, bytes], made_at) -> bytes:
    """The bytes of a push file for `entries` (dicts of every column), following `base`."""
    lines = "".join(dumps({c: plain(e[c]) for c in COLUMNS}) + "\n" for e in entries).encode("utf-8")
    manifest = {"format": FORMAT, "canteen": canteen, "public_key": public_bytes(key).hex(),
                "base": {"position": base[0], "hash": base[1]},
                "first": position(entries[0]) if entries else base[0] + 1,
                "last": position(entries[-1]) if entries else base[0],
                "head": entries[-1]["hash"] if entries else base[1], "made_at": plain(made_at),
                "entries_sha256": sha256_hex(lines), "blobs": sorted(blobs)}
    manifest_bytes = dumps(manifest).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", manifest_bytes)
        z.writestr("entries.jsonl", lines)
        for digest, data in sorted(blobs.items()):
            z.writestr(f"blobs/{digest}", data)
        z.writestr("signature", key.sign(manifest_bytes).hex())
    return out.getvalue()


def read(data: bytes) -> Bundle:
    """Open a push file and check that it is whole and signed by the key it names (whether that
    key is the canteen's pinned one is the district's question); BundleRefused otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            manifest_bytes = z.read("manifest.json")
            manifest = json.loads(manifest_bytes)
            lines = z.read("entries.jsonl")
            signature = bytes.fromhex(z.read("signature").decode("ascii"))
            blobs = {d: z.read(f"blobs/{d}") for d in manifest["blobs"]}
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise BundleRefused(f"is not a canteen push file or is damaged ({exc.__class__.__name__})",
                            f"不是食堂上报文件或已损坏（{exc.__class__.__name__}）") from None
    if manifest.get("format") != FORMAT:
        raise BundleRefused(f"has format {manifest.get('format')!r}, this program reads format {FORMAT}",
                            f"格式为 {manifest.get('format')!r}，本程序只能读取格式 {FORMAT}")
    if not signature_valid(bytes.fromhex(manifest["public_key"]), signature, manifest_bytes):
        raise BundleRefused("is not signed by the key it names", "未由其声明的密钥签名")
    if sha256_hex(lines) != manifest["entries_sha256"] or any(sha256_hex(b) != d for d, b in blobs.items()):
        raise BundleRefused("was changed after it was signed", "签名后被改动过")
    entries = [json.loads(line) for line in lines.decode("utf-8").splitlines() if line]
    bundle = Bundle(manifest, entries, blobs, signature)
    check_chain(bundle)
    return bundle


def check_chain(bundle: Bundle) -> None:
    """Every hash recomputed, every link to the entry before, positions without a gap."""
    pos, prev = bundle.manifest["base"]["position"], bundle.manifest["base"]["hash"]
    for entry in bundle.entries:
        here = position(entry)
        if here != pos + 1 or entry["prev_hash"] != prev or row_hash(entry) != entry["hash"]:
            raise BundleRefused(f"breaks its chain at seq {here}", f"在序号 {here} 处审计链断裂")
        pos, prev = here, entry["hash"]
    if pos != bundle.last or prev != bundle.manifest["head"]:
        raise BundleRefused("ends elsewhere than its manifest says", "结尾与清单不符")


GENESIS_BASE = (0, GENESIS)

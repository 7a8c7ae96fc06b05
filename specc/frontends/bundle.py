"""Bundle front-end: a ``pyflyte package`` archive (``.tgz`` / ``.tar.gz``) of ``.pb`` files.

The archive is read from memory, never extracted. Every ``.pb`` member is decoded by the protobuf
front-end as a file of its own, displayed as ``<archive>!<member>``; everything else (the
``fast*.tar.gz`` code archive, ``.py`` files, directories, hidden files) is skipped.

An archive is hostile until read to the end: a member with an absolute path or a ``..``
component, a link, device or fifo, too many members or too many bytes, or a gzip or tar stream
that does not read cleanly to its end, and the whole archive is refused. A refused archive gives
diagnostics and no documents, so nothing from it is compiled or written.

Sizes are bounded twice: by the sizes the tar headers declare, and by the bytes actually
decompressed, which are counted as they are read (in bounded chunks) so neither a lying header nor
a gzip bomb gets past the limits.
"""
from __future__ import annotations

import gzip
import io
import tarfile
import zlib
from typing import TYPE_CHECKING

from specc import diagnostics as dg
from specc.frontends.common import file_loc
from specc.source import Document, Limits, SourceFile

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

_CHUNK = 64 * 1024
_MAX_UNSAFE = 20  # stop listing unsafe members after this many; the archive is refused anyway
_HINT = "rebuild it with 'pyflyte package'"


class _TooLarge(Exception):
    def __init__(self, what: str, limit: str) -> None:
        super().__init__(what)
        self.what = what
        self.limit = limit


class _Counted(io.RawIOBase):
    """The decompressed stream, refusing to yield more than ``cap`` bytes in all."""

    def __init__(self, raw: gzip.GzipFile, cap: int) -> None:
        self.raw = raw
        self.cap = cap
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: WriteableBuffer) -> int:
        with memoryview(b) as view:
            want = min(view.nbytes, _CHUNK, self.cap + 1 - self.count)
            data = self.raw.read(want)
            n = len(data)
            view[:n] = data
        self.count += n
        if self.count > self.cap:
            raise _TooLarge("decompressed size of the archive", f"{self.cap} bytes")
        return n


class _TarInfo(tarfile.TarInfo):
    """Turns a broken header after the first one into an error (tarfile would just stop)."""

    @classmethod
    def fromtarfile(cls, tf: tarfile.TarFile) -> _TarInfo:
        try:
            return super().fromtarfile(tf)
        except (tarfile.InvalidHeaderError,  # type: ignore[attr-defined]  # not in typeshed
                tarfile.TruncatedHeaderError) as e:  # type: ignore[attr-defined]  # not in typeshed
            if tf.offset == 0:
                raise
            raise tarfile.ReadError(f"bad tar header at offset {tf.offset}: {e}") from None


def _stream_cap(limits: Limits) -> int:
    # member data plus tar's own bytes: a header, padding and perhaps a long-name or pax header
    # per member, and the end-of-archive blocks padded to a record
    return limits.max_bundle_bytes + 4096 * (limits.max_bundle_members + 1) + 2 * 10240


def _member_path(name: str) -> tuple[str | None, str | None]:
    """(normalized path, None) or (None, why the name is unsafe)."""
    if name.startswith(("/", "\\")) or (name[:1].isalpha() and name[1:3] in (":/", ":\\")):
        return None, "it has an absolute path"
    parts = name.replace("\\", "/").split("/")
    if ".." in parts:
        return None, "its path has a '..' component"
    return "/".join(p for p in parts if p not in ("", ".")), None


def _kind(m: tarfile.TarInfo) -> str | None:
    """None for a member specc may read or skip; else what it is, for the refusal."""
    if m.isdir():
        return None
    if m.issym():
        return f"it is a symbolic link (to '{_show(m.linkname)}')"
    if m.islnk():
        return f"it is a hard link (to '{_show(m.linkname)}')"
    if m.ischr() or m.isblk():
        return "it is a device file"
    if m.isfifo():
        return "it is a fifo"
    if m.issparse():
        return "it is a sparse file"
    if m.type in (tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.CONTTYPE):
        return None
    return f"it has an unsupported member type ({m.type!r})"


def _show(name: str) -> str:
    """A member name fit for a message: control characters escaped, long names shortened."""
    out = "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)
    return out if len(out) <= 200 else out[:100] + "..." + out[-40:]


def _wanted(path: str) -> bool:
    parts = path.split("/")
    return (path.lower().endswith(".pb") and bool(parts[-1])
            and not any(p.startswith(".") for p in parts))


def _read_member(tf: tarfile.TarFile, m: tarfile.TarInfo, limits: Limits) -> bytes:
    f = tf.extractfile(m)
    if f is None:  # pragma: no cover - regular members always have data
        return b""
    chunks = []
    n = 0
    while True:
        chunk = f.read(min(_CHUNK, limits.max_member_bytes + 1 - n))
        if not chunk:
            break
        n += len(chunk)
        if n > limits.max_member_bytes:
            raise _TooLarge(f"member '{_show(m.name)}' of the archive (over "
                            f"{limits.max_member_bytes} bytes read)",
                            f"{limits.max_member_bytes} bytes")
        chunks.append(chunk)
    if n != m.size:
        raise tarfile.ReadError(f"member '{_show(m.name)}' holds {n} bytes, its header says "
                                f"{m.size}")
    return b"".join(chunks)


def _scan(data: bytes, src: SourceFile, limits: Limits
          ) -> tuple[list[tuple[str, bytes]], list[dg.Diagnostic]]:
    """(members to decode as (path, bytes), diagnostics); any diagnostic refuses the archive."""
    loc = file_loc(src)
    members: list[tuple[str, bytes]] = []
    unsafe: list[dg.Diagnostic] = []
    stream = _Counted(gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb"), _stream_cap(limits))
    try:
        with tarfile.open(fileobj=stream, mode="r|", tarinfo=_TarInfo) as tf:
            count = 0
            declared = 0
            read = 0
            for m in tf:
                count += 1
                if count > limits.max_bundle_members:
                    raise _TooLarge("number of members of the archive (more than "
                                    f"{limits.max_bundle_members})",
                                    f"{limits.max_bundle_members} members")
                path, why = _member_path(m.name)
                if why is None and path == "" and not m.isdir():
                    why = "it has an empty name"
                why = why or _kind(m)
                if why is not None:
                    unsafe.append(dg.make("SPC020", loc, "load", member=_show(m.name), reason=why))
                    if len(unsafe) >= _MAX_UNSAFE:
                        break
                    continue
                assert path is not None  # a name is either safe (a path) or not (a reason)
                if m.isdir():
                    continue
                if m.size > limits.max_member_bytes:
                    raise _TooLarge(f"size of member '{_show(m.name)}' of the archive "
                                    f"({m.size} bytes)", f"{limits.max_member_bytes} bytes")
                declared += m.size
                if declared > limits.max_bundle_bytes:
                    raise _TooLarge(f"total size of the archive's members (over {declared} "
                                    "bytes)", f"{limits.max_bundle_bytes} bytes")
                if unsafe or not _wanted(path):
                    continue
                blob = _read_member(tf, m, limits)
                read += len(blob)
                if read > limits.max_bundle_bytes:  # pragma: no cover - declared bounds it
                    raise _TooLarge("total size of the archive's members",
                                    f"{limits.max_bundle_bytes} bytes")
                members.append((path, blob))
        if not unsafe:
            # read to the end, so gzip checks its length and CRC and a cut archive is noticed
            while stream.read(_CHUNK):
                pass
    except _TooLarge as e:
        return [], [dg.make("SPC021", loc, "load", what=e.what, limit=e.limit)]
    except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError) as e:
        return [], [dg.make("SPC022", loc, "load", reason=_why(e))]
    if unsafe:
        return [], unsafe
    return members, []


def load(data: bytes, src: SourceFile, limits: Limits
         ) -> tuple[list[Document], list[dg.Diagnostic]]:
    from specc.frontends import proto

    members, diags = _scan(data, src, limits)
    if diags:
        return [], diags
    if not members:
        return [], [dg.make("SPC023", file_loc(src), "load")]
    documents: list[Document] = []
    out: list[dg.Diagnostic] = []
    for path, blob in sorted(members, key=lambda pb: pb[0]):
        member = SourceFile(path=None, display=f"{src.display}!{_show(path)}", form="pb",
                            archive=src, member=_show(path))
        docs, ds = proto.load(blob, member, limits)
        documents.extend(docs)
        out.extend(ds)
    return documents, out


def _why(e: BaseException) -> str:
    if isinstance(e, EOFError):
        return "the compressed data ends early (the file is truncated)"
    if isinstance(e, gzip.BadGzipFile):
        return f"not gzip-compressed ({e})"
    if isinstance(e, zlib.error):
        return f"the compressed data is corrupt ({e})"
    text = str(e).strip() or type(e).__name__
    return text[:200]

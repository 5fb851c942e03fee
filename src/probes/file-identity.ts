// A file's identity across the host/inside boundary: device, inode, size and mtime of its real path.
// Equal text or an equal name is not the same file; equal identity is (a bind mount, or the very host file).

/** Python defining ident(path): [st_dev, st_ino, st_size, st_mtime_ns] of its real path as strings, or None. */
export const PY_IDENT = `def ident(path):
    try:
        st = os.stat(os.path.realpath(path))
    except OSError:
        return None
    return [str(st.st_dev), str(st.st_ino), str(st.st_size), str(st.st_mtime_ns)]`;

/** [dev, ino, size, mtime_ns], as strings so 64-bit values keep every digit. */
export type FileIdent = string[];

/** Pure: both identities known and equal. */
export function sameFile(a: FileIdent | null | undefined, b: FileIdent | null | undefined): boolean {
  return Boolean(a && b && a.length === 4 && a.join(':') === b.join(':'));
}

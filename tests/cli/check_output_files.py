#!/usr/bin/env python3
"""Output files never replace what rsq does not own (issue 10, defect 1).

-o, --rejects and --reasons replace a regular file (or create a new one)
atomically, and write through to everything else. Every check here runs in a
private temporary directory: device nodes are made with mknod there (the real
/dev is never touched), and a "/dev/stdout" is a private symlink to
/proc/self/fd/1. Checks that need root (mknod, chown, a tmpfs, another user)
are skipped with the reason where that is not permitted.
Prints "N passed, M failed, K skipped" last; exits 77 if everything skipped.
"""
import argparse, os, pwd, shutil, socket, stat, subprocess, sys, tempfile, threading

results = {"passed": 0, "failed": 0, "skipped": 0}


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(("ok   %s" if ok else "FAIL %s") % name + ("" if ok or not detail else ": " + detail))


def skip(name, why):
    results["skipped"] += 1
    print("skip %s: %s" % (name, why))


def make_dev(path, major, minor):
    """A private character device node, or the reason it cannot be used here."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
        os.chmod(path, 0o666)
    except (PermissionError, OSError) as e:
        return "mknod not permitted (%s)" % e.strerror
    try:
        os.close(os.open(path, os.O_WRONLY))
    except OSError as e:
        return "device node cannot be opened here (%s)" % e.strerror
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rsq", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args()
    rsq = os.path.abspath(a.rsq)
    sample = os.path.join(a.root, "data/samples/gsm8k-test-excerpt.jsonl")
    bad = os.path.join(a.root, "tests/data/bad-lines.jsonl")

    def run(*args, **kw):
        return subprocess.run([rsq, *args], capture_output=True, stdin=subprocess.DEVNULL, **kw)

    want = run("score", sample, "-q", "--format", "json").stdout
    assert want, "rsq score printed nothing"
    d = tempfile.mkdtemp(prefix="rsq-out-")
    os.chmod(d, 0o755)
    try:
        # A new file: created with 0666 & ~umask, like a shell redirection.
        newf = os.path.join(d, "new.json")
        old = os.umask(0o027)
        try:
            p = run("score", sample, "-q", "--format", "json", "-o", newf)
        finally:
            os.umask(old)
        check("new file gets the report", p.returncode == 0 and open(newf, "rb").read() == want, p.stderr.decode())
        check("new file mode follows the umask", stat.S_IMODE(os.stat(newf).st_mode) == 0o640,
              oct(stat.S_IMODE(os.stat(newf).st_mode)))

        # An existing regular file: replaced, its mode kept.
        ex = os.path.join(d, "existing.json")
        open(ex, "w").write("old\n")
        os.chmod(ex, 0o600)
        p = run("score", sample, "-q", "--format", "json", "-o", ex)
        check("existing file replaced", p.returncode == 0 and open(ex, "rb").read() == want)
        check("existing file keeps mode 0600", stat.S_IMODE(os.stat(ex).st_mode) == 0o600,
              oct(stat.S_IMODE(os.stat(ex).st_mode)))
        os.chmod(ex, 0o751)
        run("score", sample, "-q", "--format", "json", "-o", ex)
        check("existing file keeps mode 0751", stat.S_IMODE(os.stat(ex).st_mode) == 0o751)

        # Owner kept (root only: chown to another user).
        if os.geteuid() == 0:
            owned = os.path.join(d, "owned.json")
            open(owned, "w").write("x")
            os.chown(owned, 65534, 65534)
            run("score", sample, "-q", "--format", "json", "-o", owned)
            st = os.stat(owned)
            check("existing file keeps its owner", (st.st_uid, st.st_gid) == (65534, 65534), "%d:%d" % (st.st_uid, st.st_gid))
        else:
            skip("existing file keeps its owner", "needs root to chown")

        # Symlinks: the link stays, its target gets the report.
        tgt = os.path.join(d, "target.json")
        open(tgt, "w").write("old\n")
        lnk = os.path.join(d, "link.json")
        os.symlink("target.json", lnk)
        lnk2 = os.path.join(d, "link2.json")
        os.symlink(lnk, lnk2)
        p = run("score", sample, "-q", "--format", "json", "-o", lnk2)
        check("symlink chain survives", os.path.islink(lnk2) and os.path.islink(lnk), p.stderr.decode())
        check("symlink target gets the report", open(tgt, "rb").read() == want)
        dang = os.path.join(d, "dangling.json")
        os.symlink("created-by-link.json", dang)
        p = run("score", sample, "-q", "--format", "json", "-o", dang)
        check("dangling symlink creates its target",
              os.path.islink(dang) and open(os.path.join(d, "created-by-link.json"), "rb").read() == want, p.stderr.decode())
        loop = os.path.join(d, "loop")
        os.symlink("loop", loop)
        p = run("score", sample, "-q", "-o", loop)
        check("symlink loop is an I/O error (4)", p.returncode == 4 and os.path.islink(loop), str(p.returncode))

        # A private /dev/stdout: a symlink to /proc/self/fd/1 writes to stdout.
        fake_stdout = os.path.join(d, "stdout")
        os.symlink("/proc/self/fd/1", fake_stdout)
        p = run("score", sample, "-q", "--format", "json", "-o", fake_stdout)
        check("-o link-to-/proc/self/fd/1 writes stdout", p.returncode == 0 and p.stdout == want and os.path.islink(fake_stdout),
              "rc %d, %d bytes" % (p.returncode, len(p.stdout)))
        with open(os.path.join(d, "redirected.json"), "wb") as f:
            p = subprocess.run([rsq, "score", sample, "-q", "--format", "json", "-o", fake_stdout], stdout=f, stdin=subprocess.DEVNULL)
        check("-o link-to-stdout redirected to a file", open(os.path.join(d, "redirected.json"), "rb").read() == want)

        # A FIFO: its reader gets the report.
        fifo = os.path.join(d, "fifo")
        os.mkfifo(fifo)
        got = []
        t = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()), daemon=True)
        t.start()
        try:
            p = run("score", sample, "-q", "--format", "json", "-o", fifo, timeout=60)
        except subprocess.TimeoutExpired:
            p = subprocess.CompletedProcess([], -1)
        if not got:  # unblock a reader still waiting for a writer
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
        t.join(10)
        check("FIFO reader gets the report", p.returncode == 0 and got == [want] and stat.S_ISFIFO(os.lstat(fifo).st_mode))

        # A Unix socket: written to a listening peer.
        sp = os.path.join(d, "sock")
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(sp)
        srv.listen(1)
        chunks = []

        def serve():
            try:
                c, _ = srv.accept()
            except OSError:
                return
            while True:
                b = c.recv(65536)
                if not b:
                    break
                chunks.append(b)
            c.close()
        srv.settimeout(60)
        t = threading.Thread(target=serve, daemon=True)
        t.start()
        p = run("score", sample, "-q", "--format", "json", "-o", sp, timeout=60)
        t.join(60)
        srv.close()
        check("Unix socket peer gets the report", p.returncode == 0 and b"".join(chunks) == want and stat.S_ISSOCK(os.lstat(sp).st_mode),
              p.stderr.decode())

        # A directory is an I/O error, and is left alone.
        sub = os.path.join(d, "adir")
        os.mkdir(sub)
        p = run("score", sample, "-q", "-o", sub)
        check("directory as -o: exit 4", p.returncode == 4 and os.path.isdir(sub), str(p.returncode))

        # Private device nodes: a null device stays a device; a full one is ENOSPC -> 4.
        null = os.path.join(d, "null")
        why = make_dev(null, 1, 3)
        if why:
            skip("-o null device", why)
        else:
            for args in (("score", sample, "-q", "-o", null),
                         ("filter", bad, "-q", "--max-bad-lines", "100", "--where", "reasoning_words > 5",
                          "-o", null, "--rejects", null, "--reasons", null),
                         ("annotate", sample, "-o", null)):
                p = run(*args)
                check("%s -o null device stays a device" % args[0],
                      p.returncode == 0 and stat.S_ISCHR(os.lstat(null).st_mode), "rc %d %s" % (p.returncode, p.stderr.decode()))
            full = os.path.join(d, "full")
            why = make_dev(full, 1, 7)
            if why:
                skip("-o full device", why)
            else:
                p = run("score", sample, "-q", "-o", full)
                check("-o full device: ENOSPC is exit 4", p.returncode == 4 and b"No space left" in p.stderr
                      and stat.S_ISCHR(os.lstat(full).st_mode), "rc %d %s" % (p.returncode, p.stderr.decode()))
                p = run("filter", sample, "-q", "--where", "reasoning_words > 1000000", "--rejects", full, "-o", os.path.join(d, "k"))
                check("--rejects full device: exit 4", p.returncode == 4, str(p.returncode))
            # As another user, --rejects to a device in a directory it cannot write.
            setpriv = shutil.which("setpriv")
            if os.geteuid() != 0:
                skip("non-root --rejects null device", "needs root to switch to another user")
            elif not setpriv:
                skip("non-root --rejects null device", "setpriv not found")
            else:
                nobody = pwd.getpwnam("nobody").pw_uid
                inp = os.path.join(d, "in.jsonl")
                shutil.copy(sample, inp)
                os.chmod(inp, 0o644)
                p = subprocess.run([setpriv, "--reuid", str(nobody), "--regid", str(nobody), "--clear-groups", rsq, "filter", inp, "-q",
                                    "--where", "reasoning_words > 5", "--rejects", null, "--reasons", null],
                                   capture_output=True, stdin=subprocess.DEVNULL)
                check("non-root --rejects null device", p.returncode == 0 and p.stdout, "rc %d %s" % (p.returncode, p.stderr.decode()))

        # ENOSPC on a regular file (a tiny private tmpfs), exit 4 and no debris.
        mnt = os.path.join(d, "tiny")
        os.mkdir(mnt)
        m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", mnt], capture_output=True) if os.geteuid() == 0 else None
        if m is None or m.returncode != 0:
            skip("ENOSPC on a regular file", "cannot mount a private tmpfs here")
        else:
            try:
                p = run("annotate", sample, "-o", os.path.join(mnt, "out.jsonl"))
                check("ENOSPC on a regular file: exit 4, nothing left behind",
                      p.returncode == 4 and b"No space left" in p.stderr and os.listdir(mnt) == [],
                      "rc %d %s %s" % (p.returncode, p.stderr.decode(), os.listdir(mnt)))
            finally:
                subprocess.run(["umount", mnt])
    finally:
        shutil.rmtree(d, ignore_errors=True)
    print("%d passed, %d failed, %d skipped" % (results["passed"], results["failed"], results["skipped"]))
    if results["failed"]:
        return 1
    return 77 if results["passed"] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())

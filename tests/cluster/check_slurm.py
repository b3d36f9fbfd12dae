#!/usr/bin/env python3
"""rsq under a real scheduler (issue 14): starts a private single-node Slurm
cluster (munged with a generated key, slurmctld and slurmd with a minimal
slurm.conf in a temporary directory; nothing in /etc is touched), submits the
two array recipes of docs/cluster.md with `sbatch --array` — byte-range shards
of one file, and one task per file — waits for them, merges the parts and
requires the merged reports to be byte-identical to single runs. Everything
it started is stopped. Exits 77 (skipped) with the reason when Slurm cannot be
started here (not root, the Debian packages slurm-wlm and munge missing)."""
import argparse, os, shutil, signal, socket, subprocess, sys, tempfile, time


def skip(why):
    print("SKIPPED: " + why)
    sys.exit(77)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rsq", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--shards", type=int, default=6)
    a = ap.parse_args()
    if os.geteuid() != 0:
        skip("the daemons of a private Slurm cluster need root here")
    tools = {t: shutil.which(t) or "/usr/sbin/" + t for t in ["munged", "slurmctld", "slurmd"]}
    for t in ["sbatch", "squeue", "sinfo"]:
        tools[t] = shutil.which(t)
    missing = [t for t, p in tools.items() if not p or not os.path.exists(p)]
    if missing:
        skip("Slurm is not installed (%s missing; apt-get install slurm-wlm munge, or bash scripts/bootstrap.sh test)"
             % ", ".join(missing))
    rsq = os.path.abspath(a.rsq)
    d = tempfile.mkdtemp(prefix="rsq-slurm-")
    os.chmod(d, 0o755)
    procs = []
    pids = []
    ok = False
    try:
        host = socket.gethostname().split(".")[0]
        key = os.path.join(d, "munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(key, 0o400)
        msock = os.path.join(d, "munge.socket")
        subprocess.run([tools["munged"], "--key-file=" + key, "--socket=" + msock, "--pid-file=" + d + "/munged.pid",
                        "--log-file=" + d + "/munged.log", "--seed-file=" + d + "/munged.seed", "--force"],
                       check=True, capture_output=True)
        pids.append(d + "/munged.pid")
        conf = os.path.join(d, "slurm.conf")
        os.makedirs(d + "/state")
        os.makedirs(d + "/spool")
        with open(conf, "w") as f:
            f.write("\n".join([
                "ClusterName=rsqtest", "SlurmctldHost=" + host, "SlurmUser=root", "SlurmdUser=root",
                "SlurmctldPort=%d" % free_port(), "SlurmdPort=%d" % free_port(),
                "AuthType=auth/munge", "AuthInfo=socket=" + msock, "CredType=cred/munge",
                "StateSaveLocation=" + d + "/state", "SlurmdSpoolDir=" + d + "/spool",
                "SlurmctldPidFile=" + d + "/slurmctld.pid", "SlurmdPidFile=" + d + "/slurmd.pid",
                "SlurmctldLogFile=" + d + "/slurmctld.log", "SlurmdLogFile=" + d + "/slurmd.log",
                "ProctrackType=proctrack/linuxproc", "TaskPlugin=task/none", "SchedulerType=sched/builtin",
                "SelectType=select/cons_tres", "SelectTypeParameters=CR_CPU", "JobAcctGatherType=jobacct_gather/none",
                "MpiDefault=none", "ReturnToService=2",
                "NodeName=%s CPUs=%d State=UNKNOWN" % (host, os.cpu_count() or 1),
                "PartitionName=main Nodes=%s Default=YES MaxTime=INFINITE State=UP" % host, ""]))
        env = dict(os.environ, SLURM_CONF=conf)
        subprocess.run([tools["slurmctld"], "-f", conf], check=True, env=env, capture_output=True)
        pids.append(d + "/slurmctld.pid")
        time.sleep(1)
        subprocess.run([tools["slurmd"], "-f", conf], check=True, env=env, capture_output=True)
        pids.append(d + "/slurmd.pid")
        deadline = time.time() + 90
        state = ""
        while time.time() < deadline:
            state = subprocess.run([tools["sinfo"], "-h", "-o", "%T"], env=env, capture_output=True, text=True).stdout.strip()
            if state.startswith("idle"):
                break
            time.sleep(1)
        if not state.startswith("idle"):
            skip("the private Slurm cluster did not come up (node state %r; logs in %s)" % (state, d))
        print("slurm: node %s %s" % (host, state))

        # Data: the shipped samples, repeated (a few MB, so shards are real byte ranges).
        big = os.path.join(d, "big.jsonl")
        samples = sorted(os.path.abspath(os.path.join(a.root, "data/samples", n)) for n in os.listdir(os.path.join(a.root, "data/samples"))
                         if n.endswith(".jsonl"))
        with open(big, "wb") as out:
            for _ in range(30):
                for s in samples:
                    out.write(open(s, "rb").read())
        parts = os.path.join(d, "parts")
        os.makedirs(parts)
        n = a.shards

        def submit(array, script):
            r = subprocess.run([tools["sbatch"], "--parsable", "--array=" + array, "-c", "1", "-o", d + "/task-%A-%a.out",
                                "--chdir", d, "--wrap", script], env=env, capture_output=True, text=True)
            if r.returncode != 0:
                raise SystemExit("sbatch failed: " + r.stderr)
            job = r.stdout.strip().split(";")[0]
            deadline = time.time() + 600
            while time.time() < deadline:
                q = subprocess.run([tools["squeue"], "-h", "-j", job], env=env, capture_output=True, text=True).stdout.strip()
                if not q:
                    return job
                time.sleep(1)
            raise SystemExit("job %s did not finish in 10 minutes" % job)

        # Recipe 1 (docs/cluster.md): one big file, N array tasks, one byte range each.
        job = submit("0-%d" % (n - 1), '%s score %s --shard $SLURM_ARRAY_TASK_ID/%d --state --format json -q -j 1 '
                                       '-o %s/$SLURM_ARRAY_TASK_ID.json' % (rsq, big, n, parts))
        got = sorted(os.listdir(parts))
        print("recipe 1: sbatch --array=0-%d job %s wrote %d parts" % (n - 1, job, len(got)))
        merged = subprocess.run([rsq, "merge"] + [os.path.join(parts, "%d.json" % i) for i in range(n)] + ["--name", big],
                                capture_output=True).stdout
        whole = subprocess.run([rsq, "score", big, "--state", "--format", "json", "-q"], capture_output=True).stdout
        failed = 0
        if merged != whole or not whole:
            failed += 1
            print("FAIL: merged byte-range shards differ from one run (%d vs %d bytes)" % (len(merged), len(whole)))
        else:
            print("recipe 1: merged report byte-identical to one run (%d bytes)" % len(whole))
        # Resuming: a lost part is named by rsq merge.
        os.rename(os.path.join(parts, "2.json"), os.path.join(d, "lost.json"))
        r = subprocess.run([rsq, "merge"] + [os.path.join(parts, f) for f in sorted(os.listdir(parts))] + ["--name", big],
                           capture_output=True, text=True)
        if r.returncode != 3 or "shards missing (2)" not in r.stderr:
            failed += 1
            print("FAIL: a missing shard was not named: exit %d, %s" % (r.returncode, r.stderr.strip()))
        else:
            print("resume: rsq merge names the missing shard: " + r.stderr.strip().splitlines()[0])

        # Recipe 2: one task per file, from a file list.
        files = os.path.join(d, "files.txt")
        with open(files, "w") as f:
            f.write("\n".join(samples) + "\n")
        per = os.path.join(d, "per-file")
        os.makedirs(per)
        submit("0-%d" % (len(samples) - 1),
               'f=$(sed -n "$((SLURM_ARRAY_TASK_ID+1))p" %s); %s score "$f" --state --format json -q -j 1 '
               '-o %s/$SLURM_ARRAY_TASK_ID.json' % (files, rsq, per))
        cat = os.path.join(d, "all.jsonl")
        with open(cat, "wb") as out:
            for s in samples:
                out.write(open(s, "rb").read())
        merged2 = subprocess.run([rsq, "merge"] + [os.path.join(per, "%d.json" % i) for i in range(len(samples))] +
                                 ["--name", cat], capture_output=True).stdout
        whole2 = subprocess.run([rsq, "score", cat, "--state", "--format", "json", "-q"], capture_output=True).stdout
        if merged2 != whole2 or not whole2:
            failed += 1
            print("FAIL: merged per-file tasks differ from one run over the concatenation")
        else:
            print("recipe 2: %d per-file tasks merged = one run over the concatenated files" % len(samples))
        ok = failed == 0
        return 0 if ok else 1
    finally:
        for pf in reversed(pids):
            try:
                pid = int(open(pf).read().strip())
                os.kill(pid, signal.SIGTERM)
                for _ in range(50):
                    try:
                        os.kill(pid, 0)
                        time.sleep(0.1)
                    except ProcessLookupError:
                        break
                else:
                    os.kill(pid, signal.SIGKILL)
            except (OSError, ValueError):
                pass
        if ok:
            shutil.rmtree(d, ignore_errors=True)
        else:
            print("kept for inspection: " + d)


if __name__ == "__main__":
    sys.exit(main())

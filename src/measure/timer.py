"""isobench's process timer: starts each timed command with posix_spawn and reports its wall time.

Node forks a copy of its own (large) address space for every child; posix_spawn (vfork) does not, so a
command timed here costs what it costs under hyperfine. One helper serves a whole run, over JSON lines:

  helper -> client, once:  {"ev": "hello", "protocol": 1, "python": "3.11.2", "clockResolutionNs": 1}
  client -> helper:        {"op": "time", "id": N, "argv": [...], "env": {...}, "cwd": DIR or null,
                            "stdin": PATH, "stdout": PATH, "stderr": PATH, "timeoutMs": N, "killAfterMs": N}
                           {"op": "kill", "id": N}   stop job N (as on a timeout, but not marked timed out)
  helper -> client:        {"ev": "exit", "id": N, "ns": ELAPSED, "code": C or null, "signal": S or null,
                            "timedOut": bool, "killed": bool}
                           {"ev": "error", "id": N or null, "error": TEXT}   the command did not start, or a bad line

ELAPSED runs from just before posix_spawn to the return of waitpid (time.perf_counter_ns, a monotonic clock),
as hyperfine measures a command. Each command runs in its own process group: a timeout sends SIGTERM to
the group, then SIGKILL after killAfterMs. Several jobs may run at once. At the end of stdin every running
job is killed and reaped, then the helper exits.
"""
import json
import os
import select
import shutil
import signal
import sys
import time

PROTOCOL = 1
OUT_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC


class Job:
    def __init__(self, req, pid, t0):
        self.id = req['id']
        self.pid = pid
        self.t0 = t0
        self.kill_after_ns = int(req['killAfterMs'] * 1e6)
        self.deadline = t0 + int(req['timeoutMs'] * 1e6)
        self.kill_at = None
        self.timed_out = False
        self.killed = False

    def stop(self, now):
        """SIGTERM to the job's process group now, SIGKILL once killAfterMs has passed."""
        if self.kill_at is None:
            self.kill_at = now + self.kill_after_ns
            signal_group(self.pid, signal.SIGTERM)


def signal_group(pid, sig):
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def send(msg):
    data = (json.dumps(msg, separators=(',', ':')) + '\n').encode()
    try:
        while data:
            data = data[os.write(1, data):]
    except BrokenPipeError:
        pass


def check(req):
    """Raises ValueError naming the first field of a time request that is missing or of the wrong type."""
    want = {'argv': list, 'env': dict, 'stdin': str, 'stdout': str, 'stderr': str, 'timeoutMs': (int, float), 'killAfterMs': (int, float)}
    for key, typ in want.items():
        if not isinstance(req.get(key), typ):
            raise ValueError('%s: missing or of the wrong type' % key)
    if not req['argv'] or not all(isinstance(a, str) for a in req['argv']):
        raise ValueError('argv: expected a non-empty list of strings')
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in req['env'].items()):
        raise ValueError('env: expected string values')
    if req.get('cwd') is not None and not isinstance(req['cwd'], str):
        raise ValueError('cwd: expected a string or null')


def spawn(req):
    """Starts one command; returns its Job (t0 taken just before posix_spawn)."""
    argv, env, cwd = req['argv'], req['env'], req.get('cwd')
    here = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        path = argv[0] if '/' in argv[0] else shutil.which(argv[0], path=env.get('PATH', os.defpath))
        if not path:
            raise FileNotFoundError('%s: command not found' % argv[0])
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, req['stdin'], os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, req['stdout'], OUT_FLAGS, 0o600),
            (os.POSIX_SPAWN_OPEN, 2, req['stderr'], OUT_FLAGS, 0o600),
        ]
        t0 = time.perf_counter_ns()
        pid = os.posix_spawn(path, argv, env, file_actions=actions, setpgroup=0)
        return Job(req, pid, t0)
    finally:
        if cwd:
            os.chdir(here)


def handle(line, jobs):
    try:
        req = json.loads(line)
    except ValueError as err:
        return send({'ev': 'error', 'id': None, 'error': 'not JSON: %s' % err})
    rid = req.get('id') if isinstance(req, dict) else None
    if not isinstance(rid, int) or isinstance(rid, bool):
        return send({'ev': 'error', 'id': None, 'error': 'id: expected an integer'})
    op = req.get('op')
    if op == 'kill':
        job = jobs.get(rid)
        if job:
            job.killed = True
            job.stop(time.perf_counter_ns())
        return None
    if op != 'time':
        return send({'ev': 'error', 'id': rid, 'error': 'op: expected "time" or "kill", got %s' % json.dumps(op)})
    if rid in jobs:
        return send({'ev': 'error', 'id': rid, 'error': 'id: job %d is still running' % rid})
    try:
        check(req)
        jobs[rid] = spawn(req)
    except (ValueError, OSError) as err:
        send({'ev': 'error', 'id': rid, 'error': str(err)})
    return None


def reap(jobs):
    for rid, job in list(jobs.items()):
        pid, status = os.waitpid(job.pid, os.WNOHANG)
        if pid == 0:
            continue
        ns = time.perf_counter_ns() - job.t0
        del jobs[rid]
        send({
            'ev': 'exit', 'id': rid, 'ns': ns,
            'code': os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            'signal': os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            'timedOut': job.timed_out, 'killed': job.killed,
        })


def enforce(jobs, now):
    """Stops jobs past their deadline, SIGKILLs those past their grace; returns ms until the next event or None."""
    wake = None
    for job in jobs.values():
        if job.kill_at is None and now >= job.deadline:
            job.timed_out = True
            job.stop(now)
        if job.kill_at is not None and now >= job.kill_at:
            signal_group(job.pid, signal.SIGKILL)
            job.kill_at = now + 10**9
        nxt = job.deadline if job.kill_at is None else job.kill_at
        wake = nxt if wake is None else min(wake, nxt)
    return None if wake is None else max(0, -(-(wake - now) // 10**6))


def main():
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
    poller = select.poll()
    poller.register(0, select.POLLIN)
    poller.register(wake_r, select.POLLIN)
    send({'ev': 'hello', 'protocol': PROTOCOL, 'python': '%d.%d.%d' % sys.version_info[:3],
          'clockResolutionNs': int(time.get_clock_info('perf_counter').resolution * 1e9) or 1})
    jobs, buf, eof = {}, b'', False
    while not (eof and not jobs):
        for fd, _ in poller.poll(enforce(jobs, time.perf_counter_ns())):
            if fd == wake_r:
                while True:
                    try:
                        if not os.read(wake_r, 512):
                            break
                    except BlockingIOError:
                        break
                continue
            data = os.read(0, 1 << 16)
            if not data:
                eof = True
                poller.unregister(0)
                for job in jobs.values():
                    signal_group(job.pid, signal.SIGKILL)
                continue
            buf += data
            *lines, buf = buf.split(b'\n')
            for line in lines:
                if line.strip():
                    handle(line, jobs)
        reap(jobs)


if __name__ == '__main__':
    main()

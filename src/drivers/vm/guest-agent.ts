// The guest's command agent (Python, stdlib only): JSON lines over a virtio-serial port.
//
// Host -> guest: {"id":N,"op":"run","argv":[...],"env":{...},"input":"..."} | {"id":N,"op":"kill"}
// Guest -> host: {"ev":"hello","initUptime":s,"uptime":s,"kernel":"…"} once the port is connected,
//                {"id":N,"ev":"out","fd":1|2,"data":base64} and {"id":N,"ev":"exit","code":C[,"error":"…"]}.
// A press of the ACPI power button (QMP system_powerdown) syncs and powers the guest off.

/** Name of the virtio-serial port the agent listens on (the host's virtserialport name=). */
export const AGENT_PORT_NAME = 'org.isobench.agent';

/** Where the agent lives inside the guest. */
export const AGENT_PATH = '/opt/isobench/agent.py';

/** The agent's source. */
export const AGENT_SOURCE = String.raw`#!/usr/bin/python3
# isobench guest agent: runs argv commands for the host over a virtio-serial port (JSON lines).
import base64, ctypes, json, os, signal, struct, subprocess, threading, time

PORT_NAME = '${AGENT_PORT_NAME}'
BASE_ENV = {'PATH': '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME': '/root', 'LANG': 'C.UTF-8'}


def uptime():
    with open('/proc/uptime') as f:
        return float(f.read().split()[0])


def find_device(cls, match, tries=200):
    base = '/sys/class/' + cls
    for _ in range(tries):
        for name in sorted(os.listdir(base)) if os.path.isdir(base) else []:
            if match(base + '/' + name):
                return '/dev/' + ('input/' if cls == 'input' else '') + name
        time.sleep(0.05)
    return None


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return ''


class Channel:
    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR)
        self.lock = threading.Lock()

    def send(self, obj):
        data = (json.dumps(obj) + '\n').encode()
        with self.lock:
            while data:
                try:
                    data = data[os.write(self.fd, data):]
                except OSError:
                    time.sleep(0.05)  # host side not connected yet

    def requests(self):
        buf = b''
        while True:
            chunk = os.read(self.fd, 65536)
            if not chunk:
                time.sleep(0.05)  # host side not connected
                continue
            buf += chunk
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                if line.strip():
                    yield json.loads(line)


procs = {}


def pump(ch, rid, fd, stream):
    while True:
        data = os.read(stream.fileno(), 65536)
        if not data:
            return
        ch.send({'id': rid, 'ev': 'out', 'fd': fd, 'data': base64.b64encode(data).decode()})


def feed(stream, text):
    try:
        stream.write(text.encode())
        stream.close()
    except OSError:
        pass


def run(ch, req):
    rid = req['id']
    env = dict(BASE_ENV)
    env.update(req.get('env') or {})
    has_input = req.get('input') is not None
    try:
        p = subprocess.Popen(req['argv'], env=env, cwd='/root', start_new_session=True,
                             stdin=subprocess.PIPE if has_input else subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        ch.send({'id': rid, 'ev': 'exit', 'code': 127, 'error': str(e)})
        return
    procs[rid] = p
    if has_input:
        threading.Thread(target=feed, args=(p.stdin, req['input']), daemon=True).start()
    pumps = [threading.Thread(target=pump, args=(ch, rid, n, s), daemon=True) for n, s in ((1, p.stdout), (2, p.stderr))]
    for t in pumps:
        t.start()
    for t in pumps:
        t.join()
    code = p.wait()
    procs.pop(rid, None)
    ch.send({'id': rid, 'ev': 'exit', 'code': code if code >= 0 else 128 - code})


def kill(req):
    p = procs.get(req['id'])
    if p is not None:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass


def power_button():
    dev = find_device('input', lambda d: read(d + '/device/name') == 'Power Button' and os.path.basename(d).startswith('event'), 40)
    if dev is None:
        return
    fmt = 'llHHi'
    size = struct.calcsize(fmt)
    with open(dev, 'rb') as f:
        while True:
            _, _, typ, code, value = struct.unpack(fmt, f.read(size))
            if typ == 1 and code == 116 and value == 1:  # EV_KEY, KEY_POWER, pressed
                os.sync()
                ctypes.CDLL(None).reboot(0x4321FEDC)  # LINUX_REBOOT_CMD_POWER_OFF


def main():
    path = find_device('virtio-ports', lambda d: read(d + '/name') == PORT_NAME)
    if path is None:
        raise SystemExit('isobench agent: no virtio-serial port named ' + PORT_NAME)
    threading.Thread(target=power_button, daemon=True).start()
    ch = Channel(path)
    ch.send({'ev': 'hello', 'initUptime': float(os.environ.get('ISOBENCH_INIT_UPTIME', '0')),
             'uptime': uptime(), 'kernel': os.uname().release})
    for req in ch.requests():
        if req.get('op') == 'run':
            threading.Thread(target=run, args=(ch, req), daemon=True).start()
        elif req.get('op') == 'kill':
            kill(req)


main()
`;

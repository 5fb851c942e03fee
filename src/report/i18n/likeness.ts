// What a verdict compared, in words: quantities, ways of measuring, and the things measured, typed so that a missing
// name in either language is a compile error, not an English leak.
import type { How, Quantity } from '../../claims/metrics.js';
import type { DocSubject, Subject } from '../../claims/subjects.js';
import type { ClaimVerdict } from '../../results/schema.js';

export type Basis = NonNullable<ClaimVerdict['basis']>;

export interface LikenessMessages {
  quantity: Record<Quantity, string>;
  how: Record<How | 'unstated', string>;
  docOn: Record<DocSubject, string>;
  on: Record<Subject | 'unknown', string>;
  /** What a judged number was compared with: both ways, both things. */
  basis: (b: Basis) => string;
  unlikeOn: (docOn: string, on: string, env: string) => string;
  unlikeHow: (docHow: string, how: string) => string;
  /** A rank measure taken under emulation: shown, marked, not judged. */
  rankEmulated: string;
  /** A rank measure of the workload's own figure: shown, marked, not judged. */
  rankWorkload: string;
  /** The verdict word of a number shown beside an unlike thing. */
  unlike: (why: string) => string;
}

/** A name from one of these catalogs for an id a results file holds (the id itself when the catalog has none). */
export const likeName = <K extends string>(names: Record<K, string>, k: string): string => names[k as K] ?? k;
const name = likeName;

/** A rank note's orders ("a < b; c ≈ d"), each named by the quantity it orders (the note's `quantities`, "/"-joined). */
export function namedOrders(order: string, quantities: string, l: LikenessMessages): string {
  const qs = quantities ? quantities.split('/') : [];
  return order
    .split('; ')
    .map((o, i) => (qs[i] ? `${name(l.quantity, qs[i]!)}: ${o}` : o))
    .join('; ');
}

export const likenessEn: LikenessMessages = {
  quantity: {
    'time.create': 'creation time',
    'time.install': 'install time',
    'time.ready': 'start time to a Python answer',
    'time.up': 'boot or start time',
    'time.import': 'import time',
    'time.activate': 'activation time',
    'time.shell': 'shell start time',
    'time.build': 'build time',
    'time.api': 'Engine API call time',
    'time.ssh': 'vagrant ssh time',
    'memory.workload': 'workload RSS',
    'memory.host': 'host memory',
    'memory.given': 'memory given',
    'memory.guest': 'memory used in the guest',
    'disk.used': 'disk used',
    'disk.allocated': 'disk allocated',
    'disk.host': 'disk on the host',
    'disk.guestSize': 'guest disk size',
    'disk.guestAvail': 'guest disk available',
    'image.size': 'image size',
    'disk.layersStored': 'layer bytes stored',
    'count.files': 'files',
    'count.layers': 'layers',
  },
  how: {
    'du-sh': '`du -sh`',
    'du-apparent': '`du --apparent-size`',
    'df-used': '`df -h` Used in the guest',
    'qemu-img-actual': "`qemu-img info` actual size",
    'qemu-img-virtual': '`qemu-img info` virtual size',
    'docker-images': '`docker images` SIZE',
    'docker-system-df': '`docker system df`',
    'time-docker-run': '`time docker run …`',
    'time-source': '`time source …/activate`',
    'time-vagrant-ssh': '`time vagrant ssh -c …`',
    'engine-api': 'the Engine API',
    'wall-clock': 'wall clock',
    'in-python': 'timed inside Python',
    getrusage: 'getrusage peak RSS',
    'vmrss-sum': 'VmRSS sum of the container',
    cgroup: "the container's cgroup",
    'qemu-rss': "QEMU's VmRSS",
    meminfo: '/proc/meminfo in the guest',
    'qemu-m': 'QEMU -m',
    count: 'a count',
    unstated: 'a way it does not state',
  },
  docOn: {
    'a-venv': 'a venv',
    'python-slim': 'python:3.9-slim with requests',
    'python-image': 'a Python image with requests',
    'container-on-macos': 'python:3.9-slim on a macOS host (Docker Desktop runs the engine in a VM)',
    'ubuntu-django-layers': 'ubuntu with python3 and Django',
    'a-layer-pair': 'two images on one base',
    'ubuntu-desktop': 'Ubuntu 22.04 installed from its ISO (20 GB disk, 8 GB used; the document names no edition, so a desktop install stands for it)',
    'a-vm': 'a VM',
    'the-kinds': 'the three kinds',
  },
  on: {
    venv: 'a venv',
    'debootstrap-image': 'an image built here on a debootstrap Debian base (Linux host)',
    'pulled-image': "the document's Dockerfile on python:3.9-slim (Linux host)",
    'server-guest': 'a minimal Debian server guest (debootstrap, no desktop)',
    'micro-guest': 'a Debian micro-VM (no systemd)',
    'desktop-guest': 'a Debian 12 desktop guest (GNOME task)',
    'cloud-image': 'a cloud image guest',
    'vagrant-box': 'a Vagrant box',
    unknown: 'a thing this run did not record',
  },
  basis: (b) => {
    const [on, docOn] = [name(likenessEn.on, b.on), name(likenessEn.docOn, b.docOn)];
    return `judged: ${name(likenessEn.quantity, b.what)} (${name(likenessEn.how, b.how)}) of ${on}${docOn === on ? '' : `; the document's: ${docOn}`}`;
  },
  unlikeOn: (docOn, on, env) =>
    `the document measured ${name(likenessEn.docOn, docOn)}; ${env}: ${name(likenessEn.on, on)}`,
  unlikeHow: (docHow, how) => `the document took it by ${name(likenessEn.how, docHow)}; this figure is by ${name(likenessEn.how, how)}`,
  rankEmulated: '*: rows under TCG emulation not judged, the rest ranked',
  rankWorkload: '°: the workload itself, the same in each kind, not judged',
  unlike: (why) => `≠ unlike: shown, not judged: ${why}`,
};

export const likenessKo: LikenessMessages = {
  quantity: {
    'time.create': '생성 시간',
    'time.install': '설치 시간',
    'time.ready': 'Python이 응답하기까지의 시작 시간',
    'time.up': '부팅·시작 시간',
    'time.import': 'import 시간',
    'time.activate': '활성화 시간',
    'time.shell': '셸 시작 시간',
    'time.build': '빌드 시간',
    'time.api': 'Engine API 호출 시간',
    'time.ssh': 'vagrant ssh 시간',
    'memory.workload': '작업 프로세스의 RSS',
    'memory.host': '호스트 메모리',
    'memory.given': '할당한 메모리',
    'memory.guest': '게스트 안에서 쓰는 메모리',
    'disk.used': '디스크 사용량',
    'disk.allocated': '할당한 디스크',
    'disk.host': '호스트 디스크에서 차지하는 크기',
    'disk.guestSize': '게스트 디스크 크기',
    'disk.guestAvail': '게스트 디스크 남은 공간',
    'image.size': '이미지 크기',
    'disk.layersStored': '저장된 레이어 크기',
    'count.files': '파일 수',
    'count.layers': '레이어 수',
  },
  how: {
    'du-sh': '`du -sh`',
    'du-apparent': '`du --apparent-size`',
    'df-used': '게스트 안의 `df -h` Used',
    'qemu-img-actual': '`qemu-img info`의 실제 크기',
    'qemu-img-virtual': '`qemu-img info`의 가상 크기',
    'docker-images': '`docker images`의 SIZE',
    'docker-system-df': '`docker system df`',
    'time-docker-run': '`time docker run …`',
    'time-source': '`time source …/activate`',
    'time-vagrant-ssh': '`time vagrant ssh -c …`',
    'engine-api': 'Engine API',
    'wall-clock': '벽시계 시간',
    'in-python': 'Python 안에서 잰 시간',
    getrusage: 'getrusage의 최대 RSS',
    'vmrss-sum': '컨테이너 프로세스 VmRSS의 합',
    cgroup: '컨테이너의 cgroup',
    'qemu-rss': 'QEMU 프로세스의 VmRSS',
    meminfo: '게스트의 /proc/meminfo',
    'qemu-m': 'QEMU -m',
    count: '개수 세기',
    unstated: '문서가 밝히지 않은 방법',
  },
  docOn: {
    'a-venv': 'venv',
    'python-slim': 'requests를 넣은 python:3.9-slim',
    'python-image': 'requests를 넣은 Python 이미지',
    'container-on-macos': 'macOS 호스트의 python:3.9-slim (Docker Desktop은 엔진을 VM 안에서 돌림)',
    'ubuntu-django-layers': 'python3와 Django를 넣은 ubuntu',
    'a-layer-pair': '같은 베이스 위의 두 이미지',
    'ubuntu-desktop': 'ISO로 설치한 Ubuntu 22.04 (디스크 20 GB, 8 GB 사용. 문서가 판을 밝히지 않아 데스크톱 설치를 그 대신으로 둠)',
    'a-vm': 'VM',
    'the-kinds': '세 종류',
  },
  on: {
    venv: 'venv',
    'debootstrap-image': '여기서 debootstrap 데비안 베이스로 빌드한 이미지 (Linux 호스트)',
    'pulled-image': 'python:3.9-slim 위의 문서 Dockerfile (Linux 호스트)',
    'server-guest': '최소 데비안 서버 게스트 (debootstrap, 데스크톱 없음)',
    'micro-guest': '데비안 마이크로 VM (systemd 없음)',
    'desktop-guest': '데비안 12 데스크톱 게스트 (GNOME 태스크)',
    'cloud-image': '클라우드 이미지 게스트',
    'vagrant-box': 'Vagrant 박스',
    unknown: '이번 실행이 기록하지 않은 대상',
  },
  basis: (b) => {
    const [on, docOn] = [name(likenessKo.on, b.on), name(likenessKo.docOn, b.docOn)];
    return `판정 대상: ${on}의 ${name(likenessKo.quantity, b.what)}(${name(likenessKo.how, b.how)})${docOn === on ? '' : `; 문서: ${docOn}`}`;
  },
  unlikeOn: (docOn, on, env) =>
    `문서가 잰 것: ${name(likenessKo.docOn, docOn)}; ${env}: ${name(likenessKo.on, on)}`,
  unlikeHow: (docHow, how) => `문서는 ${name(likenessKo.how, docHow)}(으)로 쟀고, 이 값은 ${name(likenessKo.how, how)}(으)로 잰 것입니다`,
  rankEmulated: '*: TCG 에뮬레이션에서 잰 행은 판정에서 빼고 나머지끼리 순위',
  rankWorkload: '°: 어느 종류에서나 같은 작업 프로세스 자체의 값, 판정 안 함',
  unlike: (why) => `≠ 같은 대상이 아님: 보여 주기만 하고 판정하지 않음: ${why}`,
};
